// cardbridge relay (ISOLATED world, document_start, every frame).
//
// Carries the page protocol of docs/BROWSER.md "Page ↔ extension" between window.postMessage
// and the background, one chrome.runtime port per page port. It adds nothing a page could use
// to choose its origin: the background reads that from the runtime port's sender, so this
// script never says which origin it runs in.
"use strict";

(() => {
  const PROTOCOL = 1;
  const MAX_PAGE_PORTS = 32; // per frame: a page needs a few; more is a leak or abuse
  const MAX_MESSAGE_BYTES = 1024 * 1024; // serialized; the daemon's own per-message cap
  const MAX_PORT_NAME = 64;
  const PAGE_KINDS = new Set(["open", "send", "close"]);

  /** page port name → chrome.runtime.Port, from "open" until "closed" */
  const ports = new Map();
  const encoder = new TextEncoder();

  function toPage(msg) {
    // Our own window is the only receiver; "*" because an opaque origin has no name to target.
    window.postMessage({ cardbridge: PROTOCOL, ...msg }, "*");
  }

  function closedToPage(name, reason, message) {
    const msg = { kind: "closed", port: name };
    if (typeof reason === "string") msg.reason = reason;
    if (typeof message === "string") msg.message = message;
    toPage(msg);
  }

  function utf8Length(text) {
    // Cheap bound first: no UTF-16 code unit becomes more than 3 UTF-8 bytes.
    return text.length * 3 <= MAX_MESSAGE_BYTES ? text.length : encoder.encode(text).length;
  }

  function toBackground(port, msg) {
    try {
      port.postMessage(msg);
    } catch {
      // Disconnected a moment ago; its onDisconnect tells the page.
    }
  }

  function open(name) {
    if (ports.has(name)) return; // a page port is opened once; a repeat is a page bug
    if (ports.size >= MAX_PAGE_PORTS) {
      return closedToPage(name, "BUSY", `at most ${MAX_PAGE_PORTS} connections per frame`);
    }
    let port;
    try {
      port = chrome.runtime.connect({ name: "cardbridge-channel" });
    } catch {
      // The extension was reloaded or updated under this page: this script is orphaned.
      return closedToPage(name, "DAEMON_UNAVAILABLE", "the cardbridge extension was reloaded; reload this page");
    }
    ports.set(name, port);
    port.onMessage.addListener((msg) => {
      if (ports.get(name) !== port || msg === null || typeof msg !== "object") return;
      if (msg.kind === "opened") toPage({ kind: "opened", port: name, version: msg.version });
      else if (msg.kind === "message") toPage({ kind: "message", port: name, data: msg.data });
      else if (msg.kind === "closed") {
        ports.delete(name);
        port.disconnect();
        closedToPage(name, msg.reason, msg.message);
      }
    });
    port.onDisconnect.addListener(() => {
      // Gone without "closed": the background stopped (crash, extension disabled or updated).
      if (ports.get(name) !== port) return;
      ports.delete(name);
      closedToPage(name, "DAEMON_UNAVAILABLE", "the cardbridge extension stopped");
    });
    toBackground(port, { kind: "open" });
  }

  function send(name, envelope) {
    const port = ports.get(name);
    if (!port) return;
    let text;
    try {
      text = JSON.stringify(envelope);
    } catch {
      text = undefined; // cyclic or BigInt: not a message the daemon could read
    }
    if (text === undefined || utf8Length(text) > MAX_MESSAGE_BYTES) {
      // Dropping one message silently would leave the page waiting for an answer forever;
      // closing the channel is what a WebSocket server does with an oversized frame.
      ports.delete(name);
      port.disconnect(); // the background closes the channel towards the host
      return closedToPage(name, "FRAME_TOO_LARGE", `a message must be JSON of at most ${MAX_MESSAGE_BYTES} bytes`);
    }
    // The round trip leaves plain JSON owned by this world (in Firefox the page's object
    // arrives behind an Xray wrapper that runtime messaging may refuse).
    const { data } = JSON.parse(text);
    if (data !== undefined) toBackground(port, { kind: "send", data });
  }

  function close(name) {
    // The entry stays until the background answers "closed", which the page then receives.
    const port = ports.get(name);
    if (port) toBackground(port, { kind: "close" });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window) return;
    const d = event.data;
    if (d === null || typeof d !== "object" || d.cardbridge !== PROTOCOL) return;
    const { kind, port: name } = d;
    // Our own posts (ready, opened, message, closed) come back here too: not for us.
    if (!PAGE_KINDS.has(kind)) return;
    if (typeof name !== "string" || name.length === 0 || name.length > MAX_PORT_NAME) return;
    if (kind === "open") open(name);
    else if (kind === "send") send(name, d);
    else close(name);
  });

  toPage({ kind: "ready" });
})();
