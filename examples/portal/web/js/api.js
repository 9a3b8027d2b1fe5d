// The portal's HTTP API (examples/portal/README.md) and the two ways pages report outcomes:
// the page's `#message` (text, and `data-code` = the stable code or OK) and a form field's
// `span.field-error[data-for=NAME]`.
//
// Every POST carries the session's CSRF token (from GET /api/session) in X-CSRF-Token; the
// browser adds the Origin header and the session cookie itself.
import { $, $$, fill } from "./dom.js";
import { serverErrorText, withHint } from "./texts.js";

/** A failure the server reported ({error: {code, message, field}}), or NETWORK. */
export class ApiError extends Error {
  constructor(code, message, { field = null, status = 0 } = {}) {
    super(message || code);
    this.name = "ApiError";
    this.code = code;
    this.field = field;
    this.status = status;
  }
}

let sessionPromise = null;
let csrf = "";
const authHandlers = { NOT_LOGGED_IN: null, PASSWORD_CHANGE_REQUIRED: null };

/** What to do when a call answers NOT_LOGGED_IN or PASSWORD_CHANGE_REQUIRED (layout.js). */
export function onAuthError(code, handler) {
  authHandlers[code] = handler;
}

async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRF-Token"] = csrf;
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError("NETWORK", "无法连接门户服务器，请检查网络后重试");
  }
  let data = null;
  try {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok && data !== null && typeof data === "object") return data;
  const error = data?.error;
  if (error && typeof error.code === "string") {
    const e = new ApiError(error.code, error.message ?? "", { field: error.field ?? null, status: response.status });
    authHandlers[e.code]?.(e);
    throw e;
  }
  throw new ApiError(response.ok ? "BAD_RESPONSE" : `HTTP_${response.status}`,
    `门户服务器的应答无法识别（HTTP ${response.status}）`, { status: response.status });
}

/** GET /api/session once per page (again with refresh): {csrf, user}. */
export function session({ refresh = false } = {}) {
  if (refresh || !sessionPromise) {
    const p = request("GET", "/api/session").then((s) => {
      csrf = typeof s.csrf === "string" ? s.csrf : "";
      return s;
    });
    sessionPromise = p;
    p.catch(() => {
      if (sessionPromise === p) sessionPromise = null;
    });
  }
  return sessionPromise;
}

/** GET a JSON resource. */
export function get(path) {
  return request("GET", path);
}

/**
 * POST JSON. A CSRF refusal means the session was replaced (it ended after 30 minutes, or
 * another tab logged in or out): the call is made once more with the new session's token.
 */
export async function post(path, body = {}) {
  await session();
  try {
    return await request("POST", path, body);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== "CSRF") throw e;
    await session({ refresh: true });
    return request("POST", path, body);
  }
}

// ---- outcomes --------------------------------------------------------------------------------

/**
 * Shows the outcome in #message: `content` is text or nodes, `code` the stable code ("OK" on
 * success). `kind` picks the look: ok, error or info (default: ok for OK, else error).
 */
export function showMessage(content, code = "OK", kind = null) {
  const el = document.getElementById("message");
  if (!el) return;
  fill(el, content);
  el.dataset.code = code;
  el.classList.remove("is-ok", "is-error", "is-info");
  el.classList.add(`is-${kind ?? (code === "OK" ? "ok" : "error")}`);
}

/** Empties #message (at the start of an action, so a stale outcome is never read as new). */
export function clearMessage() {
  const el = document.getElementById("message");
  if (!el) return;
  el.replaceChildren();
  delete el.dataset.code;
  el.classList.remove("is-ok", "is-error", "is-info");
}

/** Clears every field error (and aria-invalid) inside `scope`. */
export function clearFieldErrors(scope = document) {
  for (const span of $$("span.field-error", scope)) span.textContent = "";
  for (const input of $$("[aria-invalid]", scope)) input.removeAttribute("aria-invalid");
}

/**
 * The error span for a server field name: `field` itself, else its last part ("enterprise.uscc"
 * → "uscc"). Looked for in `scope` first, then in the whole page.
 */
export function fieldErrorSpan(field, scope = document) {
  const names = [field];
  if (field.includes(".")) names.push(field.slice(field.lastIndexOf(".") + 1));
  for (const root of scope === document ? [document] : [scope, document]) {
    for (const name of names) {
      const span = root.querySelector(`span.field-error[data-for="${CSS.escape(name)}"]`);
      if (span) return span;
    }
  }
  return null;
}

/** Shows `text` as the error of field `field`; returns the span, or null when the page has none. */
export function showFieldError(field, text, scope = document) {
  const span = fieldErrorSpan(field, scope);
  if (!span) return null;
  span.textContent = text;
  const form = span.closest("form");
  const input = form?.elements.namedItem(span.dataset.for);
  if (input && typeof input.setAttribute === "function") input.setAttribute("aria-invalid", "true");
  return span;
}

/** The text shown for any error (ApiError, or anything else thrown). */
export function errorText(error) {
  if (error instanceof ApiError) return serverErrorText(error.code, error.message);
  return String(error?.message ?? error);
}

/**
 * Shows an error: the text in #message with its code, and next to its field when the server
 * named one. `extra` (nodes) is appended to the message: a hint, a link. Returns the code.
 */
export function showError(error, { scope = document, extra = null } = {}) {
  const code = error instanceof ApiError ? error.code : (error?.reason ?? "INTERNAL");
  const text = errorText(error);
  if (error instanceof ApiError && error.field) showFieldError(error.field, text, scope);
  showMessage(withHint(text, extra), code);
  if (!(error instanceof ApiError) && !error?.reason) console.warn("portal:", error);
  return code;
}

/**
 * Wires a form: on submit, clears old errors, calls `submit(form)` (which returns the API
 * answer) and `success(answer)`; failures go to #message and the field named. The submit
 * button is disabled meanwhile.
 */
export function handleForm(form, { submit, success, failure = null }) {
  form.noValidate = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("button[type=submit]", form);
    if (button?.disabled) return;
    clearFieldErrors(form);
    clearMessage();
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const answer = await submit(form);
      await success(answer);
    } catch (e) {
      if (failure) failure(e);
      else showError(e, { scope: form });
    } finally {
      if (button) button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}
