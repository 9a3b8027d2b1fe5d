// Small DOM helpers shared by the portal's pages. Text always goes in as text (textContent),
// never as HTML: everything shown may come from a card or from another user.

/** document.querySelector, or within `root`. */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** All matches as an array. */
export function $$(selector, root = document) {
  return [...root.querySelectorAll(selector)];
}

/**
 * Creates an element: h("a", {href: "/x", class: "button"}, "text", child…). Attributes with
 * the value false, null or undefined are left out; true gives an empty attribute; `dataset`
 * takes an object.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, v] of Object.entries(attrs ?? {})) {
    if (v === false || v === null || v === undefined) continue;
    if (name === "dataset") Object.assign(el.dataset, v);
    else if (name === "class") el.className = v;
    else el.setAttribute(name, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content with text and nodes. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A text input's value, trimmed; a password's as typed; a checkbox's checked state. */
export function value(form, name) {
  const el = form.elements.namedItem(name);
  if (!el) return undefined;
  if (el.type === "checkbox") return el.checked;
  if (el.type === "password") return el.value;
  return el.value.trim();
}

/** Copies the members of `names` with a non-empty value into `target` (optional fields). */
export function optional(target, form, ...names) {
  for (const name of names) {
    const v = value(form, name);
    if (v !== undefined && v !== "") target[name] = v;
  }
  return target;
}

/** Sets the value of the input `name` in `form` (read-only card data, edit forms). */
export function setValue(form, name, v) {
  const el = form.elements.namedItem(name);
  if (el) el.value = v ?? "";
}

/** "法人卡" / "操作员卡" / "" for a certificate role. */
export function roleName(role) {
  if (role === "legal-person") return "法人卡";
  if (role === "operator") return "操作员卡";
  return role ? String(role) : "未标明";
}

/** "管理员" / "操作员" for an account role. */
export function accountRoleName(role) {
  return role === "admin" ? "管理员" : role === "operator" ? "操作员" : String(role ?? "");
}
