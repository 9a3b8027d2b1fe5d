// 有卡用户注册: the card widget → POST /api/register/card/identify {nonce, token} → {card, next};
// next says which form follows (register-admin or register-operator), with the enterprise
// data read-only from the verified certificate; then POST /api/register/card.
import { $, h, optional, roleName, setValue, value } from "../dom.js";
import { handleForm, post, showError } from "../api.js";
import { CardWidget } from "../card.js";
import { afterLogin, initLayout } from "../layout.js";
import { renderFields } from "../fields.js";

// First: the forms below are wired up by their fields, which the placeholders only hold now.
renderFields();

const forms = {
  "register-admin": $("#register-admin-form"),
  "register-operator": $("#register-operator-form"),
};

/** The next step for the refusals of the manual's 重要提醒. */
function hint(code) {
  switch (code) {
    case "CARD_ALREADY_BOUND":
      return h("span", {}, "请直接", h("a", { href: "/login.html#card" }, "使用卡介质登录"), "。");
    case "ADMIN_EXISTS_UNBOUND":
      return h("span", {}, "请使用管理员用户名和密码", h("a", { href: "/login.html" }, "登录"), "后，在“我的IC卡”中绑定此卡。");
    case "ADMIN_EXISTS":
      return "操作员请使用操作员 IC 卡注册，或由管理员在“我的操作员”中创建。";
    case "NO_PENDING_CARD":
      return "请重新读卡。";
    default:
      return null;
  }
}

function setStep(step) {
  for (const id of ["step-card", "step-form", "step-done"]) {
    const li = document.getElementById(id);
    if (id === step) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
}

function hideForms() {
  for (const form of Object.values(forms)) form.hidden = true;
  $("#card-result").hidden = true;
  setStep("step-card");
}

function showForm(card, next) {
  hideForms();
  const form = forms[next];
  if (!form) throw new Error(`服务器返回了未知的下一步：${next}`);
  const e = card.enterprise ?? {};
  setValue(form, "enterpriseName", e.name);
  setValue(form, "uscc", e.uscc);
  setValue(form, "orgCode", e.orgCode);
  setValue(form, "customsCode", e.customsCode);
  setValue(form, "holder", card.holder);
  if (next === "register-admin" && !value(form, "realName")) setValue(form, "realName", card.holder);
  $("#card-id").textContent = card.cardId ?? "";
  $("#card-role").textContent = roleName(card.role);
  $("#card-serial").textContent = card.certificateSerial ?? "";
  $("#card-not-after").textContent = card.notAfter ?? "";
  const until = new Date(Date.now() + 15 * 60 * 1000);
  const hhmm = `${String(until.getHours()).padStart(2, "0")}:${String(until.getMinutes()).padStart(2, "0")}`;
  $("#card-deadline").textContent = `需在 15 分钟内完成注册（${hhmm} 前），否则请重新读卡。`;
  $("#card-result").hidden = false;
  form.hidden = false;
  setStep("step-form");
  form.elements.namedItem("username").focus();
}

const widget = new CardWidget($("#card-widget"), {
  purpose: "register",
  goLabel: "登录",
  hint,
  async onToken({ nonce, token }) {
    const { card, next } = await post("/api/register/card/identify", { nonce, token });
    showForm(card, next);
    return next === "register-admin"
      ? "读卡成功：该企业尚未注册管理员，请填写管理员账号信息"
      : "读卡成功：该企业已注册管理员，请填写操作员账号信息";
  },
});

function wire(form, body) {
  handleForm(form, {
    submit: () => post("/api/register/card", body(form)),
    success: ({ user }) => {
      setStep("step-done");
      afterLogin(user, "注册成功");
    },
    failure: (e) => {
      if (e?.code === "NO_PENDING_CARD") {
        hideForms();
        widget.reset();
      }
      showError(e, { scope: form, extra: hint(e?.code) });
    },
  });
}

wire(forms["register-admin"], (form) => optional({
  username: value(form, "username"),
  password: value(form, "password"),
  password2: value(form, "password2"),
  phone: value(form, "phone"),
  idNumber: value(form, "idNumber"),
  agree: value(form, "agree"),
}, form, "email", "realName"));

wire(forms["register-operator"], (form) => optional({
  username: value(form, "username"),
  password: value(form, "password"),
  password2: value(form, "password2"),
  phone: value(form, "phone"),
  agree: value(form, "agree"),
}, form, "email"));

await initLayout({ page: "register-card", requireLogin: false });
