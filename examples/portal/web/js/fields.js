// Form rows that several forms share, written once. A page's HTML holds a placeholder such as
//   <div data-fields="account" data-prefix="admin" data-role="admin"></div>
// and its script calls renderFields() before it wires up its forms; the placeholder is replaced
// by the rows as the pages used to spell them out: ids PREFIX-NAME, input `name`s as the API's
// members, span.field-error[data-for=NAME] (the DOM contract in examples/portal/README.md).
// Rows that only one form has stay in its HTML, where they are easier to read.
import { $$, h } from "./dom.js";

const PASSWORD_HINT = "字母、数字或符号（两种以上的组合），8–16 位";
const PHONE_HINT = "11 位手机号码，用于接收推送消息，请如实填写";
// Administrators may use capitals; operators' names are lower case (the server's rule).
const USERNAME_HINT = {
  admin: "英文字母或字母与数字的组合，6–18 位",
  operator: "小写英文字母，或字母与数字的组合，6–18 位",
};

// One row each. `hint` may depend on data-role. Read-only rows hold card data the user cannot
// change, so they have no error span.
const FIELDS = {
  "card-enterpriseName": { name: "enterpriseName", label: "企业中文名称", readonly: true },
  "card-uscc": { name: "uscc", label: "统一社会信用代码", readonly: true },
  "card-orgCode": { name: "orgCode", label: "组织机构代码", readonly: true },
  "card-customsCode": { name: "customsCode", label: "海关编码", readonly: true },
  "card-holder": { name: "holder", label: "持卡人", readonly: true },

  // The registration pages' account (admin or operator registering themselves).
  username: { name: "username", label: "用户名", required: true, autocomplete: "username", maxlength: 18, hint: (role) => USERNAME_HINT[role] },
  password: { name: "password", label: "密码", required: true, type: "password", autocomplete: "new-password", maxlength: 16, hint: PASSWORD_HINT },
  password2: { name: "password2", label: "确认密码", required: true, type: "password", autocomplete: "new-password", maxlength: 16, hint: "确保与密码一栏输入的内容完全一致" },
  phone: { name: "phone", label: "手机", required: true, type: "tel", autocomplete: "tel", maxlength: 11, hint: PHONE_HINT },
  email: { name: "email", label: "邮箱", type: "email", autocomplete: "email", maxlength: 100, hint: "非必填，可填写您的联络邮箱" },

  // operators.html: an administrator fills these in for someone else, hence no autocomplete.
  "operator-username": { name: "username", label: "操作员登录名", required: true, autocomplete: "off", maxlength: 18, hint: USERNAME_HINT.operator },
  "operator-phone": { name: "phone", label: "操作员手机号码", required: true, type: "tel", maxlength: 11, hint: PHONE_HINT },
  "operator-realName": { name: "realName", label: "操作员真实姓名", required: true, maxlength: 50 },
  "operator-email": { name: "email", label: "操作员邮箱", type: "email", maxlength: 100, hint: "非必填" },
};

const GROUPS = {
  card: ["card-enterpriseName", "card-uscc", "card-orgCode", "card-customsCode", "card-holder"],
  account: ["username", "password", "password2", "phone", "email"],
};

function fieldRow(prefix, role, f) {
  const id = `${prefix}-${f.name}`;
  const hint = typeof f.hint === "function" ? f.hint(role) : f.hint;
  if (hint === undefined && typeof f.hint === "function") throw new Error(`data-role needed for ${f.name} (${id})`);
  return h("div", { class: f.required ? "form-row required" : "form-row" },
    h("label", { for: id }, f.label),
    h("div", { class: "field" },
      h("input", { id, name: f.name, type: f.type ?? "text", autocomplete: f.autocomplete, maxlength: f.maxlength, readonly: f.readonly }),
      hint && h("span", { class: "field-hint" }, hint),
      !f.readonly && h("span", { class: "field-error", "data-for": f.name })));
}

// The service agreement: a checkbox with its label on the right, so not a fieldRow.
function agreeRow(prefix) {
  const id = `${prefix}-agree`;
  return h("div", { class: "form-row check required" },
    h("span", { class: "label" }, "服务协议"),
    h("div", { class: "field" },
      h("input", { id, name: "agree", type: "checkbox", value: "true" }),
      h("label", { for: id }, "阅读并同意《中国国际贸易单一窗口平台服务使用协议》"),
      h("span", { class: "field-error", "data-for": "agree" })));
}

/** The rows for one placeholder: data-fields lists groups and fields, separated by spaces. */
function rows(el) {
  const { fields, prefix, role } = el.dataset;
  if (!prefix) throw new Error(`data-prefix missing on [data-fields="${fields}"]`);
  return fields.trim().split(/\s+/).flatMap((key) => GROUPS[key] ?? [key]).map((key) => {
    if (key === "agree") return agreeRow(prefix);
    const f = FIELDS[key];
    if (!f) throw new Error(`unknown field "${key}" in [data-fields="${fields}"]`);
    return fieldRow(prefix, role, f);
  });
}

/** Replaces every [data-fields] placeholder under `root` with its rows. */
export function renderFields(root = document) {
  for (const el of $$("[data-fields]", root)) el.replaceWith(...rows(el));
}
