// What every page shares: the header's user box, the left menu after login, the session
// (redirects to /login.html without one, to /password.html while the password must change),
// logging out, and the outcome carried over to the next page after a navigation.
import { fill, h, accountRoleName } from "./dom.js";
import { onAuthError, post, session, showError, showMessage } from "./api.js";

const FLASH_KEY = "cardbridge-portal.flash";
/** How long a page shows its outcome before it moves on. */
export const NAV_DELAY_MS = 700;

const MENU = [
  { page: "account", href: "/account.html", text: "账号信息" },
  { page: "ic-card", href: "/ic-card.html", text: "我的IC卡" },
  { page: "operators", href: "/operators.html", text: "我的操作员", role: "admin" },
  { page: "business", href: "/business.html", text: "业务办理", role: "operator" },
];

/**
 * Sets the page up. `page` names it (for the menu); `requireLogin` sends visitors without a
 * session to the login page. Returns {user} (user null on public pages without a session), or
 * null when the page is being left (redirect) or the server cannot be reached.
 */
export async function initLayout({ page, requireLogin = true }) {
  let current;
  try {
    current = await session();
  } catch (e) {
    showError(e);
    return null;
  }
  const user = current.user ?? null;
  if (requireLogin) {
    if (!user) {
      location.replace("/login.html");
      return null;
    }
    if (user.mustChangePassword && page !== "password") {
      location.replace("/password.html");
      return null;
    }
    // A session that ends while the page is open: back to the login page.
    onAuthError("NOT_LOGGED_IN", () => setTimeout(() => location.assign("/login.html"), NAV_DELAY_MS * 2));
    onAuthError("PASSWORD_CHANGE_REQUIRED", () => {
      if (page !== "password") setTimeout(() => location.assign("/password.html"), NAV_DELAY_MS * 2);
    });
  }
  renderUserBox(user, requireLogin);
  if (requireLogin) renderMenu(user, page);
  showFlash();
  return { user };
}

function renderUserBox(user, hasMenu) {
  const box = document.getElementById("user-box");
  if (!box) return;
  if (!user) {
    fill(box, h("a", { href: "/login.html" }, "登录"), h("a", { href: "/register.html" }, "立即注册"));
    return;
  }
  const who = `${user.realName || user.username}（${accountRoleName(user.role)}）`;
  const items = [
    h("span", { class: "enterprise-name" }, user.enterprise?.name ?? ""),
    h("a", { class: "user-name", href: "/account.html", title: user.username }, who),
  ];
  // One 退出 per page: in the menu on the pages that have one, else here.
  if (!hasMenu) items.push(logoutButton("link"));
  fill(box, items);
}

function renderMenu(user, page) {
  const nav = document.getElementById("side-menu");
  if (!nav) return;
  const items = user.mustChangePassword
    ? [h("li", {}, h("a", { href: "/password.html", "aria-current": page === "password" ? "page" : null }, "修改密码"))]
    : MENU.filter((m) => !m.role || m.role === user.role).map((m) =>
      h("li", {}, h("a", { href: m.href, dataset: { page: m.page }, "aria-current": m.page === page ? "page" : null }, m.text)));
  items.push(h("li", {}, logoutButton("")));
  fill(nav, h("div", { class: "menu-title" }, "用户管理"), h("ul", {}, items));
  nav.hidden = false;
}

function logoutButton(cls) {
  const button = h("button", { type: "button", id: "logout", class: cls || null }, "退出");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await post("/api/logout", {});
      sessionStorage.removeItem(FLASH_KEY);
      location.assign("/login.html");
    } catch (e) {
      button.disabled = false;
      showError(e);
    }
  });
  return button;
}

/** Shows the outcome a previous page left (navigate()), once. */
function showFlash() {
  const raw = sessionStorage.getItem(FLASH_KEY);
  if (!raw) return;
  sessionStorage.removeItem(FLASH_KEY);
  try {
    const { text, code } = JSON.parse(raw);
    if (typeof text === "string") showMessage(text, typeof code === "string" ? code : "OK");
  } catch {
    /* a stale or foreign value: nothing to show */
  }
}

/**
 * Shows `text` as the outcome here, then goes to `url` after a moment, where the same text is
 * shown again.
 */
export function navigate(url, text = null, code = "OK") {
  if (text) {
    showMessage(text, code);
    sessionStorage.setItem(FLASH_KEY, JSON.stringify({ text, code }));
  }
  setTimeout(() => location.assign(url), NAV_DELAY_MS);
}

/** After any login or registration: the account page, or the password page when it must change. */
export function afterLogin(user, text) {
  if (user?.mustChangePassword) navigate("/password.html", `${text}。首次登录须修改初始密码`);
  else navigate("/account.html", text);
}
