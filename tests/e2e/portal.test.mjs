// Issue #7 item 2: the reference portal (examples/portal) end to end in headless Chromium,
// through the extension, cardbridge-host and cardbridged, with virtual cards behind vcard-env.
//
//   vcard-env --card …/trade-legal-sm2:control=… --card …/trade-operator-sm2:control=…
//             --card …/logistics-legal-sm2:control=… --card …/trade-operator-sm2-expired:control=…
//             --card …/trade-legal-rsa:control=…
//             -- node portal.test.mjs --portal cardbridge-portal --daemon … (CMakeLists.txt)
//
// One portal database for the whole run, so the cases build on each other in this order (a
// case whose precondition failed fails too). Before each card step only the card(s) it needs
// are in their readers. Every case judges what the user sees: the URL the page goes to,
// #message / #card-status with their data-code, the read-only card data, the operators' table.
import { check, main, onFailure, runCase, workDir } from "./support.mjs";
import { Cards, portalOptions, startBrowser, startDaemon, startPortalServer } from "./portal_support.mjs";
import { Site } from "./portal_pages.mjs";
import * as register from "./portal_register.mjs";
import * as login from "./portal_login.mjs";
import * as account from "./portal_account.mjs";

const opts = portalOptions();
const NEEDED = ["trade-legal-sm2", "trade-operator-sm2", "logistics-legal-sm2", "trade-operator-sm2-expired", "trade-legal-rsa"];

await main(opts.deadline, async () => {
  const missing = NEEDED.filter((name) => !opts.cards[name]);
  if (missing.length) throw new Error(`vcard-env lacks the cards ${missing.join(", ")}`);
  const t0 = performance.now();
  const dir = workDir("portal");
  const portal = await startPortalServer(opts, dir);
  const daemon = await startDaemon(opts, dir, portal.origin);
  const context = await startBrowser(opts, dir, daemon);
  const card = (name) => opts.cards[name];
  const legal = card("trade-legal-sm2");
  const t = {
    opts, site: new Site(context, portal.origin), cards: new Cards(opts, daemon), card,
    // 测试进出口贸易 as its cards carry it; the administrator registers without a card under
    // another name and without org and customs codes, which 同步更新 then brings in.
    A: { name: legal.enterprise, manualName: "测试进出口贸易公司", uscc: legal.uscc, orgCode: legal.org_code, customsCode: legal.customs_code },
    B: (({ enterprise, uscc, org_code, customs_code }) => ({ name: enterprise, uscc, orgCode: org_code, customsCode: customs_code }))(card("logistics-legal-sm2")),
  };
  onFailure(() => console.log(`---- daemon pinentry prompts (should be none): ${daemon.prompts() || "none"}`));
  console.log(`---- setup (portal ${portal.origin}, daemon, Chromium with the extension): ${Math.round(performance.now() - t0)} ms`);

  const cases = [
    ["1 无卡用户注册: administrator of 测试进出口贸易", register.manualAdmin],
    ["2 无卡用户注册: a second administrator refused (ADMIN_EXISTS)", register.secondManualAdmin],
    ["3 用户名密码登录; the administrator cannot do business", login.passwordLoginAdminNoBusiness],
    ["4 有卡用户注册: expired certificate (CERT_EXPIRED)", register.expiredCard],
    ["5 有卡用户注册: legal-person card, administrator without card (ADMIN_EXISTS_UNBOUND)", register.legalCardAdminUnbound],
    ["6 卡介质登录: unbound card (CARD_NOT_BOUND)", login.unboundCardLogin],
    ["7 我的IC卡: another enterprise's card (ENTERPRISE_MISMATCH)", account.bindOtherEnterprise],
    ["8 有卡用户注册: legal-person card → administrator of 样例国际物流", register.legalCardRegistersAdmin],
    ["9 legacy 卡介质登录 (E-Port protocol, WebSocket shim)", login.legacyLogin],
    ["10 有卡用户注册: operator card → operator", register.operatorCardRegistersOperator],
    ["11 我的操作员: bound operator, unbound administrator (OPERATOR_PROTECTED)", account.operatorProtected],
    ["12 我的IC卡: wrong PIN (retries shown), then bind; the operator editable again", account.bindWithWrongPinFirst],
    ["13 有卡用户注册: the bound card (CARD_ALREADY_BOUND), a second administrator (ADMIN_EXISTS)", register.legalCardAdminBound],
    ["14 卡介质登录 with one card", login.cardLogin],
    ["15 同步更新: changes shown, replayed proof (NONCE_USED), saved", account.syncUpdate],
    ["16 卡介质登录 with two cards: the reader chooser", login.twoCardsChooser],
    ["17 我的IC卡: 解绑", account.unbindCard],
    ["18 我的操作员: 新增有卡操作员 (a legal-person card: CARD_ROLE)", account.addCardOperator],
    ["19 first login of an admin-created operator: 修改密码 forced", account.initialPasswordMustChange],
    ["20 我的操作员: 新增无卡操作员 (a field error first), then 删除", account.manualOperatorDeleted],
  ];
  for (const [name, fn] of cases) await runCase(name, () => fn(t));
  check("the daemon never prompted for a PIN (the pages sent it)", daemon.prompts() === "", daemon.prompts());
  console.log(`---- all cases: ${Math.round(performance.now() - t0)} ms`);
});
