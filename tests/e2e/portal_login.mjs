// 用户登录 in the reference portal: 用户名密码 (and a wrong password), 卡介质 (one card, two cards
// with the reader chooser, an unbound card), the legacy page (E-Port protocol through the
// extension's WebSocket shim), and the rule that an administrator cannot do business.
import { PIN, check } from "./support.mjs";
import { api, expectCode, expectPath, fillForm, reveal, seen, sessionUser, submit, useCard } from "./portal_pages.mjs";
import { PASSWORD } from "./portal_register.mjs";

/** login.html with the 卡介质 tab shown. */
async function cardLoginPage(t) {
  await t.site.fresh();
  const page = await t.site.open("/login.html");
  await reveal(page, "#card-go", "卡介质");
  return page;
}

export async function passwordLoginAdminNoBusiness(t) {
  await t.site.fresh();
  const page = await t.site.open("/login.html");
  await reveal(page, "#password-login", "用户名密码");
  await fillForm(page, "#password-login", { username: "tradeadmin", password: "Wrong-pass1" });
  await submit(page, "#password-login");
  await expectCode(page, "用户名密码登录 with a wrong password: BAD_CREDENTIALS shown", "BAD_CREDENTIALS", { where: ["#message"] });
  await fillForm(page, "#password-login", { username: "tradeadmin", password: PASSWORD });
  await submit(page, "#password-login");
  if (!await expectPath(page, "用户名密码登录: lands on /account.html", "/account.html")) return;
  const business = await t.site.open("/business.html");
  await expectCode(business, "业务办理 as the administrator: ADMIN_NO_BUSINESS shown", "ADMIN_NO_BUSINESS", { where: ["#message"] });
  const declared = await api(business, "POST", "/api/business/declare", { title: "管理员的报关单" });
  check("an administrator's declaration is refused: 403 ADMIN_NO_BUSINESS",
    declared.status === 403 && declared.body?.error?.code === "ADMIN_NO_BUSINESS", declared);
}

export async function unboundCardLogin(t) {
  await t.cards.only("logistics-legal-sm2");
  const page = await cardLoginPage(t);
  await useCard(page, { pin: PIN });
  await expectCode(page, "卡介质登录 with a card bound to no account: CARD_NOT_BOUND shown", "CARD_NOT_BOUND");
  check("unbound card: not logged in, still on /login.html",
    new URL(page.url()).pathname === "/login.html" && !await sessionUser(page), await seen(page));
}

export async function legacyLogin(t) {
  await t.cards.only("logistics-legal-sm2");
  await t.site.fresh();
  const page = await t.site.open("/login-legacy.html");
  await useCard(page, { pin: PIN });
  if (!await expectPath(page, "legacy 卡介质登录 (E-Port protocol through the shim): lands on /account.html", "/account.html")) return;
  const user = await sessionUser(page);
  check("legacy login: logged in as the card's account (logadmin)", user?.username === "logadmin" && user.card?.cardId === t.card("logistics-legal-sm2").card_id, user);
}

/** 卡介质登录 with trade-legal-sm2 alone: no chooser; the page's POST is returned for the replay. */
export async function cardLogin(t) {
  await t.cards.only("trade-legal-sm2");
  const page = await cardLoginPage(t);
  // #card-go is enabled once the widget has listed the cards (tokens.list).
  await page.waitForSelector("#card-go:not([disabled])", { timeout: 5000 }).catch(() => {});
  check("one card: #card-reader is hidden", !await page.isVisible("#card-reader"), await seen(page));
  const posted = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/login/card", { timeout: 15000 });
  await useCard(page, { pin: PIN });
  if (!await expectPath(page, "卡介质登录 with the bound legal-person card: lands on /account.html", "/account.html")) return;
  const user = await sessionUser(page);
  check("卡介质登录: logged in as tradeadmin, the card shown as bound", user?.username === "tradeadmin" && user.card?.cardId === t.card("trade-legal-sm2").card_id, user);
  const body = (await posted.catch(() => null))?.postDataJSON();
  check("卡介质登录 posted {nonce, token} to /api/login/card", typeof body?.nonce === "string" && typeof body?.token === "string", body);
}

export async function twoCardsChooser(t) {
  await t.cards.only("trade-legal-sm2", "trade-operator-sm2");
  const operator = t.card("trade-operator-sm2");
  const page = await cardLoginPage(t);
  const visible = await page.waitForSelector("#card-reader", { state: "visible", timeout: 5000 }).then(() => true, () => false);
  const options = await page.$$eval("#card-reader option", (list) => list.map((o) => ({ value: o.value, text: o.textContent.trim() })));
  const pick = options.find((o) => o.value === operator.reader) ?? options.find((o) => o.text.includes(operator.reader) || o.text.includes(operator.holder));
  check("two cards: #card-reader is shown, one option per card", visible && options.filter((o) => o.value).length === 2 && pick, { visible, options });
  if (!pick) return;
  await useCard(page, { pin: PIN, reader: pick.value });
  if (!await expectPath(page, "two cards: 卡介质登录 with the chosen operator card lands on /account.html", "/account.html")) return;
  const user = await sessionUser(page);
  check("two cards: logged in as the chosen card's account (tradeop1)", user?.username === "tradeop1", user);
}
