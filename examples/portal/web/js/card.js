// The card widget: every page that proves something with the card uses this one.
//
//   select#card-reader   the readers that hold a token (tokens.list); hidden unless several
//   input#card-pin       介质密码; left empty, cardbridge asks with its own prompt
//   button#card-go       POST /api/challenge {purpose} → auth.login {nonce, reader, pin} →
//                        the page's onToken({nonce, token}) posts the token to its flow
//   div#card-status      data-state idle|working|done|error, data-code, data-retries, the text
//
// The page library (/lib/cardbridge.js) reaches the daemon through the cardbridge extension,
// or without it (http pages only) through the daemon's own WebSocket. A missing extension is
// reported at once as NO_BRIDGE, with a link to the install help; the button still tries the
// direct way, for a daemon that allows this origin itself.
import * as cardbridge from "/lib/cardbridge.js";
import { ApiError, clearMessage, post, showMessage } from "./api.js";
import { fill, h } from "./dom.js";
import { cardReasonText, serverErrorText, withHint } from "./texts.js";

export const INSTALL_HELP = "/install-extension.html";

/** The link to the install help, for NO_BRIDGE. */
export function installHelpLink() {
  return h("a", { href: INSTALL_HELP, class: "install-help" }, "如何安装 cardbridge 浏览器扩展");
}

const EVENTS = ["token.inserted", "token.removed", "reader.added", "reader.removed"];
// Errors that describe the card situation rather than the last action: a change of cards
// replaces them with the new situation.
const SITUATION_CODES = new Set(["NO_CARD", "NO_READER", "CARD_REMOVED", "TOKEN_AMBIGUOUS",
  "PCSC_UNAVAILABLE", "UNSUPPORTED_TOKEN", "CARD_ERROR", "DAEMON_UNAVAILABLE"]);
// How long another outcome stays in view before a change of cards replaces it.
const OUTCOME_MIN_MS = 1500;

export class CardWidget {
  /**
   * container: the element to build the widget in.
   * purpose:   the challenge's purpose (login, register, bind, sync, add-operator).
   * goLabel:   the button's text.
   * onToken:   async ({nonce, token, reader}) => text shown as the outcome (or null); throws
   *            an ApiError when the server refuses.
   * hint:      optional (code) => nodes appended to an error's text (links to the next step).
   */
  constructor(container, { purpose, goLabel = "登录", onToken, hint = null, pinHint = null }) {
    this.purpose = purpose;
    this.onToken = onToken;
    this.hint = hint;
    this.conn = null;
    this.connecting = null;
    this.extension = false;
    this.cards = [];
    this.cardsKey = null;
    this.busy = false;
    this.outcomeAt = 0;

    this.select = h("select", { id: "card-reader", name: "reader" });
    this.readerRow = h("div", { class: "form-row reader-row", hidden: true },
      h("label", { for: "card-reader" }, "IC 卡 / IKey"),
      h("div", { class: "field" }, this.select));
    this.pin = h("input", { id: "card-pin", name: "pin", type: "password", autocomplete: "off", maxlength: "32", placeholder: "请输入介质密码" });
    this.button = h("button", { id: "card-go", type: "submit", disabled: true }, goLabel);
    this.status = h("div", { id: "card-status", class: "card-status", "data-state": "idle", role: "status", "aria-live": "polite" });
    this.form = h("form", { id: "card-form", class: "card-widget", autocomplete: "off" },
      this.readerRow,
      h("div", { class: "form-row" },
        h("label", { for: "card-pin" }, "介质密码"),
        h("div", { class: "field" }, this.pin,
          h("span", { class: "field-hint" }, pinHint ?? "插入 IC 卡或 IKey，输入介质密码；留空则由 cardbridge 弹出窗口输入"))),
      h("div", { class: "form-actions" }, this.button),
      this.status);
    this.form.noValidate = true;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.go();
    });
    this.select.addEventListener("change", () => {
      if (!this.busy && this.status.dataset.code === "TOKEN_AMBIGUOUS") this.showSituation();
    });
    fill(container, this.form);
    this.ready = this.init();
  }

  // ---- status ----------------------------------------------------------------------------------

  setStatus(state, code, text, { retries = null, extra = null } = {}) {
    const s = this.status;
    s.dataset.state = state;
    if (code) s.dataset.code = code;
    else delete s.dataset.code;
    if (typeof retries === "number") s.dataset.retries = String(retries);
    else delete s.dataset.retries;
    fill(s, withHint(text, extra));
  }

  /** The idle text for the cards present now. */
  showSituation() {
    const n = this.cards.length;
    if (n === 0) this.setStatus("idle", "NO_CARD", cardReasonText("NO_CARD"));
    else if (n === 1) this.setStatus("idle", "", `已检测到：${this.cards[0].token.label || this.cards[0].token.id}`);
    else this.setStatus("idle", "", `检测到 ${n} 张 IC 卡或 IKey，请选择要使用的一张`);
  }

  /** Shows an error in #card-status and (unless toMessage is false) in #message. */
  report(error, { toMessage = true } = {}) {
    let code;
    let text;
    let retries = null;
    if (error instanceof ApiError) {
      code = error.code;
      text = serverErrorText(code, error.message);
    } else if (error && typeof error.reason === "string") {
      code = error.reason;
      text = cardReasonText(code, { retriesLeft: error.retriesLeft, message: error.message });
      if (code === "PIN_INCORRECT" && typeof error.retriesLeft === "number") retries = error.retriesLeft;
    } else {
      code = "INTERNAL";
      text = `出错了：${error?.message ?? error}`;
      console.warn("card widget:", error);
    }
    const extra = () => (code === "NO_BRIDGE" ? installHelpLink() : (this.hint?.(code) ?? null));
    this.setStatus("error", code, text, { retries, extra: extra() });
    this.outcomeAt = Date.now();
    if (toMessage) {
      const more = extra();
      showMessage(withHint(text, more), code);
    }
    return code;
  }

  // ---- the daemon --------------------------------------------------------------------------------

  async init() {
    this.setStatus("idle", "", "正在检测 cardbridge 浏览器扩展…");
    try {
      this.extension = await cardbridge.detect();
      if (!this.extension) {
        // Not tried further on its own: without the extension the only way left is the
        // daemon's WebSocket, which the button tries when the user asks.
        if (!this.busy) this.report(new cardbridge.CardbridgeError("NO_BRIDGE", "no extension"), { toMessage: false });
        return;
      }
      await this.refresh();
    } catch (e) {
      // An action the user started meanwhile reports for itself.
      if (!this.busy) this.report(e, { toMessage: false });
    } finally {
      this.button.disabled = false;
    }
  }

  /** The open connection, opened on first use. */
  ensureConnection() {
    if (this.conn) return Promise.resolve(this.conn);
    this.connecting ??= this.openConnection().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async openConnection() {
    let conn;
    try {
      conn = await cardbridge.connect();
    } catch (e) {
      // Without the extension, a failed direct WebSocket means: install the extension.
      if (!this.extension && e?.reason !== "ORIGIN_NOT_ALLOWED") {
        this.extension = await cardbridge.detect(100);
        if (!this.extension) throw new cardbridge.CardbridgeError("NO_BRIDGE", e?.message ?? "");
      }
      throw e;
    }
    this.conn = conn;
    for (const event of EVENTS) {
      conn.on(event, () => this.refreshSoon(event === "token.inserted")).catch(() => {});
    }
    // The channel went away (daemon restarted, host gone): the next call reopens it, and
    // with it the event subscription; try that once after a moment.
    conn.on("close", () => setTimeout(() => this.refreshQuietly(), 1500));
    return conn;
  }

  /** tokens.list → the readers that hold a token; updates the select and the idle text. */
  async refresh() {
    const conn = await this.ensureConnection();
    const list = await conn.tokens();
    const cards = (list?.readers ?? []).filter((r) => r.token && r.state === "present");
    const key = cards.map((r) => `${r.reader}\u0000${r.token.id}`).join("\u0001");
    const changed = key !== this.cardsKey;
    this.cards = cards;
    this.cardsKey = key;
    this.renderReaders();
    // A change of cards replaces what the status said about the cards before, but leaves the
    // outcome of an action in view for a moment first.
    const s = this.status.dataset;
    const stale = (s.state === "error" && SITUATION_CODES.has(s.code)) ||
      ((s.state === "done" || s.state === "error") && Date.now() - this.outcomeAt > OUTCOME_MIN_MS);
    if (this.busy) return;
    if (s.state === "idle" || (changed && stale)) {
      this.showSituation();
    } else if (changed && (s.state === "done" || s.state === "error")) {
      // Replace the outcome once it has been in view long enough, unless another came meanwhile.
      const outcomeAt = this.outcomeAt;
      setTimeout(() => {
        if (!this.busy && this.outcomeAt === outcomeAt) this.showSituation();
      }, OUTCOME_MIN_MS - (Date.now() - outcomeAt) + 50);
    }
  }

  refreshQuietly() {
    this.refresh().catch((e) => {
      if (!this.busy && this.status.dataset.state === "idle") {
        this.setStatus("idle", e?.reason ?? "", cardReasonText(e?.reason ?? "DAEMON_UNAVAILABLE", { message: e?.message }));
      }
    });
  }

  /** After an event: once soon, and (after an insertion) once more when the daemon has read the card. */
  refreshSoon(inserted) {
    setTimeout(() => this.refreshQuietly(), 150);
    if (inserted) setTimeout(() => this.refreshQuietly(), 1200);
  }

  renderReaders() {
    // Keep a choice the user made among several cards; going from one card to several asks
    // for a choice again rather than silently keeping the first.
    const previous = this.readerRow.hidden ? "" : this.select.value;
    const options = this.cards.map((r) =>
      h("option", { value: r.reader }, `${r.token.label || r.token.id}（${r.reader}）`));
    if (this.cards.length > 1) options.unshift(h("option", { value: "" }, "请选择要使用的 IC 卡或 IKey"));
    fill(this.select, options);
    if (this.cards.some((r) => r.reader === previous)) this.select.value = previous;
    const several = this.cards.length > 1;
    this.readerRow.hidden = !several;
    this.select.hidden = !several;
  }

  /**
   * The reader to name in auth.login: the one chosen among several. With one card none is named:
   * the daemon uses whichever card is in, so a card swapped an instant before the click (before
   * this page's list caught up) is still the one used, and several cards are TOKEN_AMBIGUOUS.
   */
  chosenReader() {
    if (this.cards.length <= 1) return undefined;
    return this.select.value || undefined;
  }

  // ---- the action ----------------------------------------------------------------------------------

  /**
   * For a page's own button (#sync-go, #bind-go): runs the card step when a PIN was typed,
   * else points at the PIN field.
   */
  trigger() {
    if (this.busy) return;
    if (!this.pin.value) {
      this.pin.focus();
      if (this.status.dataset.state !== "error") this.setStatus("idle", "", "请先输入介质密码");
      return;
    }
    this.go();
  }

  async go() {
    if (this.busy) return;
    this.busy = true;
    this.button.disabled = true;
    clearMessage();
    const pin = this.pin.value;
    try {
      this.setStatus("working", "", "正在连接 cardbridge…");
      const conn = await this.ensureConnection();
      if (this.cardsKey === null) await this.refresh().catch(() => {});
      const reader = this.chosenReader();
      const { nonce } = await post("/api/challenge", { purpose: this.purpose });
      this.setStatus("working", "", pin ? "正在读取 IC 卡，请勿拔出…" : "请在 cardbridge 弹出的窗口中输入介质密码…");
      let login;
      try {
        login = await conn.call("auth.login", { nonce, reader, pin: pin || undefined });
      } catch (e) {
        // This site may not hand the PIN over (no sendPin): cardbridge asks for it itself.
        if (e?.reason !== "NOT_PERMITTED" || !pin) throw e;
        this.setStatus("working", "", "本网站不能代为传递介质密码：请在 cardbridge 弹出的窗口中输入");
        login = await conn.call("auth.login", { nonce, reader });
      }
      this.pin.value = "";
      this.setStatus("working", "", "正在验证…");
      const text = await this.onToken({ nonce, token: login.token, reader, login });
      this.setStatus("done", "OK", text ?? "已完成");
      this.outcomeAt = Date.now();
      if (text) showMessage(text, "OK");
    } catch (e) {
      this.pin.value = "";
      this.report(e);
    } finally {
      this.busy = false;
      this.button.disabled = false;
    }
  }

  /** Back to the situation text (after the page is done with an outcome). */
  reset() {
    if (!this.busy) this.showSituation();
  }
}
