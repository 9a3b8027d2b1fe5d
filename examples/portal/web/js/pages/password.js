// 修改登录密码: POST /api/password; forced after the first password login of an operator the
// administrator created (mustChangePassword), where every other page leads back here.
import { $, value } from "../dom.js";
import { handleForm, post } from "../api.js";
import { initLayout, navigate } from "../layout.js";

const layout = await initLayout({ page: "password" });
if (layout) {
  $("#must-change").hidden = !layout.user.mustChangePassword;
  handleForm($("#password-form"), {
    submit: (form) => post("/api/password", {
      oldPassword: value(form, "oldPassword"),
      newPassword: value(form, "newPassword"),
      newPassword2: value(form, "newPassword2"),
    }),
    success: () => {
      $("#password-form").reset();
      navigate("/account.html", "密码修改成功");
    },
  });
}
