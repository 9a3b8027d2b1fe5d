// 卡介质登录 the way the Single Window portal does it, over the legacy E-Port protocol:
//   security_getGetCardUserInfoAll          → holder and enterprise, shown before the PIN
//   POST /api/challenge {purpose: "legacy-login"} → nonce
//   security_SpcSignRandom {random: nonce, passwd: PIN} → [signature, certNo]
//   security_SpcGetSignCertAsPEM            → [base64 DER of the signing certificate]
//   POST /api/login/legacy {nonce, certificate, signature}
// The status line uses the card widget's contract (#card-status data-state/data-code/
// data-retries), with the reasons the legacy failure codes stand for (59001 → PIN_INCORRECT).
import { detect } from "/lib/cardbridge.js";
import { $, fill, h } from "../dom.js";
import { ApiError, clearMessage, post, showMessage } from "../api.js";
import { installHelpLink } from "../card.js";
import { LegacyClient, LegacyError, legacyTime, parseUserInfo } from "../legacy.js";
import { afterLogin, initLayout } from "../layout.js";
import { cardReasonText, serverErrorText, withHint } from "../texts.js";

const status = $("#card-status");
const pinInput = $("#card-pin");
const goButton = $("#card-go");
const readButton = $("#legacy-read");
let client = null;
let busy = false;

function setStatus(state, code, text, { retries = null, extra = null } = {}) {
  status.dataset.state = state;
  if (code) status.dataset.code = code;
  else delete status.dataset.code;
  if (typeof retries === "number") status.dataset.retries = String(retries);
  else delete status.dataset.retries;
  fill(status, withHint(text, extra));
}

function hint(code) {
  if (code === "NO_BRIDGE") return installHelpLink();
  if (code === "CARD_NOT_BOUND") {
    return h("span", {}, "如尚未注册，请使用该卡进行", h("a", { href: "/register-card.html" }, "有卡用户注册"),
      "；如已注册，请", h("a", { href: "/login.html" }, "使用用户名密码登录"), "后，在“我的IC卡”中绑卡。");
  }
  return null;
}

/** Shows a failure in #card-status and, after an action, in #message. */
function report(error, { toMessage = true } = {}) {
  let code;
  let text;
  let retries = null;
  if (error instanceof LegacyError) {
    code = error.reason;
    text = error.message;
    retries = error.retriesLeft;
  } else if (error instanceof ApiError) {
    code = error.code;
    text = serverErrorText(error.code, error.message);
  } else {
    code = "INTERNAL";
    text = `出错了：${error?.message ?? error}`;
    console.warn("legacy login:", error);
  }
  setStatus("error", code, text, { retries, extra: hint(code) });
  if (toMessage) {
    const extra = hint(code);
    showMessage(withHint(text, extra), code);
  }
}

function showCard(info) {
  const u = info ? parseUserInfo(info) : null;
  $("#card-holder").textContent = u?.holder ?? "";
  $("#card-enterprise").textContent = u?.enterpriseName ?? "";
  $("#card-enterprise-code").textContent = u?.enterpriseCode ?? "";
  $("#card-role").textContent = u ? (u.role || "未标明") : "";
  $("#card-cert-no").textContent = u?.certNo ?? "";
  $("#card-valid-until").textContent = u ? legacyTime(u.validUntil) : "";
  return u;
}

/** The open connection to the control, opened when needed. */
async function control() {
  if (client?.open) return client;
  client = null;
  try {
    client = await LegacyClient.open();
  } catch (e) {
    // Without the extension an http page reaches only a daemon that allows it directly.
    if (!(await detect(100))) throw new LegacyError(0, "NO_BRIDGE", cardReasonText("NO_BRIDGE"), { raw: e?.raw });
    throw e;
  }
  client.onclose = () => {
    client = null;
    if (!busy) setStatus("error", "DAEMON_UNAVAILABLE", "与客户端控件的连接已断开：点击“重新读卡”重新连接");
  };
  return client;
}

/** security_getGetCardUserInfoAll: who holds the card, for which enterprise. */
async function readCard() {
  const c = await control();
  const [info] = await c.call("security_getGetCardUserInfoAll", {});
  return showCard(info);
}

async function refresh({ toMessage }) {
  if (busy) return;
  busy = true;
  readButton.disabled = true;
  setStatus("working", "", "正在读取 IC 卡…");
  try {
    const u = await readCard();
    setStatus("idle", "", `已读取：${u.enterpriseName} ${u.holder}`.trim());
  } catch (e) {
    showCard(null);
    report(e, { toMessage });
  } finally {
    busy = false;
    readButton.disabled = false;
    goButton.disabled = false;
  }
}

async function login() {
  if (busy) return;
  busy = true;
  goButton.disabled = true;
  readButton.disabled = true;
  clearMessage();
  const pin = pinInput.value;
  try {
    setStatus("working", "", "正在读取 IC 卡…");
    const c = await control();
    const [info] = await c.call("security_getGetCardUserInfoAll", {});
    showCard(info);
    const { nonce } = await post("/api/challenge", { purpose: "legacy-login" });
    setStatus("working", "", pin ? "正在签名，请勿拔出 IC 卡…" : "请在 cardbridge 弹出的窗口中输入介质密码…");
    const [signature] = await c.call("security_SpcSignRandom", { random: nonce, passwd: pin }, { timeoutMs: 160000 });
    const [certificate] = await c.call("security_SpcGetSignCertAsPEM", {});
    pinInput.value = "";
    setStatus("working", "", "正在验证…");
    const { user } = await post("/api/login/legacy", { nonce, certificate, signature });
    setStatus("done", "OK", "登录成功");
    afterLogin(user, "登录成功");
  } catch (e) {
    pinInput.value = "";
    report(e);
  } finally {
    busy = false;
    goButton.disabled = false;
    readButton.disabled = false;
  }
}

$("#card-form").addEventListener("submit", (event) => {
  event.preventDefault();
  login();
});
readButton.addEventListener("click", () => refresh({ toMessage: true }));

await initLayout({ page: "login-legacy", requireLogin: false });
if (await detect()) {
  await refresh({ toMessage: false });
} else {
  // No WebSocket of our own at load without the extension (it would only fail on most
  // machines); the buttons still try the daemon directly.
  report(new LegacyError(0, "NO_BRIDGE", cardReasonText("NO_BRIDGE")), { toMessage: false });
  goButton.disabled = false;
}
