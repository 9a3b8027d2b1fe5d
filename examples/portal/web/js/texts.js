// What the user reads for each stable code: the daemon's reasons (docs/API.md), the bridge's
// own (NO_BRIDGE, DAEMON_UNAVAILABLE, CLOSED), and the portal server's codes for card proofs
// (examples/portal/README.md). card.js and legacy.js both use these, so a wrong PIN reads the
// same whichever way the page reached the card.

/** The Chinese text for a card-side reason; `retriesLeft` for PIN_INCORRECT. */
export function cardReasonText(reason, { retriesLeft = null, message = "" } = {}) {
  switch (reason) {
    case "PIN_INCORRECT":
      return typeof retriesLeft === "number" ? `介质密码错误，还可尝试 ${retriesLeft} 次` : "介质密码错误";
    case "PIN_BLOCKED":
      return "介质密码已锁定，请联系发卡机构解锁";
    case "PIN_CANCELLED":
      return "已取消输入介质密码";
    case "PIN_FORMAT":
      return "介质密码格式不正确";
    case "NO_CARD":
      return "请插入 IC 卡或 IKey";
    case "NO_READER":
      return "未检测到读卡器：请连接读卡器并插入 IC 卡，或插入 IKey";
    case "CARD_REMOVED":
      return "IC 卡或 IKey 在操作过程中被拔出：请插入后重试（操作过程中请勿插拔）";
    case "CARD_ERROR":
      return "IC 卡或 IKey 无响应，请拔出后重新插入";
    case "UNSUPPORTED_TOKEN":
      return "不是可用的电子口岸 IC 卡或 IKey，或卡中缺少所需的证书";
    case "UNSUPPORTED_ALGORITHM":
      return "卡中密钥的算法不支持此操作";
    case "TOKEN_AMBIGUOUS":
      return "检测到多张 IC 卡或 IKey，请选择要使用的一张";
    case "PCSC_UNAVAILABLE":
      return "读卡器服务（pcscd）未运行";
    case "ORIGIN_NOT_ALLOWED":
      return "cardbridge 未允许本网站使用 IC 卡：请在 cardbridge 中添加本网站（cardbridge origins add）";
    case "NOT_PERMITTED":
      return "cardbridge 不允许本网站进行此操作";
    case "NOT_SUPPORTED":
      return "cardbridge 不提供此功能";
    case "DAEMON_UNAVAILABLE":
      return "无法连接 cardbridge 服务：请确认 cardbridged 正在运行（cardbridge doctor 可检查原因）";
    case "NO_BRIDGE":
      return "未检测到 cardbridge 浏览器扩展：在本网站使用 IC 卡或 IKey 需要安装 cardbridge 及其浏览器扩展。";
    case "TIMEOUT":
      return "操作超时，请重试";
    case "BUSY":
      return "请求过多，请稍后重试";
    case "FRAME_TOO_LARGE":
      return "数据超过大小限制";
    case "CLOSED":
      return "与 cardbridge 的连接已关闭，请刷新页面";
    default:
      return message ? `${message}（${reason}）` : `读卡失败（${reason}）`;
  }
}

/**
 * The portal server's codes for a card proof or a card rule, worded after the manual. Other
 * codes (VALIDATION, BAD_CREDENTIALS, …) show the server's own message.
 */
const SERVER_CARD_TEXTS = {
  NONCE_UNKNOWN: "挑战码无效，请重试",
  NONCE_USED: "挑战码已被使用，请重试",
  NONCE_EXPIRED: "挑战码已过期（有效期 5 分钟），请重试",
  TOKEN_MALFORMED: "卡的登录凭据格式错误",
  SIGNATURE_INVALID: "签名验证失败",
  CERT_UNTRUSTED: "证书不受信任：不是本门户认可的发证机构签发的",
  CERT_EXPIRED: "证书已过期",
  CERT_KEY_USAGE: "证书的密钥用途不允许用于登录",
  UNSUPPORTED_ALGORITHM: "不支持卡中密钥的签名算法",
  CARD_NOT_EPORT: "不是电子口岸 IC 卡：证书中没有卡号或企业代码",
  CARD_NOT_BOUND: "该 IC 卡尚未绑定账号",
  CARD_ALREADY_BOUND: "该 IC 卡已绑定账号",
  ACCOUNT_HAS_CARD: "当前账号已绑定 IC 卡，如需更换请先解绑",
  ENTERPRISE_MISMATCH: "该 IC 卡不属于本企业",
  CARD_ROLE: "请插入操作员 IC 卡或 IKey",
  NO_PENDING_CARD: "读卡信息已失效（需在 15 分钟内完成注册），请重新读卡",
  ADMIN_EXISTS: "该企业已注册管理员，一家企业只能注册一个管理员账号",
  ADMIN_EXISTS_UNBOUND: "该企业已注册管理员，但管理员账号尚未绑定 IC 卡",
  OPERATOR_PROTECTED: "操作员已绑卡而管理员未绑卡，不可修改或删除",
};

/** Texts for codes the server may send without a message, and for the client's own. */
const SERVER_FALLBACK_TEXTS = {
  VALIDATION: "输入有误，请检查后重新录入",
  CSRF: "页面已过期，请刷新后重试",
  NOT_LOGGED_IN: "请先登录",
  ADMIN_ONLY: "本功能仅管理员可用",
  ADMIN_NO_BUSINESS: "管理员账号不可进行业务操作，请使用操作员账号",
  PASSWORD_CHANGE_REQUIRED: "首次登录须修改初始密码",
  BAD_CREDENTIALS: "用户名或密码错误",
  ACCOUNT_LOCKED: "密码错误次数过多，账号已锁定 15 分钟",
  USERNAME_TAKEN: "用户名已被注册",
  NOT_FOUND: "未找到",
  PAYLOAD_TOO_LARGE: "提交的数据过大",
  INTERNAL: "门户服务器内部错误",
  NETWORK: "无法连接门户服务器，请检查网络后重试",
};

/** What to show for a server error: our wording for card codes, else the server's message. */
export function serverErrorText(code, message) {
  return SERVER_CARD_TEXTS[code] ?? (message || SERVER_FALLBACK_TEXTS[code] || `操作失败（${code}）`);
}

/** A text followed by a hint (text or nodes): [text。, hint], or just the text without one. */
export function withHint(text, hint) {
  if (hint === null || hint === undefined || hint === "") return [text];
  return [/[。！？.!?]$/.test(text) ? text : `${text}。`, hint];
}
