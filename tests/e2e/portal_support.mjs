// What the portal's browser tests (portal.test.mjs) add to support.mjs: their options, the
// cards by name (vcard-env's control sockets), the reference portal's process, Chromium with
// the extension, and helpers that drive a page only through examples/portal/README.md's DOM
// contract ("What tests rely on") and its HTTP API.
import { createServer } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Daemon, chromiumWithExtension, onFailure, run, startProcess, until } from "./support.mjs";
const PROGRAMS = ["daemon", "cli", "host", "vcard-ctl", "pki", "pinentry", "modules", "portal"];

/**
 * The command line (CMakeLists.txt; --verifier, of the shared arguments, is taken and not used)
 * and vcard-env's cards, each by its profile's name.
 */
export function portalOptions() {
  const { values } = parseArgs({
    options: Object.fromEntries([...PROGRAMS, "web", "deadline", "verifier"].map((name) => [name, { type: "string" }])),
  });
  const missing = PROGRAMS.filter((k) => !values[k]);
  if (missing.length) throw new Error(`missing --${missing.join(", --")}`);
  const count = Number(process.env.CARDBRIDGE_VCARD_COUNT ?? 0);
  if (!count || !process.env.PCSCLITE_CSOCK_NAME) throw new Error("run me under tests/harness/vcard-env --card …:control=…");
  const cards = {};
  for (let n = 1; n <= count; n++) {
    const profile = process.env[`CARDBRIDGE_VCARD${n}_PROFILE`];
    cards[path.basename(profile)] = {
      name: path.basename(profile), profile,
      reader: process.env[`CARDBRIDGE_VCARD${n}_READER`], control: process.env[`CARDBRIDGE_VCARD${n}_CONTROL`],
    };
  }
  const manifest = JSON.parse(readFileSync(path.join(values.pki, "manifest.json"), "utf8"));
  for (const card of Object.values(cards)) Object.assign(card, manifest.cards[card.name]);
  return {
    ...values, vcardCtl: values["vcard-ctl"], cards,
    deadline: Number(values.deadline ?? 120) * 1000,
    caBundle: path.join(values.pki, "ca/bundle.pem"),
  };
}

// ---- the cards ---------------------------------------------------------------------------------

/**
 * Which cards are in their readers. `only(...names)` pulls every other card and puts these in,
 * then waits until the daemon shows exactly that (so a page opened next lists just those).
 */
export class Cards {
  constructor(opts, daemon) {
    this.opts = opts;
    this.daemon = daemon;
    this.inserted = new Set(Object.keys(opts.cards)); // vcard-env starts with every card in
  }

  ctl(name, command) {
    const card = this.opts.cards[name];
    if (!card) throw new Error(`card ${name} is not in this vcard-env run`);
    const p = run(this.opts.vcardCtl, [card.control, command]);
    if (p.status !== 0 || !p.stdout.startsWith("ok")) throw new Error(`cardbridge-vcard-ctl ${name} ${command}: ${p.output}`);
  }

  async only(...names) {
    for (const name of Object.keys(this.opts.cards)) {
      const want = names.includes(name);
      if (want !== this.inserted.has(name)) {
        this.ctl(name, want ? "insert" : "remove");
        if (want) this.inserted.add(name);
        else this.inserted.delete(name);
      }
    }
    await until(() => {
      const r = this.daemon.readers();
      const list = Array.isArray(r) ? r : r?.readers;
      if (!list) return false;
      return Object.values(this.opts.cards).every((card) => {
        const entry = list.find((e) => e.reader === card.reader);
        return this.inserted.has(card.name) ? entry?.state === "present" && entry.token : !entry || entry.state === "empty";
      });
    }, 8000, `the daemon shows exactly the cards ${names.join(", ") || "(none)"}`, 100);
  }
}

// ---- the portal ----------------------------------------------------------------------------------

/** A port free right now on 127.0.0.1 (the portal's origin must name its port up front). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * cardbridge-portal with a database of its own. The origin must be known before it starts (its
 * tokens are verified for it), so the port is picked here and given to both --listen and
 * --origin; the test then waits for the portal to print that it listens there.
 */
export async function startPortalServer(opts, dir) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const log = path.join(dir, "portal.log");
  writeFileSync(log, "");
  const args = ["--listen", `127.0.0.1:${port}`, "--origin", origin, "--ca", opts.caBundle, "--db", path.join(dir, "portal.db")];
  if (opts.web) args.push("--web", opts.web);
  const proc = startProcess(opts.portal, args, { env: process.env, log, name: "cardbridge-portal" });
  onFailure(() => console.log(`---- portal log (${log}):\n${readFileSync(log, "utf8").split("\n").slice(-150).join("\n")}`));
  await until(() => {
    const text = readFileSync(log, "utf8");
    if (proc.child.exitCode !== null) throw new Error(`cardbridge-portal exited (${proc.child.exitCode}): ${text}`);
    return new RegExp(`127\\.0\\.0\\.1:${port}\\b`).test(text);
  }, 10000, `cardbridge-portal says it listens on 127.0.0.1:${port}`);
  return { origin, port, process: proc, log };
}

// ---- the browser ---------------------------------------------------------------------------------

/** chromiumWithExtension, plus what the portal's cases want: a page console and failed requests
 *  printed on a failure, confirm() dialogs accepted, and a selector that never shows failing the
 *  case rather than the run. */
export async function startBrowser(opts, dir, daemon) {
  const context = await chromiumWithExtension(opts, dir, daemon);
  context.setDefaultTimeout(10000);
  const consoleLines = [];
  const watch = (page) => {
    page.on("console", (m) => consoleLines.push(`[${page.url().replace(/^https?:\/\/[^/]+/, "")}] ${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleLines.push(`[${page.url().replace(/^https?:\/\/[^/]+/, "")}] pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) consoleLines.push(`[${page.url().replace(/^https?:\/\/[^/]+/, "")}] HTTP ${r.status()} ${r.request().method()} ${r.url().replace(/^https?:\/\/[^/]+/, "")}`);
    });
    page.on("dialog", (d) => d.accept().catch(() => {})); // 确认解绑 / 删除: yes
  };
  context.pages().forEach(watch); // the tab the browser starts with, which the test uses
  context.on("page", watch);
  onFailure(() => console.log(`---- page console and failed requests (last 100):\n${consoleLines.slice(-100).join("\n")}`));
  return context;
}

/** Starts the daemon with one rule for the portal's origin: login, sign and the page's PIN. */
export async function startDaemon(opts, dir, origin) {
  const daemon = new Daemon(opts, dir, [{ pattern: origin, login: true, sign: true, sendPin: true }]);
  await daemon.start();
  return daemon;
}
