// 我的IC卡: the bound card (#bound-card, data-card-id), 绑卡 (the card widget →
// POST /api/card/bind {nonce, token}) and 解绑 (confirm → POST /api/card/unbind).
import { $, fill, h, roleName } from "../dom.js";
import { clearMessage, post, showError, showMessage } from "../api.js";
import { CardWidget } from "../card.js";
import { initLayout } from "../layout.js";

const bound = $("#bound-card");
const unbindButton = $("#unbind");

function showCard(card) {
  bound.dataset.cardId = card?.cardId ?? "";
  if (card) {
    fill(bound, h("dl", { class: "info" },
      h("dt", {}, "卡号"), h("dd", { class: "card-id" }, card.cardId ?? ""),
      h("dt", {}, "持卡人"), h("dd", { class: "card-holder" }, card.holder ?? ""),
      h("dt", {}, "卡类型"), h("dd", { class: "card-role" }, roleName(card.role))));
  } else {
    bound.replaceChildren();
  }
  $("#no-card").hidden = Boolean(card);
  $("#has-card-note").hidden = !card;
  unbindButton.disabled = !card;
}

const layout = await initLayout({ page: "ic-card" });
if (layout) {
  showCard(layout.user.card);
  const widget = new CardWidget($("#card-widget"), {
    purpose: "bind",
    goLabel: "读卡并绑定",
    async onToken({ nonce, token }) {
      const { user } = await post("/api/card/bind", { nonce, token });
      showCard(user.card);
      return "绑卡成功";
    },
  });
  $("#bind-go").addEventListener("click", () => widget.trigger());
  unbindButton.addEventListener("click", async () => {
    if (!confirm("确定解除当前账号与该 IC 卡的绑定关系吗？解绑后将不能使用该卡登录，可重新绑卡。")) return;
    unbindButton.disabled = true;
    clearMessage();
    try {
      const { user } = await post("/api/card/unbind", {});
      showCard(user.card);
      widget.reset();
      showMessage("解绑成功", "OK");
    } catch (e) {
      unbindButton.disabled = false;
      showError(e);
    }
  });
}
