// 无卡用户注册 in two steps: 企业基本信息 (kept in the page), then 管理员帐号信息; one
// POST /api/register/manual with both. The server checks everything: a field error of the
// first step brings that step back with the error next to its field.
import { $, optional, value } from "../dom.js";
import { clearFieldErrors, clearMessage, fieldErrorSpan, handleForm, post, showError } from "../api.js";
import { afterLogin, initLayout } from "../layout.js";
import { renderFields } from "../fields.js";

// First: the forms below are wired up by their fields, which the placeholders only hold now.
renderFields();

const enterpriseForm = $("#manual-enterprise-form");
const accountForm = $("#manual-account-form");

function showStep(step) {
  enterpriseForm.hidden = step !== "enterprise";
  accountForm.hidden = step !== "account";
  for (const [id, name] of [["step-enterprise", "enterprise"], ["step-account", "account"]]) {
    if (name === step) $(`#${id}`).setAttribute("aria-current", "step");
    else $(`#${id}`).removeAttribute("aria-current");
  }
  (step === "enterprise" ? enterpriseForm : accountForm).querySelector("input:not([readonly])").focus();
}

enterpriseForm.noValidate = true;
enterpriseForm.addEventListener("submit", (event) => {
  event.preventDefault();
  clearMessage();
  clearFieldErrors(enterpriseForm);
  showStep("account");
});
$("#manual-back").addEventListener("click", () => showStep("enterprise"));

handleForm(accountForm, {
  submit: () => post("/api/register/manual", {
    enterprise: optional({
      name: value(enterpriseForm, "name"),
      legalPerson: value(enterpriseForm, "legalPerson"),
    }, enterpriseForm, "uscc", "orgCode", "customsCode", "address"),
    account: optional({
      username: value(accountForm, "username"),
      password: value(accountForm, "password"),
      password2: value(accountForm, "password2"),
      phone: value(accountForm, "phone"),
      realName: value(accountForm, "realName"),
      idNumber: value(accountForm, "idNumber"),
    }, accountForm, "email"),
    agree: value(accountForm, "agree"),
  }),
  success: ({ user }) => afterLogin(user, "注册成功"),
  failure: (e) => {
    // "enterprise.uscc" (or "uscc") belongs to the first step; the rest to this one.
    const field = e?.field ?? "";
    const inEnterprise = field.startsWith("enterprise.") ||
      fieldErrorSpan(field, accountForm)?.closest("form") === enterpriseForm;
    if (field && inEnterprise) {
      showStep("enterprise");
      showError(e, { scope: enterpriseForm });
    } else {
      showError(e, { scope: accountForm });
    }
  },
});

await initLayout({ page: "register-manual", requireLogin: false });
