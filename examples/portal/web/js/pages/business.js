// 业务办理 (operators): GET /api/business, POST /api/business/declare. An administrator gets
// the server's ADMIN_NO_BUSINESS here, which is the rule this page exists to show.
import { $, fill, h, value } from "../dom.js";
import { get, handleForm, post, showError, showMessage } from "../api.js";
import { initLayout } from "../layout.js";

const tbody = $("#declarations tbody");

function time(t) {
  if (typeof t === "number") return new Date(t < 1e12 ? t * 1000 : t).toLocaleString("zh-CN", { hour12: false });
  return String(t ?? "").replace("T", " ").replace(/Z$/, "");
}

function show(declarations) {
  fill(tbody, declarations.length
    ? declarations.map((d) => h("tr", { dataset: { id: String(d.id) } },
      h("td", {}, String(d.id)), h("td", { class: "title" }, d.title), h("td", {}, time(d.createdAt))))
    : h("tr", { class: "empty" }, h("td", { colspan: "3" }, "暂无申报")));
}

async function load() {
  try {
    const { declarations } = await get("/api/business");
    show(declarations ?? []);
  } catch (e) {
    fill(tbody, h("tr", { class: "empty" }, h("td", { colspan: "3" }, "无法加载")));
    showError(e);
  }
}

const layout = await initLayout({ page: "business" });
if (layout) {
  handleForm($("#declare-form"), {
    submit: (form) => post("/api/business/declare", { title: value(form, "title") }),
    success: async ({ declaration }) => {
      $("#declare-form").reset();
      await load();
      showMessage(`申报成功：${declaration?.title ?? ""}`, "OK");
    },
  });
  await load();
}
