// Driving the reference portal's pages the way a user does, with only the selectors of
// examples/portal/README.md "What tests rely on (the DOM contract)", and its API from the page
// (fetch with the session's CSRF token, as the pages themselves do).
import { check } from "./support.mjs";

export const STEP_MS = 15000; // one user action: a card proof, a server round trip, a redirect

// CARDBRIDGE_E2E_TRACE=1 prints each step with the time since the previous one.
let last = performance.now();
export function trace(what) {
  if (!process.env.CARDBRIDGE_E2E_TRACE) return;
  const now = performance.now();
  console.log(`  · +${Math.round(now - last)} ms ${what}`);
  last = now;
}

export class Site {
  constructor(context, origin) {
    this.context = context;
    this.origin = origin;
  }

  /** A new visitor: no session cookie, one blank tab. */
  async fresh() {
    const [keep, ...rest] = this.context.pages();
    for (const page of rest) await page.close();
    // Off the portal first, so that no script of its page sees the session go and navigates.
    if (keep) await keep.goto("about:blank").catch(() => keep.goto("about:blank"));
    await this.context.clearCookies();
  }

  /**
   * `pathname` in the one tab (navigating it, as a user follows a link: cheaper than a tab of
   * its own, which is a renderer process to start).
   */
  async open(pathname) {
    trace(`open ${pathname}`);
    const page = this.context.pages()[0] ?? await this.context.newPage();
    const go = () => page.goto(`${this.origin}${pathname}`, { waitUntil: "domcontentloaded" });
    // The page there before may still be navigating on its own (a redirect after login): again.
    const response = await go().catch((e) => (/interrupted by another navigation/.test(e.message) ? go() : Promise.reject(e)));
    if (!response?.ok()) throw new Error(`GET ${pathname}: HTTP ${response?.status()}`);
    trace(`loaded ${pathname}`);
    return page;
  }
}

/** {status, body} of an API call made by the page (its cookie, its CSRF token, its Origin). */
export async function api(page, method, pathname, body) {
  return page.evaluate(async ({ method, pathname, body }) => {
    const session = await (await fetch("/api/session")).json();
    const r = await fetch(pathname, method === "GET" ? {} : {
      method, body: JSON.stringify(body ?? {}),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf },
    });
    let json = null;
    try {
      json = await r.json();
    } catch {}
    return { status: r.status, body: json };
  }, { method, pathname, body });
}

/** The session's user (null when logged out). */
export async function sessionUser(page) {
  return page.evaluate(async () => (await (await fetch("/api/session")).json()).user);
}

/** What the user sees of the last action: #message and #card-status, and where the page is. */
export async function seen(page) {
  try {
    return await page.evaluate(() => {
      const look = (selector) => {
        const e = document.querySelector(selector);
        if (!e) return null;
        const { code, state, retries } = e.dataset;
        return { code, state, retries, text: e.textContent.trim().replace(/\s+/g, " "), hidden: e.offsetParent === null };
      };
      const fieldErrors = [...document.querySelectorAll(".field-error")].filter((e) => e.textContent.trim())
        .map((e) => `${e.dataset.for}: ${e.textContent.trim()}`);
      return { url: location.pathname, message: look("#message"), card: look("#card-status"), fieldErrors };
    });
  } catch (e) {
    return { url: page.url(), error: e.message };
  }
}

/** Forgets the outcome of the previous action, so that the next wait sees only the new one. */
export async function clearOutcome(page) {
  await page.evaluate(() => {
    for (const e of document.querySelectorAll("#message, #card-status")) {
      delete e.dataset.code;
      delete e.dataset.retries;
    }
  });
}

/**
 * Waits until #message or #card-status carries data-code `code`; checks it, with what the user
 * sees as the detail. Returns that view.
 */
export async function expectCode(page, name, code, { ms = STEP_MS, where = ["#message", "#card-status"] } = {}) {
  trace(`wait for ${code}`);
  const ok = await page.waitForFunction(({ code, where }) => where.some((s) => document.querySelector(s)?.dataset.code === code),
    { code, where }, { timeout: ms, polling: 50 }).then(() => true, () => false);
  trace(`got ${ok ? code : "timeout"}`);
  const view = await seen(page);
  const holder = [view.message, view.card].find((v) => v?.code === code);
  const told = Boolean(holder?.text) && holder.text !== code; // a sentence for the user, not just the code
  check(name, ok && told, ok && !told ? { ...view, problem: `data-code ${code} without a text for the user` } : view);
  return view;
}

/** Waits until the page is at `pathname` (a redirect after login or registration); checks it. */
export async function expectPath(page, name, pathname, ms = STEP_MS) {
  trace(`wait for ${pathname}`);
  // Reached is enough: what follows waits for what it needs of the new page.
  const ok = await page.waitForURL((u) => u.pathname === pathname, { timeout: ms, waitUntil: "commit" }).then(() => true, () => false);
  trace(`at ${ok ? pathname : "timeout"}`);
  check(name, ok, ok ? page.url() : { expected: pathname, ...(await seen(page)) });
  return ok;
}

/** Waits for `selector` to be visible; checks it when `name` is given. */
export async function expectVisible(page, name, selector, ms = STEP_MS) {
  const ok = await page.waitForSelector(selector, { state: "visible", timeout: ms }).then(() => true, () => false);
  if (name) check(name, ok, ok ? selector : { expected: `${selector} visible`, ...(await seen(page)) });
  return ok;
}

/**
 * Fills a form by input names. `values` maps a name (or "a|b" for either name; a leading "?"
 * for a field the page may not have) to a string, or to true/false for checkboxes.
 */
export async function fillForm(page, form, values) {
  trace(`fill ${form}`);
  if (!await expectVisible(page, null, form)) throw new Error(`${form} is not shown: ${JSON.stringify(await seen(page))}`);
  // Which input each key names, and what kind it is: one look at the form.
  const fields = await page.evaluate(({ form, keys }) => keys.map((key) => {
    for (const name of key.replace(/^\?/, "").split("|")) {
      const e = document.querySelector(`${form} [name="${name}"]`);
      if (e) return { name, kind: e.tagName === "SELECT" ? "select" : e.type, locked: e.readOnly || e.disabled };
    }
    return null;
  }), { form, keys: Object.keys(values) });
  for (const [i, [key, value]] of Object.entries(values).entries()) {
    const optional = key.startsWith("?");
    const field = fields[i];
    if (!field || field.locked) {
      if (optional) continue;
      throw new Error(`${page.url()}: ${form} has no ${field ? "editable " : ""}field name="${key.split("|").join('" or "')}" (DOM contract: inputs named as the API's fields)`);
    }
    const locator = page.locator(`${form} [name="${field.name}"]`).first();
    if (field.kind === "checkbox") await locator.setChecked(Boolean(value));
    else if (field.kind === "select") await locator.selectOption(String(value));
    else await locator.fill(String(value));
  }
}

export async function submit(page, form) {
  trace(`submit ${form}`);
  await clearOutcome(page);
  await page.click(`${form} button[type=submit]`);
}

/** The values of a form's read-only inputs, by name. */
export async function readonlyValues(page, form) {
  return page.evaluate((form) => Object.fromEntries([...document.querySelectorAll(`${form} input[readonly]`)]
    .map((e) => [e.name, e.value])), form);
}

/**
 * Uses the card widget: picks `reader` in #card-reader when given, types the PIN into #card-pin
 * and presses `go` (#card-go, or the page's own button of the widget: #bind-go, #sync-go).
 */
export async function useCard(page, { pin, go = "#card-go", reader } = {}) {
  if (!await expectVisible(page, null, go, 5000)) throw new Error(`${go} is not shown: ${JSON.stringify(await seen(page))}`);
  if (reader) await page.selectOption("#card-reader", reader);
  trace(`${go} shown`);
  await page.fill("#card-pin", pin);
  await clearOutcome(page);
  await page.click(go);
  trace(`clicked ${go}`);
}

/**
 * Makes a part of a page visible that sits behind a tab or a button (login.html's 卡介质 tab,
 * operators.html's 新增有卡操作员): the contract names neither, so it is found by its label.
 */
export async function reveal(page, target, label) {
  if (await page.locator(target).first().isVisible()) return;
  const candidates = [`[role=tab]:has-text("${label}")`, `button:has-text("${label}")`,
    `a:has-text("${label}"):not([href$=".html"])`, `text=${label}`];
  for (const selector of candidates) {
    const loc = page.locator(selector).filter({ visible: true }).first();
    if (await loc.count().catch(() => 0)) {
      await loc.click();
      if (await expectVisible(page, null, target, 2000)) return;
    }
  }
  throw new Error(`${page.url()}: ${target} is not visible, and no visible tab or button "${label}" shows it`);
}

/**
 * Logs in through the API (POST /api/login/password from the home page), for a case whose
 * subject is not the login, and opens `pathname`.
 */
export async function loginAs(site, username, password, pathname) {
  await site.fresh();
  const page = await site.open("/");
  const r = await api(page, "POST", "/api/login/password", { username, password });
  if (r.status !== 200) throw new Error(`POST /api/login/password as ${username}: ${JSON.stringify(r)}`);
  trace(`logged in as ${username}`);
  const response = await page.goto(`${site.origin}${pathname}`);
  if (!response?.ok()) throw new Error(`GET ${pathname}: HTTP ${response?.status()}`);
  trace(`loaded ${pathname}`);
  return page;
}

/** Waits until `selector` has `attribute` = `value` (the page fills it in after its API calls); checks it. */
export async function expectAttribute(page, name, selector, attribute, value, ms = 5000) {
  const ok = await page.waitForFunction(({ selector, attribute, value }) => document.querySelector(selector)?.getAttribute(attribute) === value,
    { selector, attribute, value }, { timeout: ms, polling: 50 }).then(() => true, () => false);
  const got = await page.getAttribute(selector, attribute, { timeout: 1000 }).catch((e) => `(${e.message.split("\n")[0]})`);
  check(name, ok, ok ? `${selector} ${attribute}="${value}"` : { expected: value, got, ...(await seen(page)) });
  return ok;
}

/** login.html, 用户名密码 tab: logs in and lands on /account.html (or `expect`). */
export async function passwordLogin(site, username, password, { expect = "/account.html", name } = {}) {
  const page = await site.open("/login.html");
  await reveal(page, "#password-login", "用户名密码");
  await fillForm(page, "#password-login", { username, password });
  await submit(page, "#password-login");
  if (expect) await expectPath(page, name ?? `password login as ${username} lands on ${expect}`, expect);
  return page;
}
