// The toolbar popup. It talks to the daemon through the background like a page does, on two
// channels: its own ("cardbridge-ui", origin null: the extension itself, which the daemon lets
// read status like a local tool) and a probe that opens a channel for the current tab's origin
// and closes it again, so "allowed" is exactly what the daemon answers that origin.
"use strict";

const t = (key, ...substitutions) => chrome.i18n.getMessage(key, substitutions) || key;

function localize() {
  document.documentElement.lang = chrome.i18n.getUILanguage();
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}

function setStatus(el, text, ok) {
  el.textContent = text;
  el.classList.toggle("ok", ok === true);
  el.classList.toggle("bad", ok === false);
}

/** "reason (message)", the reason in the user's language where we have words for it. */
function describe(closed) {
  const reason = closed?.reason ?? "DAEMON_UNAVAILABLE";
  const words = chrome.i18n.getMessage(`reason_${reason}`) || reason;
  return closed?.message ? `${words} (${closed.message})` : words;
}

/**
 * One channel through the background. `opened` resolves with the daemon version or rejects
 * with the {reason, message} the channel closed with; call() makes JSON-RPC requests.
 */
function openChannel(portName, openMessage) {
  const port = chrome.runtime.connect({ name: portName });
  const pending = new Map();
  let nextId = 1;
  let settle;
  const channel = {
    opened: new Promise((resolve, reject) => (settle = { resolve, reject })),
    onNotification: null,
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ kind: "send", data: { jsonrpc: "2.0", id, method, ...(params ? { params } : {}) } });
      });
    },
  };
  const fail = (closed) => {
    settle.reject(closed);
    for (const { reject } of pending.values()) reject(closed);
    pending.clear();
  };
  port.onMessage.addListener((msg) => {
    if (msg.kind === "opened") settle.resolve(msg.version);
    else if (msg.kind === "closed") fail(msg);
    else if (msg.kind === "message") {
      const m = msg.data;
      const p = pending.get(m?.id);
      if (p) {
        pending.delete(m.id);
        if (m.error) p.reject({ reason: m.error.data?.reason, message: m.error.message });
        else p.resolve(m.result);
      } else if (m?.method && m.id === undefined) {
        channel.onNotification?.(m.method, m.params);
      }
    }
  });
  port.onDisconnect.addListener(() => fail({ reason: "DAEMON_UNAVAILABLE" }));
  port.postMessage({ kind: "open", ...openMessage });
  return channel;
}

function readerItem(entry) {
  const li = document.createElement("li");
  const name = document.createElement("div");
  name.className = "reader";
  name.textContent = entry.reader;
  const detail = document.createElement("div");
  detail.className = "detail";
  const state = t(`state_${entry.state}`);
  detail.textContent = entry.token
    ? `${state}: ${entry.token.label || t("popupNoLabel")} · ${entry.token.id}`
    : state;
  li.append(name, detail);
  return li;
}

async function showTokens(channel) {
  const list = document.getElementById("readers");
  try {
    const { readers } = await channel.call("tokens.list");
    list.replaceChildren(...readers.map(readerItem));
    if (readers.length === 0) list.textContent = t("popupNoReaders");
  } catch (closed) {
    list.textContent = describe(closed);
  }
}

async function showDaemon() {
  const daemon = document.getElementById("daemon");
  const channel = openChannel("cardbridge-ui", {});
  try {
    await channel.opened;
    const info = await channel.call("system.info");
    setStatus(daemon, t("popupDaemonRunning", info.version), true);
  } catch (closed) {
    setStatus(daemon, t("popupDaemonUnreachable", describe(closed)), false);
    document.getElementById("readers").textContent = "";
    return;
  }
  await showTokens(channel);
  // Cards come and go while the popup is open: keep the list current.
  channel.onNotification = () => showTokens(channel);
  channel.call("events.subscribe").catch(() => {});
}

/** Whether the content scripts run on `origin` (the manifest's match patterns, any path). */
function servedByExtension(origin) {
  const url = new URL(origin);
  const patterns = chrome.runtime.getManifest().content_scripts.flatMap((cs) => cs.matches);
  return patterns.some((pattern) => {
    const m = /^(\w+):\/\/(\*\.)?([^/:]+)/.exec(pattern);
    if (!m || `${m[1]}:` !== url.protocol) return false;
    return url.hostname === m[3] || (m[2] !== undefined && url.hostname.endsWith(`.${m[3]}`));
  });
}

async function showSite() {
  const originEl = document.getElementById("origin");
  const allowed = document.getElementById("allowed");
  // tab.url is there thanks to activeTab: opening the popup grants it for this tab only.
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  let origin = null;
  try {
    origin = new URL(tab?.url).origin;
  } catch {
    // no URL we may see
  }
  if (!origin || !/^https?:/.test(origin)) {
    originEl.textContent = "";
    setStatus(allowed, t("popupNoSite"));
    return;
  }
  originEl.textContent = origin;
  if (!servedByExtension(origin)) {
    // The daemon might allow it, but no page script there can reach the extension.
    setStatus(allowed, t("popupSiteNotServed"), false);
    return;
  }
  try {
    await openChannel("cardbridge-probe", { origin }).opened;
    setStatus(allowed, t("popupSiteAllowed"), true);
  } catch (closed) {
    if (closed?.reason === "ORIGIN_NOT_ALLOWED") setStatus(allowed, t("popupSiteNotAllowed"), false);
    else setStatus(allowed, t("popupSiteUnknown", describe(closed)));
  }
}

localize();
showDaemon();
showSite();
