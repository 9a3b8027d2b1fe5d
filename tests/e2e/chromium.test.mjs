// Issue #6 end to end in Chromium: test pages → the cardbridge extension → cardbridge-host
// (native messaging) → cardbridged → a virtual SM2 card behind a private pcscd.
//
//   vcard-env --card TEST_PKI/cards/trade-legal-sm2 -- node chromium.test.mjs --daemon … (CMakeLists.txt)
//
// Cases, each judged by what the page shows or gets:
//   a  login on an allowed origin through the extension; the portal's server verifies the
//      token for its origin and nonce (verify_login_token), and it fails for another origin
//   b  the same pages on an origin the daemon does not allow are refused: ORIGIN_NOT_ALLOWED
//   c  a legacy page's own new WebSocket("wss://wss.singlewindow.cn:61231") signs with the
//      card; openssl verifies the SM2 signature against the certificate the page got
//   d  card pulled and put back: the page sees token.removed and token.inserted
//   e  the daemon is stopped and started again: the same page's next call works
import {
  Daemon, PIN, cardCertificate, check, chromiumWithExtension, leftovers, main, onFailure, options, runCase, running,
  startPortal, until, vcard, verifySm2, verifyToken, withTimeout, workDir,
} from "./support.mjs";

const opts = options();

await main(opts.deadline, async () => {
  const dir = workDir("chromium");

  const portal = await startPortal(opts);
  const daemon = new Daemon(opts, dir, [{ pattern: portal.allowed, login: true, sign: true, sendPin: true }]);
  await daemon.start();
  await daemon.cardReady();

  const context = await chromiumWithExtension(opts, dir, daemon);
  const consoleLines = [];
  context.on("page", (page) => page.on("console", (m) => consoleLines.push(`[${new URL(page.url()).host}] ${m.text()}`)));
  onFailure(() => console.log(`---- page console:\n${consoleLines.join("\n")}`));

  const open = async (url) => {
    const page = await context.newPage();
    await page.goto(url);
    return page;
  };
  const text = (page, selector) => page.textContent(selector);

  await runCase("a login on the allowed origin", async () => {
    const page = await open(`${portal.allowed}/login.html`);
    await page.fill("#pin", PIN);
    await page.click("#login");
    await page.waitForSelector("body[data-done]", { timeout: 20000 });
    const outcome = await page.evaluate(() => window.loginOutcome);
    const status = await text(page, "#status");
    check("a: the page found the extension and connect() went through it", outcome.extension === true && outcome.bridge === "extension",
      { extension: outcome.extension, bridge: outcome.bridge, error: outcome.error });
    check("a: auth.login with the page's PIN gave a token", typeof outcome.token === "string" && !outcome.error, outcome.error ?? outcome.algorithm);
    check("a: the portal's server verified the token for its origin and nonce", outcome.verdict?.verified === true, outcome.verdict);
    check("a: the page says the login succeeded, with the card holder", status.startsWith("登录成功") && status.includes("张测试"), status);
    check("a: the daemon never prompted for a PIN (the page's was used)", daemon.prompts() === "", daemon.prompts());
    if (typeof outcome.token === "string") {
      const other = verifyToken(opts, outcome.token, portal.denied, outcome.nonce);
      check("a (control): the same token fails for another origin", !other.verified && other.output.includes("SIGNATURE_INVALID"), other);
      const same = verifyToken(opts, outcome.token, portal.allowed, outcome.nonce);
      check("a (control): and still verifies for its own", same.verified, same);
    }
    await page.close();
  });

  await runCase("b refused origin", async () => {
    const page = await open(`${portal.denied}/login.html`);
    await page.fill("#pin", PIN);
    await page.click("#login");
    await page.waitForSelector("body[data-done]", { timeout: 20000 });
    const outcome = await page.evaluate(() => window.loginOutcome);
    const status = await text(page, "#status");
    check("b: the extension serves the page", outcome.extension === true, { extension: outcome.extension });
    check("b: connect() is refused with ORIGIN_NOT_ALLOWED", outcome.error?.reason === "ORIGIN_NOT_ALLOWED" && !outcome.token, outcome.error);
    check("b: the page says so", status.includes("ORIGIN_NOT_ALLOWED"), status);
    await page.close();

    const legacy = await open(`${portal.denied}/legacy.html`);
    await legacy.waitForFunction(() => window.legacy.closed !== null, null, { timeout: 10000 });
    const state = await legacy.evaluate(() => window.legacy);
    check("b: a legacy WebSocket there fails: error, close 1006 ORIGIN_NOT_ALLOWED, no hello",
      state.hello === null && state.closed.code === 1006 && state.closed.reason === "ORIGIN_NOT_ALLOWED" && state.events.join() === "error", state);
    check("b: the legacy page shows the failure", (await text(legacy, "#status")).includes("ORIGIN_NOT_ALLOWED"), await text(legacy, "#status"));
    await legacy.close();
  });

  await runCase("c legacy page signs", async () => {
    const page = await open(`${portal.allowed}/legacy.html`);
    await page.waitForFunction(() => window.legacy.hello !== null || window.legacy.closed !== null, null, { timeout: 10000 });
    const hello = await page.evaluate(() => window.legacy);
    check("c: the page's own WebSocket opened and got the E-Port hello first",
      hello.hello?._args?.Data?.[0] === "cardbridge" && hello.events.join() === "open,message open", hello);
    const inData = "报关单 2026-0001：<ceb:orderNo>ORDER-0001</ceb:orderNo> 金额 100.00";
    await page.fill("#inData", inData);
    await page.fill("#passwd", PIN);
    await page.click("#sign");
    await page.waitForSelector("body[data-done]", { timeout: 20000 });
    const { sign, cert } = (await page.evaluate(() => window.legacy)).result;
    const certificate = Buffer.from(cert._args.Data[0] ?? "", "base64");
    check("c: cus-sec_SpcSignDataAsPEM succeeded with certNo", sign._args.Result === true && sign._args.Data[1] === "030000000000039c", sign);
    check("c: cus-sec_SpcGetSignCertAsPEM gave the card's signing certificate (9C)",
      cert._args.Result === true && certificate.equals(cardCertificate(opts, "9c")), cert._args.Error);
    const verdict = verifySm2(dir, certificate, Buffer.from(inData, "utf8"), sign._args.Data[0] ?? "");
    check("c: openssl verifies the SM2-SM3 signature over the page's UTF-8 data", verdict.verified, verdict.output);
    const forged = verifySm2(dir, certificate, Buffer.from(`${inData} `, "utf8"), sign._args.Data[0] ?? "");
    check("c (control): and rejects it over other data", !forged.verified, forged.output);
    check("c: the page shows success", (await text(page, "#status")).startsWith("签名成功"), await text(page, "#status"));
    check("c: the daemon never prompted for a PIN (passwd was used)", daemon.prompts() === "", daemon.prompts());
    await page.close();
  });

  const session = await open(`${portal.allowed}/session.html`);
  const ready = await session.waitForSelector("body[data-ready]", { timeout: 10000 }).then(() => true, () => false);
  const events = () => session.evaluate(() => window.session?.events ?? []);
  const seen = (name, after = 0) => until(async () => (await events()).slice(after).find((e) => e.name === name), 5000, `the page sees ${name}`);

  await runCase("d card events", async () => {
    check("d: the page connected and subscribed through the extension",
      ready && await session.evaluate(() => window.session?.bridge) === "extension", await text(session, "#channel"));
    vcard(opts, "remove");
    const removed = await seen("token.removed");
    check("d: the page sees token.removed with the reader's name", removed.reader === opts.reader, removed);
    vcard(opts, "insert");
    const inserted = await seen("token.inserted");
    check("d: the page sees token.inserted with the reader's name and ATR", inserted.reader === opts.reader && typeof inserted.atr === "string", inserted);
    const list = await text(session, "#events");
    check("d: the page lists both", list.includes(`token.removed ${opts.reader}`) && list.includes(`token.inserted ${opts.reader}`), list);
  });

  await runCase("e daemon restarted under the page", async () => {
    await daemon.cardReady();
    const before = await session.evaluate(() => window.readCard());
    check("e: the page reads the card", before.holder === "张测试", before);
    const stopped = await daemon.stop();
    check("e: the daemon ended on SIGTERM", stopped.code === 0, stopped);
    const closed = await until(() => session.evaluate(() => window.session.closes[0]), 5000, "the page sees its channel close");
    check("e: the page is told the channel closed (DAEMON_UNAVAILABLE)", closed.reason === "DAEMON_UNAVAILABLE", closed);
    await daemon.start();
    await daemon.cardReady();
    const after = await withTimeout(session.evaluate(() => window.readCard()), 15000, "cb.info() after the restart");
    check("e: the same page's next call works (the library reopened its channel)", after.holder === "张测试", after);
    check("e: the page shows the card again", (await text(session, "#info")).startsWith("张测试"), await text(session, "#info"));
    // The reopened channel renewed the subscription: events flow again.
    const count = (await events()).length;
    vcard(opts, "remove");
    const removed = await seen("token.removed", count);
    check("e: events reach the page again after the reopen", removed.reader === opts.reader, removed);
    vcard(opts, "insert");
    await seen("token.inserted", count);
  });
  await session.close();

  // Chromium and its helpers name the profile, cardbridge-host has CARDBRIDGE_SOCKET: all gone.
  const theirs = () => leftovers(dir).filter((pid) => pid !== daemon.process?.pid);
  check("cardbridge-host runs (a child of Chromium, found by its CARDBRIDGE_SOCKET)", running(theirs(), opts.host).length === 1, running(theirs(), opts.host));
  await context.close();
  const gone = await until(() => theirs().length === 0, 5000, "Chromium's processes end").catch(() => false);
  check("Chromium and cardbridge-host ended, nothing of theirs left running", gone, theirs());
});
