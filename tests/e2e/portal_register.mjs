// 企业用户注册 in the reference portal: 无卡用户 (an administrator, and a second one refused) and
// 有卡用户 (a legal-person card → administrator, an operator card → operator), with the card
// failures the user must be shown: an expired certificate, the administrator of the card's
// enterprise already there (bound or not).
import { PIN, check } from "./support.mjs";
import {
  api, expectCode, expectPath, expectVisible, fillForm, readonlyValues, seen, sessionUser, submit, useCard,
} from "./portal_pages.mjs";

export const PASSWORD = "Cardbridge1!";
export const PHONE = "13800138000";

/** The 18-character citizen ID of `first17` with its GB 11643 check character. */
export function idNumber(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

/** 无卡用户注册 as `username` for 测试进出口贸易 under the name `enterpriseName`. */
async function manualRegistration(t, page, username, enterpriseName) {
  await fillForm(page, "#manual-enterprise-form", {
    "name|enterpriseName": enterpriseName, uscc: t.A.uscc, legalPerson: "张测试", "?address": "测试市测试路 1 号",
  });
  await submit(page, "#manual-enterprise-form");
  await fillForm(page, "#manual-account-form", {
    username, password: PASSWORD, password2: PASSWORD, phone: PHONE, realName: "张测试",
    idNumber: t.card("trade-legal-sm2").holder_id, agree: true,
  });
  await submit(page, "#manual-account-form");
}

export async function manualAdmin(t) {
  await t.site.fresh();
  const page = await t.site.open("/register-manual.html");
  // The name differs from the card's, and no org or customs code: 同步更新 has something to show.
  await manualRegistration(t, page, "tradeadmin", t.A.manualName);
  if (!await expectPath(page, "无卡用户注册: lands on /account.html, logged in", "/account.html")) return;
  const user = await sessionUser(page);
  check("无卡用户注册: the user is the administrator of 91999999000000019D, without a card",
    user?.username === "tradeadmin" && user.role === "admin" && user.enterprise?.uscc === t.A.uscc && !user.card && !user.mustChangePassword, user);
}

export async function secondManualAdmin(t) {
  await t.site.fresh();
  const page = await t.site.open("/register-manual.html");
  await manualRegistration(t, page, "tradeadmin2", t.A.name);
  await expectCode(page, "无卡用户注册 with the same USCC: ADMIN_EXISTS shown", "ADMIN_EXISTS", { where: ["#message"] });
  check("无卡用户注册 refused: still on the page, not logged in", new URL(page.url()).pathname === "/register-manual.html" && !await sessionUser(page),
    await seen(page));
}

/** register-card.html with the card(s) in: PIN, then identify. */
async function cardRegistration(t, pin = PIN) {
  await t.site.fresh();
  const page = await t.site.open("/register-card.html");
  await useCard(page, { pin });
  return page;
}

export async function expiredCard(t) {
  await t.cards.only("trade-operator-sm2-expired");
  const page = await cardRegistration(t);
  await expectCode(page, "有卡用户注册 with trade-operator-sm2-expired: CERT_EXPIRED shown", "CERT_EXPIRED");
  check("expired card: no registration form offered",
    !await page.isVisible("#register-admin-form") && !await page.isVisible("#register-operator-form"), await seen(page));
}

export async function legalCardAdminUnbound(t) {
  await t.cards.only("trade-legal-sm2");
  const page = await cardRegistration(t);
  await expectCode(page, "有卡用户注册 with the legal-person card while the administrator has no card: ADMIN_EXISTS_UNBOUND shown",
    "ADMIN_EXISTS_UNBOUND");
}

/**
 * Once the administrator is bound to trade-legal-sm2: that card is refused as bound already
 * (log in with it), and the enterprise's other legal-person card as a second administrator.
 */
export async function legalCardAdminBound(t) {
  await t.cards.only("trade-legal-sm2");
  const bound = await cardRegistration(t);
  await expectCode(bound, "有卡用户注册 with the administrator's own (bound) card: CARD_ALREADY_BOUND shown", "CARD_ALREADY_BOUND");
  await t.cards.only("trade-legal-rsa");
  const page = await cardRegistration(t);
  await expectCode(page, "有卡用户注册 with another legal-person card of the enterprise, administrator bound: ADMIN_EXISTS shown", "ADMIN_EXISTS");
  check("second administrator by card refused: no registration form offered", !await page.isVisible("#register-admin-form"), await seen(page));
}

export async function legalCardRegistersAdmin(t) {
  await t.cards.only("logistics-legal-sm2");
  const card = t.card("logistics-legal-sm2");
  const page = await cardRegistration(t);
  if (!await expectVisible(page, "有卡用户注册 (legal-person card, enterprise without administrator): #register-admin-form shown",
    "#register-admin-form")) return;
  const shown = await readonlyValues(page, "#register-admin-form");
  check("有卡用户注册: the enterprise and holder are read-only, from the card",
    shown.enterpriseName === t.B.name && shown.uscc === t.B.uscc && shown.orgCode === t.B.orgCode
      && shown.customsCode === t.B.customsCode && shown.holder === card.holder, shown);
  await fillForm(page, "#register-admin-form", {
    username: "logadmin", password: PASSWORD, password2: PASSWORD, phone: PHONE, "?realName": card.holder,
    idNumber: card.holder_id, agree: true,
  });
  await submit(page, "#register-admin-form");
  if (!await expectPath(page, "有卡用户注册 (administrator): lands on /account.html", "/account.html")) return;
  const user = await sessionUser(page);
  check("有卡用户注册: the administrator of 样例国际物流, bound to the card",
    user?.username === "logadmin" && user.role === "admin" && user.enterprise?.uscc === t.B.uscc && user.card?.cardId === card.card_id, user);
}

export async function operatorCardRegistersOperator(t) {
  await t.cards.only("trade-operator-sm2");
  const card = t.card("trade-operator-sm2");
  const page = await cardRegistration(t);
  if (!await expectVisible(page, "有卡用户注册 (operator card, enterprise with an administrator): #register-operator-form shown",
    "#register-operator-form")) return;
  const shown = await readonlyValues(page, "#register-operator-form");
  check("有卡用户注册 (operator): holder and enterprise read-only, from the card",
    shown.holder === card.holder && shown.enterpriseName === t.A.name, shown);
  await fillForm(page, "#register-operator-form", {
    username: "tradeop1", password: PASSWORD, password2: PASSWORD, phone: PHONE, "?realName": card.holder, agree: true,
  });
  await submit(page, "#register-operator-form");
  if (!await expectPath(page, "有卡用户注册 (operator): lands on /account.html", "/account.html")) return;
  const user = await sessionUser(page);
  check("有卡用户注册: an operator of 测试进出口贸易, bound to the card, no forced password change",
    user?.username === "tradeop1" && user.role === "operator" && user.enterprise?.uscc === t.A.uscc
      && user.card?.cardId === card.card_id && !user.mustChangePassword, user);
  const declared = await api(page, "POST", "/api/business/declare", { title: "报关单 E2E-0001" });
  const list = await api(page, "GET", "/api/business");
  check("the operator may do business: declare, then see it listed",
    declared.status === 200 && list.status === 200 && list.body?.declarations?.some((d) => d.title === "报关单 E2E-0001"), { declared, list });
}
