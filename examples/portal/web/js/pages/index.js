// 门户首页: links to 登录 and 立即注册, or to the account once logged in.
import { initLayout } from "../layout.js";

const layout = await initLayout({ page: "index", requireLogin: false });
if (layout?.user) {
  document.getElementById("home-actions").hidden = true;
  document.getElementById("home-account").hidden = false;
}
