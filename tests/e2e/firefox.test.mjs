// Issue #6 in Firefox ESR: `web-ext lint` on the Firefox build of the extension (no errors), then
// a smoke run: `web-ext run` (headless, a temporary profile) opens ff_login.html, which logs in
// through the extension, cardbridge-host and cardbridged with the virtual SM2 card and POSTs the
// outcome to the portal; the portal verifies the token (verify_login_token) for its origin and
// nonce, and the token fails for another origin.
//
//   vcard-env --card TEST_PKI/cards/trade-legal-sm2 -- node firefox.test.mjs --daemon … (CMakeLists.txt)
import path from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import {
  Daemon, PIN, buildExtension, check, leftovers, main, makeHome, onFailure, options, run, runCase, running,
  startPortal, startProcess, until, verifyToken, workDir,
} from "./support.mjs";

const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const opts = options();

await main(opts.deadline, async () => {
  const dir = workDir("firefox");
  const extension = buildExtension(path.join(dir, "extension")).firefox;
  const webExt = path.join(opts.modules, "node_modules/.bin/web-ext");
  // web-ext's temporary profile goes into TMPDIR: ours, removed with the run.
  const env = { ...process.env, TMPDIR: dir, NO_UPDATE_NOTIFIER: "1" };

  await runCase("lint", async () => {
    const lint = run(webExt, ["lint", "--source-dir", extension, "--output", "json", "--no-config-discovery"], { env });
    let report;
    try {
      report = JSON.parse(lint.stdout);
    } catch {
      report = null;
    }
    check("web-ext lint ran", report !== null, report?.summary ?? lint.output);
    if (!report) return;
    const list = (kind) => report[kind].map((m) => `${m.code}: ${m.description ?? m.message}`);
    check("web-ext lint: no errors", report.summary.errors === 0, list("errors"));
    console.log(`web-ext lint: ${report.summary.warnings} warnings, ${report.summary.notices} notices${report.summary.warnings ? `\n  ${list("warnings").join("\n  ")}` : ""}`);
  });

  const portal = await startPortal(opts);
  const daemon = new Daemon(opts, dir, [{ pattern: portal.allowed, login: true, sign: true, sendPin: true }]);
  await daemon.start();
  await daemon.cardReady();

  await runCase("login through the extension", async () => {
    // The host manifest where Firefox looks for it: $HOME/.mozilla/native-messaging-hosts/.
    const home = makeHome(dir);
    const install = run(opts.cli, ["install-browser-integration", "--user", "--host", opts.host, "--json"], { env: { ...env, HOME: home } });
    const manifest = path.join(home, ".mozilla/native-messaging-hosts/cn.cardbridge.host.json");
    let allowed = null;
    try {
      allowed = JSON.parse(readFileSync(manifest, "utf8")).allowed_extensions;
    } catch {}
    check("cardbridge install-browser-integration --user writes Firefox's host manifest",
      install.status === 0 && allowed?.includes("cardbridge@cardbridge.invalid"), install.output);

    const log = path.join(dir, "web-ext.log");
    writeFileSync(log, "");
    onFailure(() => console.log(`---- web-ext run (${log}):\n${readFileSync(log, "utf8").split("\n").slice(-60).join("\n")}`));
    const firefox = startProcess(webExt, ["run", "--firefox", FIREFOX, "--arg=-headless", "--no-input", "--no-reload",
      "--no-config-discovery", "--source-dir", extension, "--start-url", `${portal.allowed}/ff_login.html?pin=${PIN}`],
    { env: { ...env, HOME: home, CARDBRIDGE_SOCKET: daemon.socket }, log, name: "web-ext run" });

    const login = await Promise.race([
      portal.nextLogin(45000),
      firefox.exited.then((e) => { throw new Error(`web-ext run ended early: ${JSON.stringify(e)}`); }),
    ]);
    const { outcome, verdict } = login;
    check("the page found the extension and connect() went through it", outcome.extension === true && outcome.bridge === "extension",
      { extension: outcome.extension, bridge: outcome.bridge, error: outcome.error });
    check("auth.login with the page's PIN gave a token", typeof outcome.token === "string" && !outcome.error, outcome.error ?? "token");
    check("the portal verified the token for its origin and nonce", verdict.verified === true, verdict);
    check("the daemon never prompted for a PIN (the page's was used)", daemon.prompts() === "", daemon.prompts());
    if (typeof outcome.token === "string") {
      const other = verifyToken(opts, outcome.token, portal.denied, outcome.nonce);
      check("(control) the same token fails for another origin", !other.verified && other.output.includes("SIGNATURE_INVALID"), other);
    }
    // Firefox, its helpers and cardbridge-host name files in `dir`; so does the daemon.
    const theirs = () => leftovers(dir).filter((pid) => pid !== daemon.process?.pid);
    check("cardbridge-host runs (a child of Firefox, found by its CARDBRIDGE_SOCKET)", running(theirs(), opts.host).length === 1, running(theirs(), opts.host));
    await firefox.stop("SIGTERM", 5000);
    const gone = await until(() => !firefox.alive() && theirs().length === 0, 5000, "Firefox's processes end").catch(() => false);
    check("Firefox, web-ext and cardbridge-host ended, nothing of theirs left running", gone, theirs());
  });
});
