// 我的操作员 (administrators): the list (GET /api/operators), 新增有卡操作员 (the operator's card
// in the card widget → POST /api/operators/card/identify → #operator-card-form →
// POST /api/operators/card), 新增无卡操作员 (#operator-manual-form → POST /api/operators/manual),
// 修改 (#operator-edit-form → POST /api/operators/update) and 删除 (confirm → POST
// /api/operators/delete). An operator whose card is bound while the administrator's is not
// cannot be changed (editable: false): its buttons are disabled with the reason as tooltip.
import { $, fill, h, optional, setValue, value } from "../dom.js";
import { clearFieldErrors, clearMessage, get, handleForm, post, showError, showMessage } from "../api.js";
import { CardWidget } from "../card.js";
import { initLayout } from "../layout.js";
import { renderFields } from "../fields.js";

// First: the forms below are wired up by their fields, which the placeholders only hold now.
renderFields();

const PROTECTED = "操作员已绑卡而管理员未绑卡，不可修改或删除";
const tbody = $("#operators tbody");
const editPanel = $("#edit-panel");
const editForm = $("#operator-edit-form");
const cardForm = $("#operator-card-form");
const manualForm = $("#operator-manual-form");
let operators = [];

function row(op) {
  const editable = op.editable !== false;
  const edit = h("button", { type: "button", class: "secondary small edit", disabled: !editable, title: editable ? "修改" : PROTECTED }, "修改");
  const del = h("button", { type: "button", class: "danger small delete", disabled: !editable, title: editable ? "删除" : PROTECTED }, "删除");
  edit.addEventListener("click", () => startEdit(op));
  del.addEventListener("click", () => remove(op));
  return h("tr", { dataset: { username: op.username, id: String(op.id), editable: String(editable) } },
    h("td", { class: "username" }, op.username),
    h("td", { class: "real-name" }, op.realName ?? ""),
    h("td", { class: "phone" }, op.phone ?? ""),
    h("td", { class: "email" }, op.email ?? ""),
    h("td", { class: "card" }, op.card
      ? h("span", { class: "badge", title: `卡号 ${op.card.cardId}` }, `已绑卡：${op.card.holder ?? ""}`)
      : h("span", { class: "badge none" }, "未绑卡")),
    // The wrapper carries the tooltip too: disabled buttons get no mouse events in every browser.
    h("td", { class: "actions" }, h("span", { title: editable ? null : PROTECTED }, edit, del)));
}

async function load() {
  try {
    ({ operators } = await get("/api/operators"));
    operators ??= [];
    fill(tbody, operators.length ? operators.map(row) : h("tr", { class: "empty" }, h("td", { colspan: "6" }, "暂无操作员")));
  } catch (e) {
    fill(tbody, h("tr", { class: "empty" }, h("td", { colspan: "6" }, "无法加载操作员列表")));
    showError(e);
  }
}

// ---- 修改 / 删除 --------------------------------------------------------------------------------

function startEdit(op) {
  clearMessage();
  clearFieldErrors(editForm);
  setValue(editForm, "id", String(op.id));
  setValue(editForm, "username", op.username);
  setValue(editForm, "phone", op.phone);
  setValue(editForm, "realName", op.realName);
  setValue(editForm, "email", op.email);
  editPanel.hidden = false;
  editPanel.scrollIntoView({ block: "nearest" });
  editForm.elements.namedItem("phone").focus();
}

function operatorId(raw) {
  const op = operators.find((o) => String(o.id) === raw);
  return op ? op.id : raw;
}

handleForm(editForm, {
  submit: (form) => post("/api/operators/update", optional({
    id: operatorId(value(form, "id")),
    phone: value(form, "phone"),
    realName: value(form, "realName"),
  }, form, "email")),
  success: async ({ operator }) => {
    editPanel.hidden = true;
    await load();
    showMessage(operator?.username ? `已保存操作员 ${operator.username} 的信息` : "保存成功", "OK");
  },
});
$("#edit-cancel").addEventListener("click", () => {
  editPanel.hidden = true;
  clearFieldErrors(editForm);
});

async function remove(op) {
  if (!confirm(`确认删除操作员 ${op.username}（${op.realName ?? ""}）吗？删除后不可恢复，请务必谨慎操作！`)) return;
  clearMessage();
  try {
    await post("/api/operators/delete", { id: op.id });
    if (editForm.elements.namedItem("id").value === String(op.id)) editPanel.hidden = true;
    await load();
    showMessage(`已删除操作员 ${op.username}`, "OK");
  } catch (e) {
    showError(e);
  }
}

// ---- 新增有卡操作员 -------------------------------------------------------------------------------

function showCardForm(card) {
  const e = card.enterprise ?? {};
  setValue(cardForm, "enterpriseName", e.name);
  setValue(cardForm, "uscc", e.uscc);
  setValue(cardForm, "orgCode", e.orgCode);
  setValue(cardForm, "customsCode", e.customsCode);
  setValue(cardForm, "holder", card.holder);
  clearFieldErrors(cardForm);
  cardForm.hidden = false;
  cardForm.elements.namedItem("username").focus();
}

const widget = new CardWidget($("#card-widget"), {
  purpose: "add-operator",
  goLabel: "读取操作员卡",
  async onToken({ nonce, token }) {
    cardForm.hidden = true;
    const { card } = await post("/api/operators/card/identify", { nonce, token });
    showCardForm(card);
    return `读卡成功：${card.holder ?? ""}，请填写操作员账号信息（15 分钟内完成）`;
  },
});

handleForm(cardForm, {
  submit: (form) => post("/api/operators/card", optional({
    username: value(form, "username"),
    phone: value(form, "phone"),
    initialPassword: value(form, "initialPassword"),
    initialPassword2: value(form, "initialPassword2"),
  }, form, "email")),
  success: async ({ operator }) => {
    cardForm.reset();
    cardForm.hidden = true;
    widget.reset();
    await load();
    showMessage(`新增有卡操作员成功：${operator?.username ?? ""}`, "OK");
  },
  failure: (e) => {
    if (e?.code === "NO_PENDING_CARD") {
      cardForm.hidden = true;
      widget.reset();
    }
    showError(e, { scope: cardForm });
  },
});
$("#card-form-cancel").addEventListener("click", () => {
  cardForm.reset();
  cardForm.hidden = true;
  widget.reset();
});

// ---- 新增无卡操作员 -------------------------------------------------------------------------------

handleForm(manualForm, {
  submit: (form) => post("/api/operators/manual", optional({
    username: value(form, "username"),
    phone: value(form, "phone"),
    realName: value(form, "realName"),
    idType: value(form, "idType") || "身份证",
    idNumber: value(form, "idNumber"),
  }, form, "email")),
  success: async ({ operator }) => {
    manualForm.reset();
    await load();
    showMessage(`新增无卡操作员成功：${operator?.username ?? ""}。初始密码为证件号码后八位，首次登录时须修改`, "OK");
  },
});

$("#add-card-operator").addEventListener("click", () => {
  $("#card-operator-panel").scrollIntoView({ block: "start" });
  $("#card-pin").focus();
});
$("#add-manual-operator").addEventListener("click", () => {
  $("#manual-operator-panel").scrollIntoView({ block: "start" });
  manualForm.elements.namedItem("username").focus();
});

const layout = await initLayout({ page: "operators" });
if (layout) await load();
