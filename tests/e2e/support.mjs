// What the browser end-to-end tests share: options, the tally, cleanup, the daemon, the portal
// (a local HTTP server that serves the test pages and verifies login tokens as a portal's server
// would), the virtual card, and the openssl check of SM2 signatures.
//
// A test runs under tests/harness/vcard-env (the card's control socket and reader name come
// from its environment) and is given the build's programs on its command line (CMakeLists.txt).
// Everything it starts is ended on success, failure, timeout and SIGINT/SIGTERM; its files live
// in one temporary folder, removed at the end (CARDBRIDGE_E2E_KEEP=1 keeps it).
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE = path.resolve(HERE, "../..");
export const PIN = "88888888"; // the test PKI's PIN for every card
export const SM2_ID = "1234567812345678";

// ---- options, tally, deadline, cleanup -------------------------------------------------------

export function options() {
  const { values } = parseArgs({
    options: Object.fromEntries(["daemon", "cli", "host", "verifier", "vcard-ctl", "pki", "pinentry", "modules", "deadline"]
      .map((name) => [name, { type: "string" }])),
  });
  const missing = ["daemon", "cli", "host", "verifier", "vcard-ctl", "pki", "pinentry", "modules"].filter((k) => !values[k]);
  if (missing.length) throw new Error(`missing --${missing.join(", --")}`);
  for (const v of ["CARDBRIDGE_VCARD1_CONTROL", "CARDBRIDGE_VCARD1_READER", "CARDBRIDGE_VCARD1_PROFILE", "PCSCLITE_CSOCK_NAME"]) {
    if (!process.env[v]) throw new Error(`${v} is not set: run me under tests/harness/vcard-env --card …/trade-legal-sm2`);
  }
  return {
    ...values,
    vcardCtl: values["vcard-ctl"],
    deadline: Number(values.deadline ?? 100) * 1000,
    control: process.env.CARDBRIDGE_VCARD1_CONTROL,
    reader: process.env.CARDBRIDGE_VCARD1_READER,
    profile: process.env.CARDBRIDGE_VCARD1_PROFILE,
    caBundle: path.join(values.pki, "ca/bundle.pem"),
  };
}

/** require() for the packages `npm ci` put into the build tree (never the source tree). */
export function npmRequire(modules) {
  return createRequire(path.join(modules, "package.json"));
}

let passed = 0;
let failed = 0;
let ending = null;
export function check(name, ok, detail) {
  // Once the run is being ended (deadline, signal), what the interrupted body still reports is
  // noise from its processes going away underneath it.
  if (ending && !name.startsWith("interrupted")) return false;
  if (ok) passed++;
  else failed++;
  const text = detail === undefined ? "" : `: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${text.length > 1500 ? `${text.slice(0, 1500)}…` : text}`);
  return Boolean(ok);
}

const cleanups = [];
/** Registers `fn` to run at the end, last registered first. */
export function atEnd(fn) {
  cleanups.push(fn);
}
const failureReports = [];
/** Registers `fn` to print diagnostics (logs) when the run fails. */
export function onFailure(fn) {
  failureReports.push(fn);
}

async function end(status) {
  ending ??= (async () => {
    if (status !== 0 || failed > 0) {
      for (const report of failureReports) {
        try {
          report();
        } catch (e) {
          console.log(`(diagnostics failed: ${e.message})`);
        }
      }
    }
    for (const fn of cleanups.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(fn), 10000, "cleanup step");
      } catch (e) {
        console.log(`cleanup: ${e.message}`);
      }
    }
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(status === 0 && failed === 0 ? 0 : 1);
  })();
  return ending;
}

/**
 * Runs the test body with a deadline; whatever happens (an exception, the deadline, SIGINT or
 * SIGTERM) every registered cleanup runs and the last line is "N passed, N failed".
 */
export async function main(deadlineMs, body) {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      check(`interrupted by ${signal}`, false, "cleaning up");
      end(1);
    });
  }
  const timer = setTimeout(() => {
    check(`interrupted: the whole test within ${deadlineMs / 1000} s`, false, "deadline passed; cleaning up");
    end(1);
  }, deadlineMs);
  try {
    await body();
    clearTimeout(timer);
    await end(0);
  } catch (e) {
    clearTimeout(timer);
    check("test run", false, String(e?.stack ?? e));
    await end(1);
  }
}

/** Runs one case: its failures are counted, and the next case still runs. Prints its wall time. */
export async function runCase(name, fn) {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    check(`${name}: ran to the end`, false, String(e?.stack ?? e));
  }
  if (!ending) console.log(`---- ${name}: ${Math.round(performance.now() - t0)} ms`);
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a truthy value; throws after `ms`. */
export async function until(fn, ms, what, every = 50) {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(every);
  }
}

// ---- files and programs ----------------------------------------------------------------------

/** A private folder (mode 0700, as the daemon wants for its socket's folder) for this run. */
export function workDir(name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cardbridge-e2e-${name}-`));
  atEnd(async () => {
    // Whatever our browsers started outside their process group (Firefox's crash helper)
    // names its profile, which lives here: it goes before the folder does.
    const left = leftovers(dir);
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    if (left.length) console.log(`ended leftover processes ${left.join(" ")}`);
    if (process.env.CARDBRIDGE_E2E_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Which of `pids` run `program`. */
export function running(pids, program) {
  return pids.filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`) === program;
    } catch {
      return false;
    }
  });
}

/**
 * Processes (not this one) whose command line or environment names something under `dir`:
 * everything a test started, and what those started (a browser's helpers, cardbridge-host
 * with CARDBRIDGE_SOCKET), however they were detached.
 */
export function leftovers(dir) {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    for (const file of ["cmdline", "environ"]) {
      try {
        if (readFileSync(`/proc/${pid}/${file}`, "utf8").includes(dir)) {
          found.push(pid);
          break;
        }
      } catch {}
    }
  }
  return found;
}

export function run(program, args, { env, input } = {}) {
  const p = spawnSync(program, args, { encoding: "utf8", env: env ?? process.env, input, timeout: 30000 });
  if (p.error) throw p.error;
  return { status: p.status, stdout: p.stdout, stderr: p.stderr, output: `${p.stdout}${p.stderr}`.trim() };
}

/** extension/build.sh into `dir`: dir/chromium and dir/firefox. */
export function buildExtension(dir) {
  const p = run("bash", [path.join(SOURCE, "extension/build.sh"), dir]);
  if (p.status !== 0) throw new Error(`extension/build.sh failed: ${p.output}`);
  return { chromium: path.join(dir, "chromium"), firefox: path.join(dir, "firefox") };
}

/** A process in its own process group, ended (group and all) at the latest at the end. */
export function startProcess(program, args, { env, log, name }) {
  const fd = openSync(log, "a");
  const child = spawn(program, args, { env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.on("error", (e) => console.log(`${name}: ${e.message}`));
  const stop = async (signal = "SIGTERM", graceMs = 5000) => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {}
      const result = await Promise.race([exited, sleep(graceMs).then(() => null)]);
      if (result === null) {
        console.log(`${name} did not end within ${graceMs} ms of ${signal}: SIGKILL`);
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
        await exited;
      }
    }
    // What the leader left behind in its group (a browser's helpers) goes too.
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    return exited;
  };
  /** Whether any process is left in the group (a zombie not yet reaped counts). */
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  atEnd(() => stop());
  return { child, exited, stop, alive, pid: child.pid };
}

// ---- the daemon ------------------------------------------------------------------------------

/**
 * cardbridged with its own config: the socket in a private folder, no WebSocket port of its own
 * (port 0), `origins` as given, and a pinentry that records every prompt and cancels it, so that
 * a PIN the daemon took from anywhere but the page shows up as a failure.
 */
export class Daemon {
  constructor(opts, dir, origins) {
    this.opts = opts;
    this.dir = dir;
    this.socket = path.join(dir, "daemon.sock");
    this.log = path.join(dir, "daemon.log");
    this.pinentryLog = path.join(dir, "pinentry.log");
    this.config = path.join(dir, "config.json");
    writeFileSync(this.config, JSON.stringify({
      socket: this.socket, auditLog: path.join(dir, "audit.log"), pinentry: opts.pinentry, origins,
    }, null, 2));
    writeFileSync(this.log, "");
    writeFileSync(this.pinentryLog, "");
    this.process = null;
    onFailure(() => console.log(`---- daemon log (${this.log}):\n${readFileSync(this.log, "utf8").split("\n").slice(-60).join("\n")}`));
  }

  async start() {
    const before = readFileSync(this.log, "utf8").length;
    const env = { ...process.env, CARDBRIDGE_PINENTRY_CANCEL: "1", CARDBRIDGE_PINENTRY_LOG: this.pinentryLog };
    this.process = startProcess(this.opts.daemon, ["--config", this.config, "--port", "0"], { env, log: this.log, name: "cardbridged" });
    const started = await until(async () => {
      if (this.process.child.exitCode !== null) throw new Error(`cardbridged exited: ${readFileSync(this.log, "utf8").slice(before)}`);
      return readFileSync(this.log, "utf8").slice(before).includes(" listening on ");
    }, 10000, "cardbridged says it is listening");
    return started;
  }

  async stop() {
    const result = await this.process?.stop("SIGTERM");
    this.process = null;
    return result;
  }

  /** The daemon's readers as `cardbridge readers --json` shows them (null when it cannot). */
  readers() {
    const p = run(this.opts.cli, ["readers", "--json", "--socket", this.socket]);
    try {
      return p.status === 0 ? JSON.parse(p.stdout) : null;
    } catch {
      return null;
    }
  }

  /** Waits until the daemon has read the token in the card's reader. */
  async cardReady(ms = 8000) {
    return until(() => {
      const r = this.readers();
      const list = Array.isArray(r) ? r : r?.readers;
      return list?.find((e) => e.reader === this.opts.reader && e.state === "present" && e.token);
    }, ms, "the daemon shows the card's token", 100);
  }

  prompts() {
    return readFileSync(this.pinentryLog, "utf8");
  }
}

// ---- the virtual card --------------------------------------------------------------------------

export function vcard(opts, command) {
  const p = run(opts.vcardCtl, [opts.control, command]);
  if (p.status !== 0 || !p.stdout.startsWith("ok")) throw new Error(`cardbridge-vcard-ctl ${command}: ${p.output}`);
  return p.stdout.trim();
}

// ---- the portal: pages, challenges, login verification ---------------------------------------

const PAGES = path.join(HERE, "pages");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

/**
 * The test pages on http://127.0.0.1:PORT (and the same pages on http://localhost:PORT), plus
 * what a portal's server does: POST /challenge gives a fresh nonce; POST /login takes the page's
 * outcome ({nonce, token} or {nonce, error}) and verifies the token with verify_login_token for
 * the origin the page was served from and the nonce this server issued. The verdict goes back
 * to the page, and into `logins` for the test.
 */
export async function startPortal(opts) {
  const issued = new Set();
  const logins = [];
  const waiters = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const reply = (status, type, body) => res.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(body);
    const json = (value) => reply(200, "application/json", JSON.stringify(value));
    if (req.method === "GET" && url.pathname === "/cardbridge.js") {
      return reply(200, TYPES[".js"], readFileSync(path.join(SOURCE, "extension/lib/cardbridge.js")));
    }
    if (req.method === "GET" && /^\/[a-z_]+\.(html|js)$/.test(url.pathname)) {
      try {
        return reply(200, TYPES[path.extname(url.pathname)], readFileSync(path.join(PAGES, url.pathname)));
      } catch {
        return reply(404, "text/plain", "not found");
      }
    }
    if (req.method === "GET" && url.pathname === "/favicon.ico") return reply(204, "text/plain", "");
    if (req.method === "POST" && url.pathname === "/challenge") {
      const nonce = randomBytes(32).toString("base64");
      issued.add(nonce);
      return json({ nonce });
    }
    if (req.method === "POST" && url.pathname === "/login") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk) => { body += chunk; });
      req.on("end", () => {
        let outcome;
        try {
          outcome = JSON.parse(body);
        } catch {
          return reply(400, "text/plain", "not JSON");
        }
        // The portal's own origin, as the browser reached it: the origin the token must be for.
        const origin = `http://${req.headers.host}`;
        let verdict = { verified: false, output: "no token" };
        if (typeof outcome.token === "string") {
          if (!issued.has(outcome.nonce)) verdict = { verified: false, output: "not a nonce this portal issued" };
          else verdict = verifyToken(opts, outcome.token, origin, outcome.nonce);
        }
        issued.delete(outcome.nonce);
        const entry = { origin, outcome, verdict };
        logins.push(entry);
        for (const w of [...waiters]) w(entry);
        json(verdict);
      });
      return undefined;
    }
    return reply(404, "text/plain", "not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  atEnd(() => new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  }));
  return {
    port,
    allowed: `http://127.0.0.1:${port}`,
    denied: `http://localhost:${port}`,
    logins,
    /** The next login POST (or one already there that `match` accepts). */
    nextLogin(ms, match = () => true) {
      const seen = logins.find(match);
      if (seen) return Promise.resolve(seen);
      let waiter;
      return withTimeout(new Promise((resolve) => {
        waiter = (entry) => match(entry) && resolve(entry);
        waiters.add(waiter);
      }), ms, "the page's login POST").finally(() => waiters.delete(waiter));
    },
  };
}

/** verify_login_token TOKEN ORIGIN NONCE CA: {verified, output}. */
export function verifyToken(opts, token, origin, nonce) {
  const p = run(opts.verifier, ["-", origin, nonce, opts.caBundle], { input: token });
  return { verified: p.status === 0, status: p.status, output: p.output };
}

// ---- SM2 signatures, judged by the openssl command line --------------------------------------

/** DER ECDSA-Sig-Value of a raw r ‖ s. */
export function rawToDer(raw) {
  const integer = (v) => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    v = v.subarray(i);
    if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([2, v.length]), v]);
  };
  const half = raw.length / 2;
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/**
 * Whether openssl verifies the raw SM2 signature `signature` (base64) over `message` (bytes)
 * with the key of the certificate `certificateDer`: SM3, distinguishing ID 1234567812345678.
 */
export function verifySm2(dir, certificateDer, message, signature) {
  const sub = mkdtempSync(path.join(dir, "sm2-"));
  const file = (name, data) => {
    const f = path.join(sub, name);
    writeFileSync(f, data);
    return f;
  };
  const pub = run("openssl", ["x509", "-inform", "der", "-in", file("cert.der", certificateDer), "-pubkey", "-noout"]);
  if (pub.status !== 0) return { verified: false, output: `openssl x509: ${pub.output}` };
  const raw = Buffer.from(signature, "base64");
  if (raw.length !== 64) return { verified: false, output: `the signature is ${raw.length} bytes, not 64 (raw r‖s)` };
  const p = run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", file("pub.pem", pub.stdout), "-rawin", "-digest", "sm3",
    "-pkeyopt", `distid:${SM2_ID}`, "-in", file("data", message), "-sigfile", file("sig.der", rawToDer(raw))]);
  return { verified: p.status === 0, output: p.output };
}

/** The card's own certificate for a PIV slot, from its profile. */
export function cardCertificate(opts, slot) {
  return readFileSync(path.join(opts.profile, `${slot}.crt.der`));
}

/** HOME for a browser run: empty, private, removed with the run's folder. */
export function makeHome(dir) {
  const home = path.join(dir, "home");
  mkdirSync(home, { mode: 0o700 });
  return home;
}

// ---- Chromium with the extension ----------------------------------------------------------------

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/lib/chromium/chromium";

/**
 * Chromium (new headless: the extension needs the full browser) with the extension loaded and
 * the native host installed, as a user installs it, for one profile of its own under a fresh
 * HOME, so that nothing of the machine's gets in or gets written to. Reports (check) that the
 * extension runs with the id its pinned key gives; closed at the end of the run.
 */
export async function chromiumWithExtension(opts, dir, daemon) {
  const { chromium } = npmRequire(opts.modules)("playwright-core");
  const extension = buildExtension(path.join(dir, "extension")).chromium;
  const home = makeHome(dir);
  const profile = path.join(dir, "profile");
  const install = run(opts.cli, ["install-browser-integration", "--profile", profile, "--host", opts.host, "--json"],
    { env: { ...process.env, HOME: home } });
  if (install.status !== 0) throw new Error(`cardbridge install-browser-integration: ${install.output}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false, // --headless=new below
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--disable-extensions-except=${extension}`, `--load-extension=${extension}`],
    ignoreDefaultArgs: ["--disable-extensions", "--disable-component-extensions-with-background-pages"],
    env: { ...process.env, HOME: home, CARDBRIDGE_SOCKET: daemon.socket },
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // main() ends everything
    timeout: 20000,
  });
  atEnd(() => context.close());
  const der = readFileSync(path.join(SOURCE, "extension/key.pub.der"));
  const extensionId = [...createHash("sha256").update(der).digest("hex").slice(0, 32)]
    .map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent("serviceworker", { timeout: 10000 });
  check("setup: the extension runs with its fixed id", worker.url().startsWith(`chrome-extension://${extensionId}/`), worker.url());
  return context;
}
