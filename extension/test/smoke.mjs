// Smoke test of the built extension in headless Chromium, driven by playwright-core.
//
//   extension/build.sh OUT && node extension/test/smoke.mjs OUT/chromium
//
// Needs /usr/lib/chromium/chromium (Debian `chromium`) and playwright-core (no browser
// download): PLAYWRIGHT_CORE=/path/to/node_modules/playwright-core, default
// /tmp/pw/node_modules/playwright-core. Three browsers, each with a fresh profile:
//   A  extension, no native host installed   → shim fails like "not installed", library says why
//   B  extension + test/fake_host.py         → shim and library round trips, origins, limits, popup
//   C  no extension                          → detect() false, WebSocket fallback, NO_BRIDGE
// Prints "N passed, N failed" last; exit status 1 on any failure.
import { createHash } from "node:crypto";
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? "/tmp/pw/node_modules/playwright-core");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/lib/chromium/chromium";
const here = path.dirname(fileURLToPath(import.meta.url));
const extDir = path.resolve(process.argv[2] ?? path.join(here, "../../build/extension/chromium"));
const libFile = path.join(here, "../lib/cardbridge.js");
const fakeHost = path.join(here, "fake_host.py");

const der = readFileSync(path.join(here, "../key.pub.der"));
const extensionId = [...createHash("sha256").update(der).digest("hex").slice(0, 32)]
  .map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail === undefined ? "" : `: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`}`);
}

// ---- a page server, plus a minimal daemon-like WebSocket for the fallback path -------------

const PAGE = `<!doctype html><meta charset="utf-8"><title>cardbridge smoke</title>
<script>
  // Runs before anything else the page does: the shim must already be in place.
  window.early = { shimmed: !String(WebSocket).includes("WebSocket()"), name: WebSocket.name };
</script>
<script type="module">import * as cb from "/cardbridge.js"; window.cb = cb; window.libLoaded = true;</script>`;

// Loaded in <iframe sandbox="allow-scripts">: same URL origin as the page, opaque real origin.
const SANDBOXED = `<!doctype html><script>
  const ws = new WebSocket("ws://127.0.0.1:61232");
  ws.onopen = () => parent.postMessage({ sandboxed: ["opened"] }, "*");
  ws.onclose = (e) => parent.postMessage({ sandboxed: [e.code, e.reason] }, "*");
</script>`;

function wsFrame(text) {
  const body = Buffer.from(text);
  const head = body.length < 126 ? Buffer.from([0x81, body.length]) : Buffer.from([0x81, 126, body.length >> 8, body.length & 255]);
  return Buffer.concat([head, body]);
}

function wsUnmask(buf) {
  let len = buf[1] & 127;
  let off = 2;
  if (len === 126) [len, off] = [buf.readUInt16BE(2), 4];
  const mask = buf.subarray(off, off + 4);
  const data = Buffer.from(buf.subarray(off + 4, off + 4 + len));
  for (let i = 0; i < data.length; i++) data[i] ^= mask[i % 4];
  return { opcode: buf[0] & 15, text: data.toString() };
}

const server = http.createServer((req, res) => {
  const headers = { "access-control-allow-origin": "*" };
  if (req.url === "/cardbridge.js") res.writeHead(200, { ...headers, "content-type": "text/javascript" }).end(readFileSync(libFile));
  else if (req.url === "/sandboxed.html") res.writeHead(200, { ...headers, "content-type": "text/html" }).end(SANDBOXED);
  else if (req.url.startsWith("/test.html")) res.writeHead(200, { ...headers, "content-type": "text/html" }).end(PAGE);
  else res.writeHead(404).end();
});
server.on("upgrade", (req, socket) => {
  // Speaks like cardbridged's WebSocket: E-Port hello first, then JSON-RPC (one frame each).
  const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.write(wsFrame(JSON.stringify({ _id: 0, _method: "open", _status: "00", _args: { Result: true, Data: ["cardbridge", "0.1.0-ws"], Error: [] } })));
  socket.on("data", (buf) => {
    const { opcode, text } = wsUnmask(buf);
    if (opcode === 8) return socket.end();
    const req = JSON.parse(text);
    socket.write(wsFrame(JSON.stringify({ jsonrpc: "2.0", id: req.id, result: { product: "cardbridge", version: "0.1.0-ws", method: req.method } })));
  });
  socket.on("error", () => {});
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;
const allowedOrigin = `http://127.0.0.1:${port}`;
const deniedOrigin = `http://localhost:${port}`;

// ---- browsers --------------------------------------------------------------------------

const profiles = [];
async function launch({ withExtension, host, env = {} }) {
  const profile = mkdtempSync(path.join(os.tmpdir(), "cardbridge-smoke-"));
  profiles.push(profile);
  if (host) {
    const dir = path.join(profile, "NativeMessagingHosts");
    require("node:fs").mkdirSync(dir);
    writeFileSync(path.join(dir, "cn.cardbridge.host.json"), JSON.stringify({
      name: "cn.cardbridge.host", description: "fake host for the smoke test", path: host, type: "stdio",
      allowed_origins: [`chrome-extension://${extensionId}/`],
    }));
  }
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"];
  if (withExtension) args.push(`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: false, args, env: { ...process.env, ...env },
    ignoreDefaultArgs: ["--disable-extensions", "--disable-component-extensions-with-background-pages"],
  });
  let worker = null;
  if (withExtension) worker = context.serviceWorkers()[0] ?? await context.waitForEvent("serviceworker", { timeout: 10000 });
  return { context, worker };
}

async function openPage(context, url) {
  const page = await context.newPage();
  page.on("console", (m) => process.env.SMOKE_VERBOSE && console.log(`  [console] ${m.text()}`));
  await page.goto(url);
  await page.waitForFunction(() => window.libLoaded === true);
  return page;
}

/** Runs a legacy-style WebSocket in the page and returns its events. `script` drives it. */
function runSocket(page, url, script) {
  return page.evaluate(([url, script]) => new Promise((resolve) => {
    const events = [];
    const t0 = performance.now();
    const ws = new WebSocket(url);
    const steps = script.slice();
    ws.onopen = () => events.push(["open", ws.readyState]);
    ws.addEventListener("message", (e) => {
      events.push(["message", e.data]);
      const next = steps.shift();
      if (next === "close") ws.close();
      else if (next !== undefined) ws.send(next);
    });
    ws.onerror = () => events.push(["error", ws.readyState]);
    ws.onclose = (e) => {
      events.push(["close", e.code, e.reason, e.wasClean, ws.readyState]);
      resolve({ events, ms: Math.round(performance.now() - t0) });
    };
  }), [url, script]);
}

function libCall(page, body) {
  // body: an async function's source taking (cb); returns its value, or {error: {...}}.
  return page.evaluate(async (body) => {
    const fn = new Function("cb", `return (async () => { ${body} })();`);
    try {
      return await fn(window.cb);
    } catch (e) {
      return { error: { name: e.name, reason: e.reason, code: e.code, retriesLeft: e.retriesLeft, message: e.message, isError: e instanceof Error } };
    }
  }, body);
}

const hello = (version) => JSON.stringify({ _id: 0, _method: "open", _status: "00", _args: { Result: true, Data: ["cardbridge", version], Error: [] } });

try {
  // ---- A: extension, no native host -----------------------------------------------------
  {
    const { context, worker } = await launch({ withExtension: true });
    check("A extension id", worker.url().startsWith(`chrome-extension://${extensionId}/`), worker.url());
    const page = await openPage(context, `${allowedOrigin}/test.html`);
    const early = await page.evaluate(() => window.early);
    check("A shim in place before page scripts", early.shimmed && early.name === "WebSocket", early);
    check("A detect() true", await libCall(page, "return await cb.detect();") === true);
    const run = await runSocket(page, "ws://127.0.0.1:61232", []);
    const kinds = run.events.map((e) => e[0]).join(",");
    const close = run.events.at(-1);
    check("A shim without host: error then close 1006", kinds === "error,close" && close[1] === 1006 && close[3] === false, run);
    check("A shim close reason DAEMON_UNAVAILABLE", close[2] === "DAEMON_UNAVAILABLE", close[2]);
    const r = await libCall(page, "await cb.connect(); return 'connected';");
    check("A connect() rejects DAEMON_UNAVAILABLE", r.error?.reason === "DAEMON_UNAVAILABLE" && r.error.isError, r);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await popup.waitForFunction(() => document.getElementById("daemon").classList.contains("bad"));
    check("A popup says the daemon is unreachable", true, await popup.textContent("#daemon"));
    await context.close();
  }

  // ---- B: extension + fake host -----------------------------------------------------------
  {
    const log = path.join(mkdtempSync(path.join(os.tmpdir(), "cardbridge-log-")), "host.log");
    writeFileSync(log, "");
    const { context } = await launch({ withExtension: true, host: fakeHost, env: { FAKE_HOST_ALLOWED: allowedOrigin, FAKE_HOST_LOG: log } });
    const hostLog = () => readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const page = await openPage(context, `${allowedOrigin}/test.html`);

    const legacyCall = '{"_method":"cus-sec_SpcGetCertNo","_id":7,"args":{}}';
    const blocktxt = `BLOCKTXT${"0".repeat(120)}{"_method":"x"}`;
    const run = await runSocket(page, "wss://wss.singlewindow.cn:61231/", [legacyCall, blocktxt, "close"]);
    const ev = run.events;
    check("B shim open → readyState 1", ev[0]?.[0] === "open" && ev[0][1] === 1, ev[0]);
    check("B shim hello is the first message, exact", ev[1]?.[1] === hello("0.1.0-fake"), ev[1]);
    check("B shim legacy call answered by _method/_id", JSON.parse(ev[2]?.[1] ?? "{}")._id === 7, ev[2]);
    check("B shim BLOCKTXT passes as plain text", ev[3]?.[1] === blocktxt);
    check("B shim close() → close 1000 clean", ev[4]?.[0] === "close" && ev[4][1] === 1000 && ev[4][3] === true && ev[4][4] === 3, ev[4]);
    const sent = hostLog().filter((m) => "send" in m).map((m) => m.send);
    check("B host got legacy frames as strings", sent[0] === legacyCall && sent[1] === blocktxt, sent);

    const shape = await page.evaluate(() => {
      const ws = new WebSocket("ws://localhost:61232");
      let threw = null;
      try { ws.send("x"); } catch (e) { threw = e.name; }
      const native = new WebSocket(`ws://127.0.0.1:9/`);
      const out = {
        instanceOf: ws instanceof WebSocket, ctor: ws.constructor === WebSocket, tag: Object.prototype.toString.call(ws),
        consts: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, ws.CLOSED].join(),
        fields: [ws.url, ws.protocol, ws.extensions, ws.bufferedAmount, ws.binaryType, ws.readyState],
        sendWhileConnecting: threw, nativeProto: Object.getPrototypeOf(native) === WebSocket.prototype,
        nativeIsNative: Object.getPrototypeOf(ws) !== WebSocket.prototype, name: WebSocket.name, length: WebSocket.length,
      };
      ws.close();
      native.close();
      return out;
    });
    check("B shim looks like a WebSocket", shape.instanceOf && shape.ctor && shape.tag === "[object WebSocket]" && shape.consts === "0,1,2,3,3"
      && shape.fields.join("|") === "ws://localhost:61232/|||0|blob|0" && shape.sendWhileConnecting === "InvalidStateError", shape);
    check("B other URLs get the native WebSocket", shape.nativeProto && shape.nativeIsNative && shape.name === "WebSocket" && shape.length === 1, shape);

    const lib = await libCall(page, `
      const c = await cb.connect();
      const info = await c.info("Virtual PCD 00 00");
      let pinError;
      try { await c.call("token.verifyPin", {}); } catch (e) { pinError = {reason: e.reason, code: e.code, retriesLeft: e.retriesLeft, isError: e instanceof Error}; }
      const inserted = new Promise((r) => c.on("token.inserted", r));
      const event = await inserted;
      const closed = new Promise((r) => c.on("close", r));
      let dropError;
      try { await c.call("test.dropChannel"); } catch (e) { dropError = e.reason; }
      const closeEvent = await closed;
      const again = await c.tokens();
      let big;
      try { await c.sign({data: "A".repeat(1100000), algorithm: "SM2-SM3", purpose: "t"}); } catch (e) { big = e.reason; }
      const still = (await c.call("system.info")).version;
      c.close();
      let after;
      try { await c.info(); } catch (e) { after = e.reason; }
      return {bridge: c.bridge, version: c.version, info, pinError, event, dropError, closeEvent, readers: again.readers.length, big, still, after};
    `);
    check("B library over the extension", lib.bridge === "extension" && lib.version === "0.1.0-fake" && lib.info?.reader === "Virtual PCD 00 00", lib);
    check("B library error: reason, code, retriesLeft", lib.pinError?.reason === "PIN_INCORRECT" && lib.pinError.code === 1301 && lib.pinError.retriesLeft === 2 && lib.pinError.isError, lib.pinError);
    check("B library events (subscribe on first on())", lib.event?.reader === "Virtual PCD 00 00", lib.event);
    check("B library: channel drop rejects and emits close", lib.dropError === "DAEMON_UNAVAILABLE" && lib.closeEvent?.reason === "DAEMON_UNAVAILABLE", lib);
    check("B library reopens on the next call", lib.readers === 2, lib);
    check("B library refuses an oversized request, channel stays", lib.big === "FRAME_TOO_LARGE" && lib.still === "0.1.0-fake", lib);
    check("B library close() is final", lib.after === "CLOSED", lib.after);
    const opens = hostLog().filter((m) => "open" in m);
    const rpcMethods = hostLog().filter((m) => m.send?.method).map((m) => `${m.channel}:${m.send.method}`);
    const subscribes = rpcMethods.filter((m) => m.endsWith("events.subscribe")).map((m) => m.split(":")[0]);
    check("B events.subscribe renewed on the reopened channel", new Set(subscribes).size === 2, rpcMethods);

    // The origin is the browser's, whatever the page says.
    await page.evaluate(() => window.postMessage({ cardbridge: 1, kind: "open", port: "spoof", origin: "https://www.singlewindow.cn" }, "*"));
    await page.waitForTimeout(300);
    const origins = new Set(hostLog().filter((m) => "open" in m).map((m) => m.open.origin));
    check("B host saw only the page's real origin", origins.size === 1 && origins.has(allowedOrigin), [...origins]);
    check("B channel numbers are unique", new Set(opens.map((m) => m.channel)).size === opens.length);

    // Host exits: channels close; the next call starts a new host after the backoff.
    const exit = await libCall(page, `
      const c = await cb.connect();
      let gone; try { await c.call("test.exitHost"); } catch (e) { gone = {reason: e.reason, message: e.message}; }
      const t0 = performance.now();
      const v = (await c.call("system.info")).version;
      return {gone, v, ms: Math.round(performance.now() - t0)};
    `);
    check("B host exit → DAEMON_UNAVAILABLE, then a new host", exit.gone?.reason === "DAEMON_UNAVAILABLE" && exit.v === "0.1.0-fake", exit);

    // Open timeout: the host never answers an open.
    const timeout = await libCall(page, `
      const c = await cb.connect();
      await c.call("test.ignoreNextOpen");
      try { await c.call("test.dropChannel"); } catch {}
      const t0 = performance.now();
      try { await c.tokens(); return "answered"; } catch (e) { return {reason: e.reason, ms: Math.round(performance.now() - t0)}; }
    `);
    check("B open timeout → TIMEOUT after ~5 s", timeout.reason === "TIMEOUT" && timeout.ms >= 4500 && timeout.ms < 7000, timeout);

    // Per-frame port limit and the 1 MiB cap on page messages.
    const limits = await page.evaluate(() => new Promise((resolve) => {
      const result = {};
      const names = Array.from({ length: 33 }, (_, i) => `limit${i}`);
      const onMessage = (e) => {
        const d = e.data;
        if (d?.cardbridge !== 1 || typeof d.port !== "string") return;
        if (d.kind === "opened" && d.port === "limit0") window.postMessage({ cardbridge: 1, kind: "send", port: "limit0", data: "x".repeat(1100000) }, "*");
        if (d.kind === "closed" && (d.port === "limit32" || d.port === "limit0")) result[d.port] = d.reason;
        if (result.limit32 && result.limit0) {
          window.removeEventListener("message", onMessage); // our own close posts come back here
          for (const n of names) window.postMessage({ cardbridge: 1, kind: "close", port: n }, "*");
          resolve(result);
        }
      };
      window.addEventListener("message", onMessage);
      for (const n of names) window.postMessage({ cardbridge: 1, kind: "open", port: n }, "*");
    }));
    check("B 33rd page port in a frame → BUSY; >1 MiB message → FRAME_TOO_LARGE", limits.limit32 === "BUSY" && limits.limit0 === "FRAME_TOO_LARGE", limits);

    // A sandboxed frame has an opaque origin: refused by the extension, never its URL's origin.
    const sandboxed = await page.evaluate(() => new Promise((resolve) => {
      window.addEventListener("message", (e) => e.data?.sandboxed && resolve(e.data.sandboxed));
      const frame = document.createElement("iframe");
      frame.sandbox = "allow-scripts";
      frame.src = "/sandboxed.html";
      document.body.append(frame);
    }));
    check("B sandboxed frame (opaque origin) refused", sandboxed[0] === 1006 && sandboxed[1] === "ORIGIN_NOT_ALLOWED", sandboxed);

    // A page whose origin the daemon refuses.
    const denied = await openPage(context, `${deniedOrigin}/test.html`);
    const refused = await runSocket(denied, "ws://127.0.0.1:61232", []);
    check("B refused origin: error, close 1006 ORIGIN_NOT_ALLOWED", refused.events.map((e) => e[0]).join() === "error,close" && refused.events[1][1] === 1006 && refused.events[1][2] === "ORIGIN_NOT_ALLOWED", refused);
    const refusedLib = await libCall(denied, "await cb.connect(); return 'connected';");
    check("B refused origin: connect() rejects ORIGIN_NOT_ALLOWED 1101", refusedLib.error?.reason === "ORIGIN_NOT_ALLOWED" && refusedLib.error.code === 1101, refusedLib);

    if (process.env.SMOKE_LONG) {
      // The worker must outlive Chromium's 30 s idle limit while a channel is open and quiet
      // (the open native port is what keeps it); had it stopped, the socket would have closed.
      const quiet = await page.evaluate((call) => new Promise((resolve) => {
        const ws = new WebSocket("ws://127.0.0.1:61232");
        const events = [];
        ws.onmessage = (e) => {
          events.push(e.data.slice(0, 40));
          if (events.length === 1) setTimeout(() => ws.send(call), 45000);
          else ws.close();
        };
        ws.onclose = (e) => resolve({ events, code: e.code, reason: e.reason });
      }), legacyCall);
      check("B (long) a channel quiet for 45 s still works", quiet.events.length === 2 && quiet.code === 1000, quiet);
    }

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await popup.waitForFunction(() => document.getElementById("daemon").classList.contains("ok") && document.querySelectorAll("#readers li").length === 2);
    const popupText = await popup.evaluate(() => ({ daemon: document.getElementById("daemon").textContent, readers: document.getElementById("readers").innerText, site: document.getElementById("allowed").textContent }));
    check("B popup: daemon version and readers", popupText.daemon.includes("0.1.0-fake") && popupText.readers.includes("张测试"), popupText);
    await context.close();
  }

  // ---- C: no extension ------------------------------------------------------------------
  {
    const { context } = await launch({ withExtension: false });
    const page = await openPage(context, `${allowedOrigin}/test.html`);
    const early = await page.evaluate(() => window.early);
    check("C no shim without the extension", !early.shimmed, early);
    const t0 = Date.now();
    check("C detect() false", await libCall(page, "return await cb.detect();") === false, `${Date.now() - t0} ms`);
    const ws = await libCall(page, `
      const c = await cb.connect({url: "ws://127.0.0.1:${port}/"});
      const r = await c.call("system.info");
      return {bridge: c.bridge, version: c.version, method: r.method};
    `);
    check("C http page falls back to the daemon's WebSocket (hello skipped)", ws.bridge === "websocket" && ws.method === "system.info" && ws.version === "0.1.0-ws", ws);
    const down = await libCall(page, `await cb.connect({url: "ws://127.0.0.1:9/"}); return "connected";`);
    check("C fallback without a daemon → DAEMON_UNAVAILABLE", down.error?.reason === "DAEMON_UNAVAILABLE", down);
    const filePage = await context.newPage();
    const file = path.join(profiles.at(-1), "nobridge.html");
    writeFileSync(file, "<!doctype html><title>x</title>");
    await filePage.goto(`file://${file}`);
    const nobridge = await filePage.evaluate(async (url) => {
      const cb = await import(url);
      try { await cb.connect(); return "connected"; } catch (e) { return { reason: e.reason, message: e.message }; }
    }, `${allowedOrigin}/cardbridge.js`);
    check("C not http and no extension → NO_BRIDGE", nobridge.reason === "NO_BRIDGE", nobridge);
    await context.close();
  }
} catch (e) {
  check("smoke run", false, String(e?.stack ?? e));
} finally {
  server.close();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
