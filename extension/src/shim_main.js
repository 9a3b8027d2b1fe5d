// cardbridge legacy WebSocket shim (MAIN world, document_start, every frame).
//
// The E-Port JavaScript library does `new WebSocket("wss://wss.singlewindow.cn:61231")` on https
// pages (or ws://127.0.0.1:61232 on http ones), waits for readyState 1, sends text frames and
// routes answers by `_method`. That URL cannot work from an https page without the public-name
// certificate trick this project refuses, so for exactly those endpoints `new WebSocket` returns
// an object that talks to the extension (docs/BROWSER.md "The legacy shim") and behaves like a
// WebSocket connected to the daemon. Every other URL gets the browser's own WebSocket.
//
// This script also records that the relay said "ready", under Symbol.for("cardbridge.ready"),
// because the page library usually loads after that one-time message was delivered.
"use strict";

(() => {
  const NativeWebSocket = window.WebSocket;
  if (typeof NativeWebSocket !== "function") return;

  const PROTOCOL = 1;
  const READY_WAIT_MS = 1000; // then act as "not installed" so the page's own logic runs
  // The background answers an open within 5 s; this only catches a relay that went silent
  // (an orphaned content script after an extension update).
  const OPEN_GUARD_MS = 7000;
  const CLOSE_GUARD_MS = 3000;
  const READY_MARK = Symbol.for("cardbridge.ready");
  const LEGACY_ENDPOINTS = new Set([
    "ws://127.0.0.1:61232",
    "ws://localhost:61232",
    "ws://[::1]:61232",
    "wss://wss.singlewindow.cn:61231",
  ]);
  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;

  // Kept from before any page script runs: a page that replaces these later still gets sockets
  // that work.
  const { addEventListener, dispatchEvent } = EventTarget.prototype;
  const postToRelay = window.postMessage.bind(window);
  const setTimer = window.setTimeout.bind(window);
  const clearTimer = window.clearTimeout.bind(window);
  const decoder = new TextDecoder();

  let ready = false;
  /** @type {Set<() => void>} */
  const readyWaiters = new Set();
  /** page port name → handler of that socket's relay messages */
  const sockets = new Map();
  const portPrefix = `ws-${[...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, "0")).join("")}-`;
  let portCounter = 0;

  function toRelay(kind, port, extra) {
    postToRelay({ cardbridge: PROTOCOL, kind, port, ...extra }, "*");
  }

  function markReady() {
    if (ready) return;
    ready = true;
    try {
      Object.defineProperty(window, READY_MARK, { value: true, configurable: true });
    } catch {
      // A page that froze window: the library still sees "ready" by listening itself.
    }
    for (const waiter of [...readyWaiters]) waiter();
    readyWaiters.clear();
  }

  /** The legacy endpoint `url` names (serialized), or null for any other URL. */
  function legacyUrl(url) {
    try {
      const u = new URL(String(url), document.baseURI);
      return LEGACY_ENDPOINTS.has(`${u.protocol}//${u.host}`) ? u.href : null;
    } catch {
      return null; // let the browser's constructor throw its own SyntaxError
    }
  }

  function utf8Length(text) {
    return new TextEncoder().encode(text).length;
  }

  class WebSocket extends EventTarget {
    #url;
    #origin;
    #port = null;
    #state = CONNECTING;
    #binaryType = "blob";
    #handlers = new Map();
    #timer = undefined;
    #sawDaemonMessage = false;
    #closeCode = 1000;
    #closeReason = "";

    constructor(url) {
      super();
      this.#url = url;
      this.#origin = new URL(url).origin;
      if (ready) this.#requestOpen();
      else this.#awaitReady();
    }

    get url() { return this.#url; }
    get readyState() { return this.#state; }
    get bufferedAmount() { return 0; } // handed to the relay at once
    get extensions() { return ""; }
    get protocol() { return ""; }
    get binaryType() { return this.#binaryType; }
    set binaryType(value) {
      // As the platform does: other values are ignored. Frames here are text, so it never matters.
      if (value === "blob" || value === "arraybuffer") this.#binaryType = value;
    }
    get onopen() { return this.#getHandler("open"); }
    set onopen(fn) { this.#setHandler("open", fn); }
    get onmessage() { return this.#getHandler("message"); }
    set onmessage(fn) { this.#setHandler("message", fn); }
    get onerror() { return this.#getHandler("error"); }
    set onerror(fn) { this.#setHandler("error", fn); }
    get onclose() { return this.#getHandler("close"); }
    set onclose(fn) { this.#setHandler("close", fn); }

    send(data) {
      if (arguments.length < 1) {
        throw new TypeError("Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.");
      }
      if (this.#state === CONNECTING) {
        throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", "InvalidStateError");
      }
      if (this.#state !== OPEN) return; // the platform discards after close() too
      // The daemon reads text frames only (JSON or BLOCKTXT): binary data is taken as UTF-8 text.
      let text;
      if (typeof data === "string") text = data;
      else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) text = decoder.decode(data);
      else text = String(data);
      toRelay("send", this.#port, { data: text });
    }

    close(code, reason) {
      if (code !== undefined) {
        code = Number(code) | 0;
        if (code !== 1000 && (code < 3000 || code > 4999)) {
          throw new DOMException(`Failed to execute 'close' on 'WebSocket': The code must be either 1000, or between 3000 and 4999. ${code} is neither.`, "InvalidAccessError");
        }
      }
      if (reason !== undefined) {
        reason = String(reason);
        if (utf8Length(reason) > 123) {
          throw new DOMException("Failed to execute 'close' on 'WebSocket': The message must not be greater than 123 bytes.", "SyntaxError");
        }
      }
      if (this.#state === CLOSING || this.#state === CLOSED) return;
      if (this.#state === CONNECTING) {
        // As the platform: closing before the connection is up fails it (error, close 1006).
        this.#state = CLOSING;
        setTimer(() => this.#fail("", ""), 0);
        return;
      }
      this.#state = CLOSING;
      this.#closeCode = code ?? 1000;
      this.#closeReason = reason ?? "";
      toRelay("close", this.#port);
      this.#timer = setTimer(() => this.#closedCleanly(), CLOSE_GUARD_MS);
    }

    #getHandler(type) {
      return this.#handlers.get(type) ?? null;
    }

    #setHandler(type, fn) {
      // An event handler attribute is one listener, registered where it was first set.
      if (!this.#handlers.has(type)) {
        addEventListener.call(this, type, (event) => {
          const handler = this.#handlers.get(type);
          if (typeof handler === "function") handler.call(this, event);
        });
      }
      this.#handlers.set(type, typeof fn === "function" || (fn !== null && typeof fn === "object") ? fn : null);
    }

    #emit(event) {
      dispatchEvent.call(this, event);
    }

    #awaitReady() {
      const onReady = () => {
        clearTimer(this.#timer);
        if (this.#state === CONNECTING) this.#requestOpen();
      };
      readyWaiters.add(onReady);
      this.#timer = setTimer(() => {
        readyWaiters.delete(onReady);
        this.#fail("NO_BRIDGE", "the cardbridge extension did not answer");
      }, READY_WAIT_MS);
    }

    #requestOpen() {
      this.#port = portPrefix + ++portCounter;
      sockets.set(this.#port, (msg) => this.#fromRelay(msg));
      toRelay("open", this.#port);
      this.#timer = setTimer(() => this.#fail("TIMEOUT", "the cardbridge extension did not answer"), OPEN_GUARD_MS);
    }

    #fromRelay(msg) {
      if (msg.kind === "opened") {
        if (this.#state !== CONNECTING) return;
        clearTimer(this.#timer);
        this.#state = OPEN;
        this.#emit(new Event("open"));
        // The daemon's WebSocket greets every connection with this hello, and the E-Port
        // library expects it; the channel's "opened" is what stands for that greeting here.
        const version = typeof msg.version === "string" ? msg.version : "";
        const hello = { _id: 0, _method: "open", _status: "00", _args: { Result: true, Data: ["cardbridge", version], Error: [] } };
        if (this.#state === OPEN) this.#deliver(JSON.stringify(hello));
      } else if (msg.kind === "message") {
        if (this.#state !== OPEN) return;
        const data = msg.data;
        const first = !this.#sawDaemonMessage;
        this.#sawDaemonMessage = true;
        // Should the daemon ever send its own hello over the channel too, the page must not
        // see two.
        if (first && data !== null && typeof data === "object" && data._method === "open" && data._id === 0) return;
        this.#deliver(typeof data === "string" ? data : JSON.stringify(data));
      } else if (msg.kind === "closed") {
        sockets.delete(this.#port);
        if (this.#state === CLOSING) this.#closedCleanly();
        else this.#fail(msg.reason ?? "", msg.message ?? "");
      }
    }

    #deliver(text) {
      this.#emit(new MessageEvent("message", { data: text, origin: this.#origin }));
    }

    #closedCleanly() {
      if (this.#state === CLOSED) return;
      clearTimer(this.#timer);
      sockets.delete(this.#port);
      this.#state = CLOSED;
      this.#emit(new CloseEvent("close", { code: this.#closeCode, reason: this.#closeReason, wasClean: true }));
    }

    /** The connection failed or was taken away: error, then close 1006 with the reason. */
    #fail(reason, message) {
      if (this.#state === CLOSED) return;
      clearTimer(this.#timer);
      if (this.#port !== null && sockets.delete(this.#port)) toRelay("close", this.#port);
      this.#state = CLOSED;
      if (reason) console.warn(`cardbridge: ${this.#url}: ${reason}${message ? ` (${message})` : ""}`);
      this.#emit(new Event("error"));
      this.#emit(new CloseEvent("close", { code: 1006, reason, wasClean: false }));
    }
  }

  // Constants on the class and on instances, as the platform has them.
  for (const [name, value] of Object.entries({ CONNECTING, OPEN, CLOSING, CLOSED })) {
    Object.defineProperty(WebSocket, name, { value, enumerable: true });
    Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
  }

  // window.WebSocket stays the browser's constructor seen through a Proxy: same prototype,
  // name, length, statics, and `instanceof WebSocket` holds for shim sockets too, whose
  // prototype chain runs through the native prototype (every accessor there is shadowed).
  const PageWebSocket = new Proxy(NativeWebSocket, {
    construct(target, args, newTarget) {
      const url = args.length > 0 ? legacyUrl(args[0]) : null;
      // A subclass of WebSocket (newTarget) keeps the native path: rare, and its prototype
      // would hide the shim's accessors.
      if (url === null || newTarget !== PageWebSocket) return Reflect.construct(target, args, newTarget);
      return new WebSocket(url);
    },
  });
  Object.setPrototypeOf(WebSocket.prototype, NativeWebSocket.prototype);
  Object.defineProperty(WebSocket.prototype, "constructor", { value: PageWebSocket, writable: true, configurable: true });
  Object.defineProperty(NativeWebSocket.prototype, "constructor", { value: PageWebSocket, writable: true, configurable: true });
  window.WebSocket = PageWebSocket;

  window.addEventListener("message", (event) => {
    if (event.source !== window) return;
    const d = event.data;
    if (d === null || typeof d !== "object" || d.cardbridge !== PROTOCOL) return;
    if (d.kind === "ready") markReady();
    else if (typeof d.port === "string") sockets.get(d.port)?.(d);
  });
})();
