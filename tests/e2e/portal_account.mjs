// After login in the reference portal: 我的IC卡 (bind with a wrong PIN first, another enterprise's
// card, unbind), 同步更新 (what changed, a replayed proof, saved), 我的操作员 (an operator whose
// card is bound while the administrator's is not, then 修改; 新增有卡操作员, 新增无卡操作员, 删除)
// and the forced change of an initial password.
import { PIN, check } from "./support.mjs";
import {
  api, expectAttribute, expectCode, expectPath, expectVisible, fillForm, loginAs, passwordLogin, readonlyValues, reveal, seen,
  sessionUser, submit, useCard,
} from "./portal_pages.mjs";
import { PASSWORD, PHONE, idNumber } from "./portal_register.mjs";

const INITIAL = "Initial-123";
const row = (username) => `table#operators tr[data-username="${username}"]`;

const asAdmin = (t, pathname) => loginAs(t.site, "tradeadmin", PASSWORD, pathname);

export async function bindOtherEnterprise(t) {
  await t.cards.only("logistics-legal-sm2");
  const page = await asAdmin(t, "/ic-card.html");
  await expectAttribute(page, "我的IC卡 of the card-less administrator: #bound-card has an empty data-card-id", "#bound-card", "data-card-id", "");
  await useCard(page, { pin: PIN, go: "#bind-go" });
  await expectCode(page, "绑卡 with 样例国际物流's card to a 测试进出口贸易 account: ENTERPRISE_MISMATCH shown", "ENTERPRISE_MISMATCH");
  await expectAttribute(page, "ENTERPRISE_MISMATCH: still no card bound", "#bound-card", "data-card-id", "");
}

export async function operatorProtected(t) {
  const page = await asAdmin(t, "/operators.html");
  if (!await expectVisible(page, "我的操作员 lists tradeop1", row("tradeop1"))) return;
  await expectAttribute(page, "an operator with a bound card, the administrator's not bound: data-editable=false", row("tradeop1"), "data-editable", "false");
  const list = await api(page, "GET", "/api/operators");
  const op = list.body?.operators?.find((o) => o.username === "tradeop1");
  const update = await api(page, "POST", "/api/operators/update", { id: op?.id, phone: "13900139000", realName: "改名" });
  const del = await api(page, "POST", "/api/operators/delete", { id: op?.id });
  check("修改 and 删除 of that operator are refused: 403 OPERATOR_PROTECTED",
    [update, del].every((r) => r.status === 403 && r.body?.error?.code === "OPERATOR_PROTECTED"), { op, update, del });
  // What the user meets pressing 删除: a disabled button, or the refusal.
  const button = page.locator(`${row("tradeop1")} .delete`);
  if (await button.count() && await button.isEnabled()) {
    await page.evaluate(() => delete document.querySelector("#message")?.dataset.code);
    await button.click();
    await expectCode(page, "pressing 删除 on the protected operator: OPERATOR_PROTECTED shown", "OPERATOR_PROTECTED", { where: ["#message"] });
  } else {
    check("the protected operator's 删除 button is disabled", await button.count() === 1, await page.innerHTML(row("tradeop1")));
  }
}

export async function bindWithWrongPinFirst(t) {
  await t.cards.only("trade-legal-sm2");
  const page = await asAdmin(t, "/ic-card.html");
  await useCard(page, { pin: "11111111", go: "#bind-go" });
  const view = await expectCode(page, "绑卡 with a wrong PIN: PIN_INCORRECT shown in #card-status", "PIN_INCORRECT", { where: ["#card-status"] });
  check("wrong PIN: data-retries=2 and the text says 2 tries are left", view.card?.retries === "2" && /2/.test(view.card?.text ?? ""), view.card);
  // The right PIN now, so that the card's counter is back at 3 for the rest of the run.
  await useCard(page, { pin: PIN, go: "#bind-go" });
  await expectCode(page, "绑卡 with the right PIN: OK", "OK", { where: ["#message"] });
  await expectAttribute(page, "绑卡: #bound-card shows the legal-person card's ID", "#bound-card", "data-card-id", t.card("trade-legal-sm2").card_id);
  const ops = await t.site.open("/operators.html");
  if (!await expectAttribute(ops, "with the administrator's card bound, tradeop1 is editable again (data-editable=true)", row("tradeop1"), "data-editable", "true")) return;
  // 修改 now works. The edit form is not in the DOM contract: #operator-edit-form, as the page has it.
  await ops.click(`${row("tradeop1")} .edit`);
  await fillForm(ops, "#operator-edit-form", { phone: "13900139000" });
  await submit(ops, "#operator-edit-form");
  await expectCode(ops, "修改 tradeop1 (administrator bound now): OK", "OK", { where: ["#message"] });
  const list = await api(ops, "GET", "/api/operators");
  check("修改 saved: tradeop1's phone is the new one", list.body?.operators?.find((o) => o.username === "tradeop1")?.phone === "13900139000", list);
}

/** 同步更新 as tradeadmin (logged in by cardLogin), the legal-person card in. */
export async function syncUpdate(t) {
  await t.cards.only("trade-legal-sm2");
  const page = await t.site.open("/account.html");
  const posted = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/sync/preview", { timeout: 15000 });
  await useCard(page, { pin: PIN, go: "#sync-go" });
  if (!await expectVisible(page, "同步更新: #sync-changes shown", "#sync-changes tr[data-field]")) return;
  const rows = await page.$$eval("#sync-changes tr[data-field]", (list) => list.map((r) => ({
    field: r.dataset.field, old: r.querySelector(".old")?.textContent.trim(), new: r.querySelector(".new")?.textContent.trim(),
  })));
  const byNew = (value) => rows.find((r) => r.new === value);
  check("同步更新 shows the changes: 企业名称 and 海关编码 from the card, nothing unchanged",
    byNew(t.A.name)?.old === t.A.manualName && byNew(t.A.customsCode) && rows.every((r) => r.old !== r.new)
      && rows.every((r) => [t.A.name, t.A.uscc, t.A.orgCode, t.A.customsCode].includes(r.new)), rows);

  const body = (await posted.catch(() => null))?.postDataJSON();
  const replay = await api(page, "POST", "/api/sync/preview", body ?? {});
  check("the page's {nonce, token} posted a second time: 400 NONCE_USED",
    replay.status === 400 && replay.body?.error?.code === "NONCE_USED", { replay, posted: Boolean(body) });

  await page.evaluate(() => delete document.querySelector("#message")?.dataset.code);
  await page.click("#sync-apply");
  await expectCode(page, "同步更新 saved: OK", "OK", { where: ["#message"] });
  const account = await api(page, "GET", "/api/account");
  const e = account.body?.enterprise;
  check("the account now has the card's enterprise data",
    e?.name === t.A.name && e.uscc === t.A.uscc && e.orgCode === t.A.orgCode && e.customsCode === t.A.customsCode, account);
}

/** tradeop1 (logged in by twoCardsChooser) unbinds its card in 我的IC卡. */
export async function unbindCard(t) {
  const page = await t.site.open("/ic-card.html");
  await expectAttribute(page, "我的IC卡 shows the operator's bound card", "#bound-card", "data-card-id", t.card("trade-operator-sm2").card_id);
  await page.evaluate(() => delete document.querySelector("#message")?.dataset.code);
  await page.click("#unbind");
  await expectCode(page, "解绑: OK", "OK", { where: ["#message"] });
  await expectAttribute(page, "解绑: #bound-card has an empty data-card-id", "#bound-card", "data-card-id", "");
  const user = await sessionUser(page);
  check("解绑: the session's user has no card", user?.username === "tradeop1" && !user.card, user);
}

export async function addCardOperator(t) {
  // trade-legal-rsa: of the enterprise, bound to no one, but a legal-person card.
  await t.cards.only("trade-legal-rsa");
  const page = await asAdmin(t, "/operators.html");
  await reveal(page, "#card-go", "新增有卡操作员");
  await useCard(page, { pin: PIN });
  await expectCode(page, "新增有卡操作员 with a legal-person card: CARD_ROLE shown", "CARD_ROLE");
  check("CARD_ROLE: no operator form offered", !await page.isVisible("#operator-card-form"), await seen(page));

  await t.cards.only("trade-operator-sm2");
  await useCard(page, { pin: PIN });
  if (!await expectVisible(page, "新增有卡操作员: the card identified, #operator-card-form shown", "#operator-card-form")) return;
  const shown = await readonlyValues(page, "#operator-card-form");
  check("新增有卡操作员: the holder from the card, read-only", !("holder" in shown) || shown.holder === t.card("trade-operator-sm2").holder, shown);
  await fillForm(page, "#operator-card-form", {
    username: "tradeop2", phone: PHONE, initialPassword: INITIAL, initialPassword2: INITIAL,
  });
  await submit(page, "#operator-card-form");
  await expectCode(page, "新增有卡操作员 saved: OK", "OK", { where: ["#message"] });
  await expectVisible(page, "我的操作员 lists tradeop2", row("tradeop2"), 5000);
}

export async function initialPasswordMustChange(t) {
  await t.site.fresh();
  const page = await passwordLogin(t.site, "tradeop2", INITIAL, { expect: "/password.html",
    name: "an operator the administrator created: the first password login goes to /password.html" });
  const before = await api(page, "GET", "/api/business");
  check("until the password is changed: 403 PASSWORD_CHANGE_REQUIRED", before.status === 403 && before.body?.error?.code === "PASSWORD_CHANGE_REQUIRED", before);
  await fillForm(page, "#password-form", { oldPassword: INITIAL, newPassword: PASSWORD, newPassword2: PASSWORD });
  await submit(page, "#password-form");
  if (!await expectPath(page, "修改密码: lands on /account.html", "/account.html")) return;
  const after = await api(page, "GET", "/api/business");
  check("after the change the operator may do business (GET /api/business 200)", after.status === 200, after);
}

export async function manualOperatorDeleted(t) {
  const id = idNumber("99999919950606006");
  const page = await asAdmin(t, "/operators.html");
  await reveal(page, "#operator-manual-form", "新增无卡操作员");
  // First with a wrong check character: the field's own error.
  const wrong = id.slice(0, 17) + (id[17] === "0" ? "1" : "0");
  await fillForm(page, "#operator-manual-form", {
    username: "tradeop3", phone: PHONE, realName: "钱测试", "?idType": "身份证", idNumber: wrong, "?email": "op3@example.com",
  });
  await submit(page, "#operator-manual-form");
  const shown = await page.waitForFunction(() => document.querySelector('#operator-manual-form .field-error[data-for="idNumber"]')?.textContent.trim(),
    null, { timeout: 5000 }).then(() => true, () => false);
  check("新增无卡操作员 with an invalid ID number: span.field-error[data-for=idNumber] says so", shown, await seen(page));
  const code = await page.getAttribute("#message", "data-code");
  check("invalid ID number: not saved (#message data-code is not OK)", code !== "OK" && !await page.isVisible(row("tradeop3")), { code, ...(await seen(page)) });
  await fillForm(page, "#operator-manual-form", { idNumber: id });
  await submit(page, "#operator-manual-form");
  await expectCode(page, "新增无卡操作员 saved: OK", "OK", { where: ["#message"] });
  if (!await expectVisible(page, "我的操作员 lists tradeop3, editable", `${row("tradeop3")}[data-editable="true"]`, 5000)) return;

  // Its initial password is the ID number's last 8 characters, and it must be changed first.
  await api(page, "POST", "/api/logout", {});
  const first = await api(page, "POST", "/api/login/password", { username: "tradeop3", password: id.slice(-8) });
  const blocked = await api(page, "GET", "/api/business");
  check("新增无卡操作员: logs in with the ID number's last 8 characters, mustChangePassword, else PASSWORD_CHANGE_REQUIRED",
    first.status === 200 && first.body?.user?.mustChangePassword === true && blocked.body?.error?.code === "PASSWORD_CHANGE_REQUIRED", { first, blocked });
  await api(page, "POST", "/api/logout", {});
  const back = await api(page, "POST", "/api/login/password", { username: "tradeadmin", password: PASSWORD });
  check("(the administrator logs in again)", back.status === 200, back);

  await page.reload({ waitUntil: "load" });
  await expectVisible(page, null, row("tradeop3"), 5000);
  await page.evaluate(() => delete document.querySelector("#message")?.dataset.code);
  await page.click(`${row("tradeop3")} .delete`);
  await expectCode(page, "删除 tradeop3: OK", "OK", { where: ["#message"] });
  const gone = await page.waitForSelector(row("tradeop3"), { state: "detached", timeout: 5000 }).then(() => true, () => false);
  check("删除: tradeop3 is no longer listed", gone, await seen(page));
  const login = await api(page, "POST", "/api/login/password", { username: "tradeop3", password: id.slice(-8) });
  check("the deleted operator cannot log in: 401 BAD_CREDENTIALS", login.status === 401 && login.body?.error?.code === "BAD_CREDENTIALS", login);
}
