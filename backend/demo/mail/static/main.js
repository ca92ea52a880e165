// Demo Mail's client: wires the panes together and follows the address bar (#inbox/p2/ID).
import { openCompose, setupCompose } from "./compose.js";
import { drawIcons } from "./icons.js";
import { loadList, moveFocus, renderList, setupList } from "./list.js";
import { setupMenus } from "./menus.js";
import { loadNav, renderNav } from "./nav.js";
import { closeReader, openMessage, setupReader } from "./reader.js";
import { go, parseHash, sameList, state } from "./state.js";
import { setupToast, showToast } from "./toast.js";

const $ = (id) => document.getElementById(id);

async function followRoute() {
  const previous = state.route;
  const route = parseHash(location.hash);
  state.route = route;
  $("search-input").value = route.q || "";
  $("search-clear").hidden = !route.q;
  if (!state.list || !sameList(previous, route)) {
    state.selected.clear();
    await loadList();
  } else {
    renderList();
  }
  renderNav();
  if (!route.msgId) closeReader();
  else if (!state.open || state.open.id !== route.msgId) await openMessage(route.msgId);
}

async function afterChange(event) {
  const { ids = [], quiet = false } = event.detail || {};
  await Promise.all([loadList(), loadNav()]);
  const open = state.open;
  if (!open || quiet) return;
  if (state.list && !state.list.ids.includes(open.id)) go({ msgId: null });
  else if (ids.includes(open.id)) await openMessage(open.id, { firstOpen: false });
}

function toggleAccountMenu() {
  const menu = $("account-menu");
  menu.style.display = menu.style.display === "none" ? "block" : "none";
}

function setupTopbar() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = $("search-input").value.trim();
    if (q) go({ view: "search", q, label: null, page: 1, msgId: null });
    else go({ view: "inbox", q: null, label: null, page: 1, msgId: null });
  });
  $("search-clear").addEventListener("click", () => go({ view: "inbox", q: null, page: 1, msgId: null }));
  $("menu-toggle").addEventListener("click", () => {
    const collapsed = $("app").classList.toggle("nav-collapsed");
    $("menu-toggle").setAttribute("aria-expanded", String(!collapsed));
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#account-avatar, #account-menu")) $("account-menu").style.display = "none";
    if (event.target.closest("[data-unavailable]")) showToast("This isn't available in Demo Mail.");
  });
}

// Gmail-style shortcuts: j/k move between rows, Enter opens, / searches, c composes, Escape closes.
function setupKeyboard() {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable='true']")) return;
    if (event.key === "j") moveFocus(1);
    else if (event.key === "k") moveFocus(-1);
    else if (event.key === "/") {
      event.preventDefault();
      $("search-input").focus();
    } else if (event.key === "c" && $("compose").hidden) {
      event.preventDefault();
      openCompose();
    } else if (event.key === "Escape" && state.route.msgId) go({ msgId: null });
  });
}

window.demoMail = { toggleAccountMenu };

function start() {
  drawIcons();
  setupMenus();
  setupToast();
  setupTopbar();
  setupList();
  setupReader();
  setupCompose();
  setupKeyboard();
  document.addEventListener("mail:changed", afterChange);
  window.addEventListener("hashchange", followRoute);
  loadNav();
  followRoute();
}

start();
