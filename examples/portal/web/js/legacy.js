// A small client of the legacy E-Port protocol (docs/LEGACY.md), the way the Single Window's
// own JavaScript talks to the client control: the page's own
//   new WebSocket("ws://127.0.0.1:61232")
// (the cardbridge extension's shim makes it work on any allowed page; without the extension an
// http page reaches the daemon directly when the daemon allows its origin), the hello
// {"_id":0,"_method":"open",…} first, then calls {_method, _id, args} answered by
// {_id, _method, _status:"00", _args:{Result, Data, Error}} and matched by _id.
import { cardReasonText } from "./texts.js";

export const LEGACY_URL = "ws://127.0.0.1:61232";

// Failure codes (docs/LEGACY.md "Failure codes") and the reason each stands for.
const CODE_REASONS = {
  50200: "NO_CARD", 50070: "CARD_ERROR", 51590: "UNSUPPORTED_TOKEN",
  59001: "PIN_INCORRECT", 59002: "PIN_BLOCKED", 59003: "PIN_CANCELLED", 59004: "PIN_FORMAT",
  59005: "TOKEN_AMBIGUOUS", 59010: "INVALID_REQUEST", 59011: "INVALID_PARAMS", 59012: "METHOD_NOT_FOUND",
  59013: "NOT_SUPPORTED", 59014: "UNSUPPORTED_ALGORITHM", 59015: "FRAME_TOO_LARGE",
  59016: "DAEMON_UNAVAILABLE", 59020: "ORIGIN_NOT_ALLOWED", 59021: "NOT_PERMITTED",
  59030: "TIMEOUT", 59031: "BUSY", 59040: "SIGNATURE_INVALID", 59041: "CERT_INVALID", 59099: "INTERNAL",
};

// What the legacy protocol adds to the shared texts: it cannot name a reader, and a PIN sent by
// a page without sendPin is refused.
const LEGACY_TEXTS = {
  TOKEN_AMBIGUOUS: "插入了多张 IC 卡或 IKey：客户端控件方式无法选择读卡器，请只保留要使用的一张",
  NOT_PERMITTED: "本网站不能代为传递介质密码：请清空介质密码后重试，由 cardbridge 弹出窗口输入",
  PCSC_UNAVAILABLE: "读卡器服务（pcscd）未运行",
};
const SHARED = new Set(["NO_CARD", "CARD_ERROR", "UNSUPPORTED_TOKEN", "PIN_INCORRECT", "PIN_BLOCKED",
  "PIN_CANCELLED", "PIN_FORMAT", "ORIGIN_NOT_ALLOWED", "DAEMON_UNAVAILABLE", "TIMEOUT", "BUSY",
  "UNSUPPORTED_ALGORITHM", "FRAME_TOO_LARGE", "NO_BRIDGE"]);

/** A failed call or connection: `code` (59001, or 0 for the connection), `reason`, `retriesLeft`. */
export class LegacyError extends Error {
  constructor(code, reason, text, { retriesLeft = null, method = "", raw = null } = {}) {
    super(text);
    this.name = "LegacyError";
    this.code = code;
    this.reason = reason;
    this.retriesLeft = retriesLeft;
    this.method = method;
    this.raw = raw;
  }
}

/** The LegacyError for an answer's `_args.Error` (["[cardbridge]…:错误码=n", "Err:Customn"]). */
export function legacyFailure(method, errorList) {
  const list = Array.isArray(errorList) ? errorList.map(String) : [];
  const joined = list.join(" ");
  const match = /Err:Custom(\d+)/.exec(joined) ?? /错误码=(\d+)/.exec(joined);
  const code = match ? Number(match[1]) : 0;
  let reason = CODE_REASONS[code] ?? "UNKNOWN";
  if (code === 50200 && /pcscd/i.test(joined)) reason = "PCSC_UNAVAILABLE";
  const tries = /尝试\s*(\d+)\s*次/.exec(joined);
  const retriesLeft = reason === "PIN_INCORRECT" && tries ? Number(tries[1]) : null;
  let text;
  if (LEGACY_TEXTS[reason]) text = LEGACY_TEXTS[reason];
  else if (SHARED.has(reason)) text = cardReasonText(reason, { retriesLeft });
  else text = list[0] || `客户端控件返回失败（${method}）`; // codes we do not know: the control's own text
  return new LegacyError(code, reason, text, { retriesLeft, method, raw: list });
}

/**
 * One connection to the client control. `LegacyClient.open()` resolves once the hello arrived;
 * `call(method, args)` resolves with `_args.Data` or rejects with a LegacyError.
 */
export class LegacyClient {
  #ws;
  #nextId = 1;
  #pending = new Map();
  #closed = false;
  /** The control's name and version from the hello, e.g. ["cardbridge", "0.1.0"]. */
  hello = null;
  /** Called once when the connection ends after the hello: ({code, reason}). */
  onclose = null;

  static open(url = LEGACY_URL, { timeoutMs = 5000 } = {}) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        reject(new LegacyError(0, "DAEMON_UNAVAILABLE", cardReasonText("DAEMON_UNAVAILABLE"), { raw: String(e) }));
        return;
      }
      const client = new LegacyClient(ws);
      const timer = setTimeout(() => {
        client.close();
        reject(new LegacyError(0, "TIMEOUT", "连接客户端控件超时", { raw: `no hello within ${timeoutMs} ms` }));
      }, timeoutMs);
      client.#onHello = () => {
        clearTimeout(timer);
        resolve(client);
      };
      client.#onEarlyClose = (event) => {
        clearTimeout(timer);
        reject(new LegacyError(0, "DAEMON_UNAVAILABLE", cardReasonText("DAEMON_UNAVAILABLE"),
          { raw: `closed before the hello (${event.code} ${event.reason ?? ""})` }));
      };
    });
  }

  #onHello = null;
  #onEarlyClose = null;

  constructor(ws) {
    this.#ws = ws;
    ws.onmessage = (event) => this.#message(event.data);
    ws.onerror = () => {}; // the close event that follows says it all
    ws.onclose = (event) => this.#close(event);
  }

  #message(text) {
    if (typeof text !== "string") return;
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg === null || typeof msg !== "object") return;
    if (msg._method === "open" && (msg._id === 0 || msg._id === "0")) {
      this.hello = Array.isArray(msg._args?.Data) ? msg._args.Data.map(String) : [];
      this.#onHello?.();
      this.#onHello = null;
      return;
    }
    const pending = this.#pending.get(String(msg._id));
    if (!pending) return; // _nextBlock (BLOCKTXT) and answers to calls already timed out
    this.#pending.delete(String(msg._id));
    clearTimeout(pending.timer);
    const args = msg._args ?? {};
    if (args.Result === true) pending.resolve(Array.isArray(args.Data) ? args.Data : []);
    else pending.reject(legacyFailure(pending.method, args.Error));
  }

  #close(event) {
    const wasOpen = this.hello !== null;
    this.#closed = true;
    for (const { reject, timer, method } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new LegacyError(0, "DAEMON_UNAVAILABLE", "与客户端控件的连接已断开", { method, raw: `${event.code} ${event.reason ?? ""}` }));
    }
    this.#pending.clear();
    if (!wasOpen) this.#onEarlyClose?.(event);
    else this.onclose?.({ code: event.code, reason: event.reason ?? "" });
  }

  /** Whether the connection can still carry calls. */
  get open() {
    return !this.#closed && this.#ws.readyState === 1;
  }

  /** One call; `args` values are strings (docs/LEGACY.md). Signing may wait for a PIN prompt. */
  call(method, args = {}, { timeoutMs = 60000 } = {}) {
    if (!this.open) {
      return Promise.reject(new LegacyError(0, "DAEMON_UNAVAILABLE", "与客户端控件的连接已断开", { method }));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(String(id));
        reject(new LegacyError(0, "TIMEOUT", cardReasonText("TIMEOUT"), { method }));
      }, timeoutMs);
      this.#pending.set(String(id), { resolve, reject, timer, method });
      this.#ws.send(JSON.stringify({ _method: method, _id: id, args }));
    });
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.onclose = null;
    for (const { reject, timer, method } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new LegacyError(0, "CLOSED", "连接已关闭", { method }));
    }
    this.#pending.clear();
    this.#ws.close();
  }
}

/**
 * `security_getGetCardUserInfoAll`'s one string, 13 fields joined by "||" (docs/LEGACY.md
 * "User info"), as an object.
 */
export function parseUserInfo(info) {
  const f = String(info ?? "").split("||");
  const at = (i) => f[i] ?? "";
  return {
    certNo: at(0), holder: at(1), enterpriseName: at(2), enterpriseCode: at(3), cardId: at(5),
    uscc: at(7), orgCode: at(8), customsCode: at(9), role: at(10), validFrom: at(11), validUntil: at(12),
  };
}

/** "20361127080000" → "2036-11-27 08:00:00" (China Standard Time, as the control gives it). */
export function legacyTime(t) {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(t ?? "");
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : (t ?? "");
}
