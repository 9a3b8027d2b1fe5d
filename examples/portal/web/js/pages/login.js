// 用户登录: 用户名密码 (POST /api/login/password) and 卡介质 (the card widget, then
// POST /api/login/card). #card opens the card tab.
import { $, $$, fill, h, value } from "../dom.js";
import { handleForm, post } from "../api.js";
import { CardWidget } from "../card.js";
import { afterLogin, initLayout } from "../layout.js";

function showTab(name) {
  for (const tab of $$("[role=tab]")) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  history.replaceState(null, "", name === "card" ? "#card" : location.pathname);
  (name === "card" ? $("#card-pin") : $("#login-username"))?.focus();
}
for (const tab of $$("[role=tab]")) tab.addEventListener("click", () => showTab(tab.dataset.tab));

/** The manual's advice for a card that is not bound to any account yet. */
function notBoundHint() {
  const toPassword = h("button", { type: "button", class: "link" }, "使用用户名密码登录");
  toPassword.addEventListener("click", () => showTab("password"));
  return h("span", { class: "hint-links" },
    "如尚未注册，请使用该卡进行", h("a", { href: "/register-card.html" }, "有卡用户注册"),
    "；如已注册，请", toPassword, "后，在“我的IC卡”中绑卡。");
}

new CardWidget($("#card-widget"), {
  purpose: "login",
  goLabel: "登录",
  async onToken({ nonce, token }) {
    const { user } = await post("/api/login/card", { nonce, token });
    afterLogin(user, "登录成功");
    return "登录成功";
  },
  hint: (code) => (code === "CARD_NOT_BOUND" ? notBoundHint() : null),
});

handleForm($("#password-login"), {
  submit: (form) => post("/api/login/password", { username: value(form, "username"), password: value(form, "password") }),
  success: ({ user }) => afterLogin(user, "登录成功"),
});

if (location.hash === "#card") showTab("card");
window.addEventListener("hashchange", () => showTab(location.hash === "#card" ? "card" : "password"));

const layout = await initLayout({ page: "login", requireLogin: false });
if (layout?.user) {
  const already = $("#already");
  fill(already, `您已登录为 ${layout.user.username}。`, h("a", { href: "/account.html" }, "进入账号信息"),
    "；如需以其他账号登录，请先退出。");
  already.hidden = false;
}
