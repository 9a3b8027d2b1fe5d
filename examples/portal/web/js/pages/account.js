// 账号信息 (GET /api/account), and for administrators 同步更新: the card widget →
// POST /api/sync/preview {nonce, token} → table#sync-changes → #sync-apply → POST /api/sync/apply.
import { $, $$, fill, h, accountRoleName, roleName } from "../dom.js";
import { clearMessage, get, post, showError, showMessage } from "../api.js";
import { CardWidget } from "../card.js";
import { initLayout } from "../layout.js";

const NO_CHANGES = "企业信息与卡内一致，无需更新";

function showEnterprise(enterprise) {
  for (const dd of $$("#enterprise-info dd")) dd.textContent = enterprise?.[dd.dataset.field] ?? "";
}

function showAccount(user) {
  const values = {
    username: user.username,
    role: accountRoleName(user.role),
    realName: user.realName ?? "",
    enterprise: user.enterprise?.name ?? "",
    card: user.card ? `已绑定：${user.card.holder ?? ""}（${roleName(user.card.role)}，卡号 ${user.card.cardId}）` : "未绑定",
  };
  for (const dd of $$("#account-info dd")) dd.textContent = values[dd.dataset.field] ?? "";
}

async function load() {
  const { user, enterprise } = await get("/api/account");
  showAccount(user);
  showEnterprise(enterprise);
  return user;
}

const table = $("#sync-changes");
const applyButton = $("#sync-apply");

function showChanges(changes) {
  fill($("tbody", table), changes.map((c) => h("tr", { dataset: { field: c.field } },
    h("td", { class: "label" }, c.label ?? c.field),
    h("td", { class: "old" }, c.old ?? ""),
    h("td", { class: "new" }, c.new ?? ""))));
  table.hidden = changes.length === 0;
  applyButton.hidden = changes.length === 0;
}

function setupSync() {
  $("#sync-panel").hidden = false;
  const syncGo = $("#sync-go");
  syncGo.hidden = false;
  const widget = new CardWidget($("#card-widget"), {
    purpose: "sync",
    goLabel: "读卡比对",
    async onToken({ nonce, token }) {
      showChanges([]);
      const { changes } = await post("/api/sync/preview", { nonce, token });
      showChanges(changes ?? []);
      if (!changes?.length) return NO_CHANGES;
      return `以下 ${changes.length} 项企业信息与卡内不一致：请核对后点击“确认更新”`;
    },
  });
  syncGo.addEventListener("click", () => {
    $("#sync-panel").scrollIntoView({ block: "nearest" });
    widget.trigger();
  });
  applyButton.addEventListener("click", async () => {
    applyButton.disabled = true;
    clearMessage();
    try {
      const { enterprise, changed } = await post("/api/sync/apply", {});
      showEnterprise(enterprise);
      showChanges([]);
      widget.reset();
      showMessage(changed ? "同步成功" : `同步成功：${NO_CHANGES}`, "OK");
      await load().catch(() => {});
    } catch (e) {
      showError(e);
    } finally {
      applyButton.disabled = false;
    }
  });
}

const layout = await initLayout({ page: "account" });
if (layout) {
  try {
    const user = await load();
    if (user.role === "admin") setupSync();
  } catch (e) {
    showError(e);
  }
}
