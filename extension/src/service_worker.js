// cardbridge background: the Chromium MV3 service worker, and the same file as Firefox's MV3
// background script (event page).
//
// It owns the ONE native-messaging port to cardbridge-host and carries every page connection
// over it as a numbered channel (docs/BROWSER.md "Channels"). A channel belongs to exactly one
// chrome.runtime port:
//   "cardbridge-channel"  a content script's port, one per page port; origin = the sender's
//   "cardbridge-ui"       the popup's own daemon connection; origin null
//   "cardbridge-probe"    the popup asking "does the daemon allow origin X?"; open, then close
//
// Lifetime: Chromium (since 105) and Firefox keep the background alive while a native port is
// open, so this worker lives as long as channels do, plus IDLE_DISCONNECT_MS. Nothing is
// persisted: if the worker is stopped anyway, every runtime port disconnects, the content
// scripts report the channels closed, and the pages reopen, which they must be able to do
// after a daemon restart in any case.
"use strict";

const HOST_NAME = "cn.cardbridge.host";
const OPEN_TIMEOUT_MS = 5000;
const CLOSE_TIMEOUT_MS = 5000;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10000;
// Keep the host a little after the last channel: portal pages navigate and reopen at once, and
// restarting the host (and its daemon hello) for every page load is wasted work.
const IDLE_DISCONNECT_MS = 30000;
// Sends that arrive while a channel is still opening (the page library may send right after
// "open"); more than this means a page that does not wait at all.
const MAX_QUEUED_SENDS = 64;

const PORT_PAGE = "cardbridge-channel";
const PORT_UI = "cardbridge-ui";
const PORT_PROBE = "cardbridge-probe";

/**
 * @typedef {object} Channel
 * @property {number} id
 * @property {string|null} origin
 * @property {chrome.runtime.Port|null} port   null once the runtime port is gone
 * @property {"waiting"|"opening"|"open"|"closing"} state   waiting = for the native port
 * @property {boolean} probe
 * @property {unknown[]} queue
 * @property {ReturnType<typeof setTimeout>|undefined} timer
 */

/** @type {Map<number, Channel>} */
const channels = new Map();
// Never reused, so a late message from the host for a channel we gave up on finds nothing.
let nextChannelId = 1;

/** @type {chrome.runtime.Port|null} */
let native = null;
let nativeHealthy = false; // the current host has answered at least once
let retryDelay = RETRY_FIRST_MS;
let retryAt = 0; // no connectNative before this time (Date.now() scale)
let retryTimer;
let idleTimer;
let lastFailure = { reason: "DAEMON_UNAVAILABLE", message: "cardbridge-host was not started yet" };

// ---- native port ----------------------------------------------------------------------

/** Connects to the host unless connected or backing off. Returns whether a port exists. */
function connectHost() {
  if (native) return true;
  if (Date.now() < retryAt) return false;
  let port;
  try {
    port = chrome.runtime.connectNative(HOST_NAME);
  } catch (e) {
    hostGone(null, String(e?.message ?? e));
    return false;
  }
  native = port;
  nativeHealthy = false;
  port.onMessage.addListener((msg) => onHostMessage(port, msg));
  port.onDisconnect.addListener((p) => {
    // Chromium reports why in runtime.lastError, Firefox in port.error.
    const why = chrome.runtime.lastError?.message ?? p.error?.message ?? "the native host exited";
    hostGone(port, why);
  });
  return true;
}

/** The host went away (or could not be started): every channel it carried is closed. */
function hostGone(port, why) {
  if (port !== null && port !== native) return; // a port we already let go (idle)
  native = null;
  if (nativeHealthy) retryDelay = RETRY_FIRST_MS;
  retryAt = Date.now() + retryDelay;
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  lastFailure = { reason: "DAEMON_UNAVAILABLE", message: `cardbridge-host: ${why}` };
  for (const ch of [...channels.values()]) {
    if (ch.state !== "waiting") finish(ch, lastFailure);
  }
  scheduleRetry();
}

/** Opens the channels that wait for the host once the backoff allows another attempt. */
function scheduleRetry() {
  if (retryTimer !== undefined) return;
  if (![...channels.values()].some((ch) => ch.state === "waiting")) return;
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    if (![...channels.values()].some((ch) => ch.state === "waiting")) return; // all gave up
    if (!connectHost()) return scheduleRetry();
    for (const ch of channels.values()) if (ch.state === "waiting") sendOpen(ch);
  }, Math.max(0, retryAt - Date.now()));
}

function toHost(msg) {
  try {
    native?.postMessage(msg);
  } catch (e) {
    // The port died under us; its onDisconnect closes the channels.
    console.warn("cardbridge: could not write to the host:", e);
  }
}

function onHostMessage(port, msg) {
  if (port !== native) return;
  nativeHealthy = true;
  if (msg === null || typeof msg !== "object") return;
  if (msg.error) {
    console.warn("cardbridge-host refused a message:", msg.error.reason, msg.error.message);
    return;
  }
  const ch = channels.get(msg.channel);
  if (!ch) return; // given up on (timeout, page gone): the host's late words are moot
  if ("opened" in msg) onOpened(ch, msg.opened);
  else if ("message" in msg) {
    // After the page asked to close, nothing more is delivered (as a WebSocket in CLOSING).
    if (ch.state === "open") toPort(ch, { kind: "message", data: msg.message });
  } else if ("closed" in msg) finish(ch, msg.closed ?? {});
}

// ---- channels ---------------------------------------------------------------------------

function openChannel(port, origin, probe) {
  cancelIdle();
  /** @type {Channel} */
  const ch = { id: nextChannelId++, origin, port, state: "waiting", probe, queue: [], timer: undefined };
  channels.set(ch.id, ch);
  ch.timer = setTimeout(() => onOpenTimeout(ch), OPEN_TIMEOUT_MS);
  if (connectHost()) sendOpen(ch);
  else if (retryAt - Date.now() >= OPEN_TIMEOUT_MS) finish(ch, lastFailure); // would only time out
  else scheduleRetry();
  return ch;
}

function sendOpen(ch) {
  ch.state = "opening";
  toHost({ channel: ch.id, open: { origin: ch.origin } });
}

function onOpened(ch, opened) {
  if (ch.state !== "opening") return;
  clearTimeout(ch.timer);
  ch.state = "open";
  toPort(ch, { kind: "opened", version: opened?.version ?? null });
  for (const data of ch.queue.splice(0)) toHost({ channel: ch.id, send: data });
  if (ch.probe) closeChannel(ch); // the popup only wanted to know whether the hello passes
}

function onOpenTimeout(ch) {
  if (!channels.has(ch.id)) return;
  if (ch.state === "waiting") return finish(ch, lastFailure); // the host never came up
  if (ch.state === "opening") toHost({ channel: ch.id, close: true });
  finish(ch, { reason: "TIMEOUT", message: `no answer from cardbridge-host within ${OPEN_TIMEOUT_MS / 1000} s` });
}

function sendOnChannel(ch, data) {
  if (data === undefined || !channels.has(ch.id)) return;
  if (ch.state === "open") return toHost({ channel: ch.id, send: data });
  if (ch.state === "closing") return;
  if (ch.queue.length >= MAX_QUEUED_SENDS) {
    if (ch.state === "opening") toHost({ channel: ch.id, close: true });
    return finish(ch, { reason: "BUSY", message: "too many messages before the channel opened" });
  }
  ch.queue.push(data);
}

/** Closes on request: the host confirms with "closed" ({}), which finish() passes on. */
function closeChannel(ch) {
  if (!channels.has(ch.id)) return;
  if (ch.state === "waiting") return finish(ch, {});
  if (ch.state === "closing") return;
  ch.state = "closing";
  clearTimeout(ch.timer);
  toHost({ channel: ch.id, close: true });
  // A host that never confirms must not pin the channel (and the page's port) forever.
  ch.timer = setTimeout(() => finish(ch, {}), CLOSE_TIMEOUT_MS);
}

/** The channel is over: tell its port (once, last) and forget it. */
function finish(ch, closed) {
  if (!channels.delete(ch.id)) return;
  clearTimeout(ch.timer);
  const port = ch.port;
  ch.port = null;
  if (port) {
    const msg = { kind: "closed" };
    if (typeof closed?.reason === "string") msg.reason = closed.reason;
    if (typeof closed?.message === "string") msg.message = closed.message;
    try {
      port.postMessage(msg);
      port.disconnect();
    } catch {
      // The runtime port is already gone; nobody is left to tell.
    }
  }
  if (channels.size === 0) startIdle();
}

function toPort(ch, msg) {
  try {
    ch.port?.postMessage(msg);
  } catch {
    // Disconnected: its onDisconnect handler closes the channel.
  }
}

function startIdle() {
  cancelIdle();
  if (!native) return;
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    if (channels.size > 0 || !native) return;
    const port = native;
    native = null;
    retryDelay = RETRY_FIRST_MS; // letting it go is not a failure
    port.disconnect(); // the host sees stdin end and exits with status 0
  }, IDLE_DISCONNECT_MS);
}

function cancelIdle() {
  clearTimeout(idleTimer);
  idleTimer = undefined;
}

// ---- runtime ports (content scripts and popup) ------------------------------------------

const EXTENSION_BASE_URL = chrome.runtime.getURL("");

/**
 * The page origin of a content script's port, as the browser reports it: sender.origin, or,
 * in a browser that does not set it, the origin of the frame URL the browser gives. Never
 * anything the page sent. Only http(s) origins: an opaque origin ("null", a sandboxed frame)
 * names nobody, and must not fall back to its URL, which names the origin it was denied.
 */
function pageOrigin(sender) {
  let origin = sender.origin;
  if (origin === undefined) {
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return undefined;
    }
  }
  return typeof origin === "string" && /^https?:\/\/[^/]+$/.test(origin) ? origin : undefined;
}

function isExtensionPage(sender) {
  return typeof sender.url === "string" && sender.url.startsWith(EXTENSION_BASE_URL);
}

/** The origin the popup asks about: a plain http(s) origin, exactly as URL serializes it. */
function probeOrigin(value) {
  try {
    const origin = new URL(value).origin;
    return origin === value && /^https?:/.test(origin) ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** Which channel origin a port's "open" gets; undefined = refuse. */
function originFor(port, msg) {
  const sender = port.sender ?? {};
  switch (port.name) {
    case PORT_PAGE:
      return sender.tab && !isExtensionPage(sender) ? pageOrigin(sender) : undefined;
    case PORT_UI:
      return isExtensionPage(sender) ? null : undefined;
    case PORT_PROBE:
      return isExtensionPage(sender) ? probeOrigin(msg.origin) : undefined;
    default:
      return undefined;
  }
}

chrome.runtime.onConnect.addListener((port) => {
  /** @type {Channel|null} */
  let ch = null;
  port.onMessage.addListener((msg) => {
    if (msg === null || typeof msg !== "object") return;
    if (msg.kind === "open") {
      if (ch) return; // one channel per runtime port
      const origin = originFor(port, msg);
      if (origin === undefined) {
        port.postMessage({ kind: "closed", reason: "ORIGIN_NOT_ALLOWED", message: "this page cannot open a cardbridge channel" });
        port.disconnect();
        return;
      }
      ch = openChannel(port, origin, port.name === PORT_PROBE);
    } else if (msg.kind === "send") {
      if (ch && !ch.probe) sendOnChannel(ch, msg.data);
    } else if (msg.kind === "close") {
      if (ch) closeChannel(ch);
    }
  });
  port.onDisconnect.addListener(() => {
    // Page navigated away, frame removed, popup closed: the channel has no one left.
    if (!ch) return;
    ch.port = null;
    closeChannel(ch);
  });
});
