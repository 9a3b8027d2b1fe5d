// cardbridge page library (ES module, no dependencies): docs/BROWSER.md "Page library".
//
//   import {connect, detect} from "./cardbridge.js";
//   const cb = await connect();
//   const {token} = await cb.login(nonce);
//
// Two ways to the daemon, chosen once per connect():
// - the cardbridge extension, through window.postMessage (docs/BROWSER.md "Page ↔ extension"):
//   works on https pages, and the browser, not the page, tells the daemon the origin;
// - without the extension, on http pages only, the daemon's own ws://127.0.0.1:61232 (an https
//   page may not open ws://, and the daemon checks the Origin header itself).

const PROTOCOL = 1;
const READY_MARK = Symbol.for("cardbridge.ready"); // set by the extension's shim (MAIN world)
const DEFAULT_URL = "ws://127.0.0.1:61232";
const OPEN_TIMEOUT_MS = 5000;
// The daemon's own deadline for a PIN prompt plus room, so the daemon, not us, says TIMEOUT.
const CALL_TIMEOUT_MS = 160000;
const MAX_MESSAGE_BYTES = 1024 * 1024;
const ENVELOPE_ROOM = 256; // the relay caps the whole postMessage envelope, not just our JSON
const LOCAL_EVENTS = new Set(["close"]);

// Codes of the reasons the bridge itself can produce (docs/API.md); the daemon's errors carry
// their own.
const REASON_CODES = { FRAME_TOO_LARGE: 1001, TIMEOUT: 1002, BUSY: 1003, ORIGIN_NOT_ALLOWED: 1101 };

/** An Error with the daemon's stable `reason` (docs/API.md), its `code`, and `retriesLeft`. */
export class CardbridgeError extends Error {
  constructor(reason, message, { code, retriesLeft, data } = {}) {
    super(message || reason);
    this.name = "CardbridgeError";
    this.reason = reason;
    this.code = code ?? REASON_CODES[reason] ?? null;
    this.retriesLeft = retriesLeft ?? null;
    this.data = data ?? null;
  }
}

function fromRpcError(error) {
  const data = error && typeof error.data === "object" ? error.data : null;
  return new CardbridgeError(data?.reason ?? "INTERNAL", error?.message ?? "", {
    code: typeof error?.code === "number" ? error.code : undefined,
    retriesLeft: typeof data?.retriesLeft === "number" ? data.retriesLeft : undefined,
    data,
  });
}

function utf8Length(text) {
  return text.length * 3 <= MAX_MESSAGE_BYTES ? text.length : new TextEncoder().encode(text).length;
}

/** base64 of bytes; strings are taken to be base64 already. */
function toBase64(value) {
  if (typeof value === "string") return value;
  const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function isRelayMessage(event) {
  const d = event.data;
  return event.source === window && d !== null && typeof d === "object" && d.cardbridge === PROTOCOL;
}

let extensionSeen = false;

/**
 * Whether the cardbridge extension serves this page. Its relay announces itself once at
 * document_start; the extension's shim remembers that for scripts loaded later.
 */
export function detect(timeoutMs = 500) {
  if (typeof window === "undefined") return Promise.resolve(false);
  if (extensionSeen || window[READY_MARK] === true) return Promise.resolve((extensionSeen = true));
  return new Promise((resolve) => {
    const onMessage = (event) => {
      if (isRelayMessage(event) && event.data.kind === "ready") done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    function done(found) {
      clearTimeout(timer);
      window.removeEventListener("message", onMessage);
      if (found) extensionSeen = true;
      resolve(found);
    }
    window.addEventListener("message", onMessage);
  });
}

// ---- transports: open() → {version}; send(object); close(); report via the callbacks -------

let portCounter = 0;
const portPrefix = `cb-${randomHex(6)}-`;

class ExtensionTransport {
  #name = portPrefix + ++portCounter;
  #onMessage;
  #onClose;
  #listener = null;

  constructor(onMessage, onClose) {
    this.#onMessage = onMessage;
    this.#onClose = onClose;
  }

  open(timeoutMs) {
    return new Promise((resolve, reject) => {
      let opened = false;
      const timer = setTimeout(() => {
        this.close();
        reject(new CardbridgeError("TIMEOUT", `the cardbridge extension did not open a channel within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listener = (event) => {
        if (!isRelayMessage(event) || event.data.port !== this.#name) return;
        const d = event.data;
        if (d.kind === "opened" && !opened) {
          opened = true;
          clearTimeout(timer);
          resolve({ version: typeof d.version === "string" ? d.version : null });
        } else if (d.kind === "message" && opened) {
          this.#onMessage(d.data);
        } else if (d.kind === "closed") {
          this.#stopListening();
          clearTimeout(timer);
          const error = new CardbridgeError(d.reason ?? "DAEMON_UNAVAILABLE", d.message ?? "");
          if (opened) this.#onClose(error);
          else reject(error);
        }
      };
      window.addEventListener("message", this.#listener);
      this.#post({ kind: "open" });
    });
  }

  send(request) {
    this.#post({ kind: "send", data: request });
  }

  close() {
    if (!this.#listener) return;
    this.#stopListening();
    this.#post({ kind: "close" });
  }

  #stopListening() {
    if (this.#listener) window.removeEventListener("message", this.#listener);
    this.#listener = null;
  }

  #post(msg) {
    window.postMessage({ cardbridge: PROTOCOL, port: this.#name, ...msg }, "*");
  }
}

class WebSocketTransport {
  #url;
  #socket = null;
  #onMessage;
  #onClose;

  constructor(url, onMessage, onClose) {
    this.#url = url;
    this.#onMessage = onMessage;
    this.#onClose = onClose;
  }

  open(timeoutMs) {
    return new Promise((resolve, reject) => {
      let opened = false;
      const unreachable = () => new CardbridgeError("DAEMON_UNAVAILABLE",
        `cannot reach cardbridged at ${this.#url}: it is not running, or it does not allow ${location.origin}`);
      let socket;
      try {
        // Without the extension this is the browser's own WebSocket.
        socket = new WebSocket(this.#url);
      } catch (e) {
        reject(new CardbridgeError("DAEMON_UNAVAILABLE", String(e?.message ?? e)));
        return;
      }
      this.#socket = socket;
      const timer = setTimeout(() => {
        socket.close();
        reject(new CardbridgeError("TIMEOUT", `no connection to ${this.#url} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve({ version: null }); // the E-Port hello that follows names it
      };
      socket.onmessage = (event) => {
        let msg;
        try {
          msg = JSON.parse(event.data);
        } catch {
          return;
        }
        this.#onMessage(msg);
      };
      socket.onclose = (event) => {
        clearTimeout(timer);
        this.#socket = null;
        // A 403 for an origin off the allow-list looks the same as no daemon from here.
        if (!opened) return reject(unreachable());
        this.#onClose(new CardbridgeError("DAEMON_UNAVAILABLE", `the daemon closed the connection (${event.code})`));
      };
    });
  }

  send(request) {
    if (!this.#socket || this.#socket.readyState !== 1) {
      throw new CardbridgeError("DAEMON_UNAVAILABLE", "the connection to the daemon is closed");
    }
    this.#socket.send(JSON.stringify(request));
  }

  close() {
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
  }
}

// ---- the connection ------------------------------------------------------------------------

class Connection {
  #bridge;
  #url;
  #timeoutMs;
  #transport = null;
  #opening = null;
  #subscription = null; // events.subscribe on the current transport
  #wantEvents = false;
  #closed = false;
  #nextId = 1;
  #pending = new Map();
  #listeners = new Map();

  /** "extension" or "websocket": which way this connection reaches the daemon. */
  get bridge() { return this.#bridge; }
  /** The daemon's version, as its hello said; null until known. */
  version = null;

  constructor(bridge, { url, timeoutMs }) {
    this.#bridge = bridge;
    this.#url = url;
    this.#timeoutMs = timeoutMs;
  }

  /** One JSON-RPC call (docs/API.md). Reopens the channel first when it closed meanwhile. */
  async call(method, params) {
    await this.#ensureOpen();
    return this.#request(method, params);
  }

  info(reader) {
    return this.call("token.info", reader === undefined ? undefined : { reader });
  }

  tokens() {
    return this.call("tokens.list");
  }

  login(nonce, { reader } = {}) {
    const params = { nonce: toBase64(nonce) };
    if (reader !== undefined) params.reader = reader;
    return this.call("auth.login", params);
  }

  sign({ data, hash, algorithm, purpose, reader, slot } = {}) {
    const params = { algorithm, purpose };
    if (data !== undefined) params.data = toBase64(data);
    if (hash !== undefined) params.hash = toBase64(hash);
    if (reader !== undefined) params.reader = reader;
    if (slot !== undefined) params.slot = slot;
    return this.call("token.sign", params);
  }

  /**
   * Listens to a daemon event (reader.added, reader.removed, token.inserted, token.removed),
   * subscribing on first use, or to "close" (the channel went away; the next call reopens it).
   * The returned promise settles when the subscription is in place; ignoring it is fine.
   */
  on(event, fn) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(fn);
    if (LOCAL_EVENTS.has(event)) return Promise.resolve();
    this.#wantEvents = true;
    const subscribed = this.#ensureOpen().then(() => this.#subscribe());
    subscribed.catch(() => {}); // reported to whoever awaits it; no unhandled rejection
    return subscribed;
  }

  off(event, fn) {
    this.#listeners.get(event)?.delete(fn);
  }

  /** Ends the connection for good; later calls reject with reason CLOSED. */
  close() {
    this.#closed = true;
    this.#transport?.close();
    this.#transport = null;
    this.#failPending(new CardbridgeError("CLOSED", "the connection was closed"));
  }

  /** @internal used by connect() */
  async open() {
    await this.#ensureOpen();
    return this;
  }

  #ensureOpen() {
    if (this.#closed) return Promise.reject(new CardbridgeError("CLOSED", "the connection was closed"));
    if (this.#transport) return Promise.resolve();
    this.#opening ??= this.#open().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #open() {
    const transport = this.#bridge === "extension"
      ? new ExtensionTransport((msg) => this.#onMessage(msg), (error) => this.#onClose(transport, error))
      : new WebSocketTransport(this.#url, (msg) => this.#onMessage(msg), (error) => this.#onClose(transport, error));
    const { version } = await transport.open(this.#timeoutMs);
    if (this.#closed) {
      transport.close();
      throw new CardbridgeError("CLOSED", "the connection was closed");
    }
    this.#transport = transport;
    this.#subscription = null;
    if (version) this.version = version;
    // Subscriptions belong to the daemon connection: a reopened channel starts without them.
    if (this.#wantEvents) {
      await this.#subscribe().catch((e) => console.warn("cardbridge: events.subscribe failed:", e));
    }
  }

  #subscribe() {
    this.#subscription ??= this.#request("events.subscribe").catch((e) => {
      this.#subscription = null;
      throw e;
    });
    return this.#subscription;
  }

  #request(method, params) {
    const transport = this.#transport;
    if (!transport) return Promise.reject(new CardbridgeError("DAEMON_UNAVAILABLE", "the channel closed"));
    const id = this.#nextId++;
    const request = { jsonrpc: "2.0", id, method };
    if (params !== undefined) request.params = params;
    const text = JSON.stringify(request);
    if (utf8Length(text) > MAX_MESSAGE_BYTES - ENVELOPE_ROOM) {
      return Promise.reject(new CardbridgeError("FRAME_TOO_LARGE", `the request is over ${MAX_MESSAGE_BYTES} bytes; sign a hash instead`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new CardbridgeError("TIMEOUT", `${method}: no answer within ${CALL_TIMEOUT_MS / 1000} s`));
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        transport.send(request);
      } catch (e) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(e);
      }
    });
  }

  #onMessage(msg) {
    if (msg === null || typeof msg !== "object") return;
    // The daemon's WebSocket also speaks the E-Port protocol and greets with its hello: every
    // message without `jsonrpc` is for someone else (the hello still tells the version).
    if (msg.jsonrpc !== "2.0") {
      const data = msg._method === "open" && msg._id === 0 ? msg._args?.Data : null;
      if (Array.isArray(data) && typeof data[1] === "string") this.version = data[1];
      return;
    }
    if ("id" in msg && msg.id !== null) {
      const pending = this.#pending.get(msg.id);
      if (!pending) return;
      this.#pending.delete(msg.id);
      clearTimeout(pending.timer);
      if ("error" in msg) pending.reject(fromRpcError(msg.error));
      else pending.resolve(msg.result);
    } else if (typeof msg.method === "string") {
      this.#emit(msg.method, msg.params);
    }
  }

  #onClose(transport, error) {
    if (transport !== this.#transport) return;
    this.#transport = null;
    this.#subscription = null;
    this.#failPending(error);
    this.#emit("close", { reason: error.reason, message: error.message });
  }

  #failPending(error) {
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.#pending.clear();
  }

  #emit(event, params) {
    for (const fn of [...(this.#listeners.get(event) ?? [])]) {
      try {
        fn(params);
      } catch (e) {
        // One listener's bug must not cost the others their event.
        setTimeout(() => { throw e; });
      }
    }
  }
}

/**
 * Connects to the daemon: through the extension when it is there, else (http pages only)
 * straight to the daemon's WebSocket. Rejects with reason NO_BRIDGE when neither is possible,
 * or with the reason the channel was refused for (ORIGIN_NOT_ALLOWED, DAEMON_UNAVAILABLE, …).
 */
export async function connect({ timeoutMs = OPEN_TIMEOUT_MS, url = DEFAULT_URL } = {}) {
  let bridge;
  if (await detect()) bridge = "extension";
  else if (typeof location !== "undefined" && location.protocol === "http:") bridge = "websocket";
  else {
    throw new CardbridgeError("NO_BRIDGE",
      "the cardbridge browser extension is not installed (or not enabled for this site); on https pages it is the only way to the card");
  }
  return new Connection(bridge, { url, timeoutMs }).open();
}
