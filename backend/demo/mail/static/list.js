// The message list: rows, selection, the list toolbar and paging. Rows re-render in place after every
// change; the page never reloads.
import { fillLabelMenu, fillMoveMenu, runAction, setStar } from "./actions.js";
import { getJSON } from "./api.js";
import { icon } from "./icons.js";
import { go, listKind, state } from "./state.js";
import { showToast } from "./toast.js";

const $ = (id) => document.getElementById(id);
let loadSeq = 0;

const EMPTY_TEXT = {
  inbox: "Your Inbox is empty. Nice work.",
  starred: "No starred messages. Stars let you give messages a special status to make them easier to find.",
  sent: "No sent messages. Send one now.",
  drafts: "You don't have any saved drafts.",
  all: "No conversations.",
  spam: "Hooray, no spam here!",
  trash: "No conversations in Trash.",
  label: "There are no conversations with this label.",
  search: "No messages matched your search.",
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function peopleShown(message) {
  const view = state.route.view;
  if (view === "sent" || view === "drafts") {
    const names = message.to.map((a) => a.name.split(" ")[0]).join(", ");
    return names ? `To: ${names}` : "(no recipients)";
  }
  return message.from.name;
}

function starButton(message) {
  const star = el("button", `star${message.starred ? " on" : ""}`);
  star.type = "button";
  star.setAttribute("aria-pressed", String(message.starred));
  star.setAttribute("aria-label", message.starred ? "Starred" : "Not starred");
  star.innerHTML = icon("star");
  star.addEventListener("click", (event) => {
    event.stopPropagation();
    setStar(message.id, !message.starred);
  });
  return star;
}

function row(message) {
  const tr = el("tr", "row");
  tr.dataset.id = message.id;
  tr.tabIndex = 0;
  tr.classList.toggle("unread", message.unread);
  tr.classList.toggle("selected", state.selected.has(message.id));
  tr.classList.toggle("open", state.route.msgId === message.id);

  const check = el("input");
  check.type = "checkbox";
  check.checked = state.selected.has(message.id);
  check.setAttribute("aria-label", "Select");
  check.addEventListener("click", (event) => event.stopPropagation());
  check.addEventListener("change", () => {
    if (check.checked) state.selected.add(message.id);
    else state.selected.delete(message.id);
    tr.classList.toggle("selected", check.checked);
    updateToolbar();
  });
  const checkCell = el("td", "c-check");
  checkCell.append(check);
  const starCell = el("td", "c-star");
  starCell.append(starButton(message));
  // A near miss on the checkbox or star should not open the message.
  for (const cell of [checkCell, starCell]) cell.addEventListener("click", (event) => event.stopPropagation());

  const main = el("td", "c-main");
  // Bold type shows "unread" to the eye; screen readers and agents get it in words.
  if (message.unread) main.append(el("span", "visually-hidden", "Unread, "));
  const line1 = el("div", "r1");
  const from = el("span", "r-from", peopleShown(message));
  if (message.system_labels.includes("DRAFT")) from.prepend(el("span", "draft-tag", "Draft "));
  line1.append(from, el("span", "r-date", message.date_short));
  const line2 = el("div", "r2");
  line2.append(el("span", "r-subject", message.subject));
  for (const label of message.labels) line2.append(el("span", "chip", label));
  main.append(line1, line2, el("div", "r3", message.snippet));

  tr.append(checkCell, starCell, main);
  tr.addEventListener("click", () => openRow(message));
  tr.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target === tr) openRow(message);
  });
  return tr;
}

function openRow(message) {
  if (message.system_labels.includes("DRAFT")) {
    document.dispatchEvent(new CustomEvent("mail:open-draft", { detail: { id: message.id } }));
    return;
  }
  go({ msgId: message.id });
}

export async function loadList() {
  const seq = ++loadSeq;
  const route = state.route;
  $("loading").hidden = false;
  const params =
    route.view === "search"
      ? { q: route.q, page: route.page }
      : { view: route.view, label: route.label, page: route.page };
  try {
    const data = await getJSON("api/messages", params);
    if (seq !== loadSeq) return;
    state.list = data;
    const known = new Set(data.ids);
    for (const id of [...state.selected]) if (!known.has(id)) state.selected.delete(id);
    renderList();
  } catch (error) {
    if (seq === loadSeq) showToast(error.message);
  } finally {
    if (seq === loadSeq) $("loading").hidden = true;
  }
}

export function renderList() {
  const data = state.list;
  if (!data) return;
  const focusedId = document.activeElement?.closest?.("tr.row")?.dataset.id;
  const rows = $("rows");
  rows.replaceChildren(...data.messages.map(row));
  if (focusedId) rows.querySelector(`tr[data-id="${focusedId}"]`)?.focus();
  $("view-title").textContent = data.title;
  $("msg-list").setAttribute("aria-label", data.title);
  const empty = $("empty");
  empty.hidden = data.messages.length > 0;
  empty.textContent = EMPTY_TEXT[data.view] || EMPTY_TEXT.all;
  $("trash-banner").hidden = data.view !== "trash";
  $("pager-range").textContent = data.total ? `${data.first}–${data.last} of ${data.total}` : "";
  $("newer-btn").disabled = data.page <= 1;
  $("older-btn").disabled = data.page >= data.pages;
  updateToolbar();
}

function pageIds() {
  return state.list ? state.list.messages.map((m) => m.id) : [];
}

export function updateToolbar() {
  const ids = pageIds();
  const onPage = ids.filter((id) => state.selected.has(id)).length;
  const selectAll = $("select-all");
  selectAll.checked = ids.length > 0 && onPage === ids.length;
  selectAll.indeterminate = onPage > 0 && onPage < ids.length;
  const any = state.selected.size > 0;
  $("selection-tools").hidden = !any;
  $("idle-tools").hidden = any;
  const kind = listKind();
  const selectedMessages = state.list ? state.list.messages.filter((m) => state.selected.has(m.id)) : [];
  const anyUnread = selectedMessages.some((m) => m.unread);
  for (const button of $("selection-tools").querySelectorAll("[data-action], [aria-controls]")) {
    const views = button.dataset.views;
    let shown = !views || views.split(" ").includes(kind);
    if (button.dataset.action === "read") shown = shown && anyUnread;
    if (button.dataset.action === "unread") shown = shown && !anyUnread;
    button.hidden = !shown;
  }
  const total = state.list ? state.list.total : 0;
  const banner = $("select-banner");
  const everything = state.selected.size === total && total > ids.length;
  banner.hidden = !(selectAll.checked && total > ids.length);
  if (!banner.hidden) {
    $("select-banner-text").textContent = everything
      ? `All ${total} conversations in ${state.list.title} are selected.`
      : `All ${ids.length} conversations on this page are selected.`;
    $("select-everything").textContent = everything
      ? "Clear selection"
      : `Select all ${total} conversations in ${state.list.title}`;
  }
}

function selectWhere(predicate) {
  state.selected.clear();
  if (state.list) for (const m of state.list.messages) if (predicate(m)) state.selected.add(m.id);
  renderList();
}

const SELECTIONS = {
  all: () => true,
  none: () => false,
  read: (m) => !m.unread,
  unread: (m) => m.unread,
  starred: (m) => m.starred,
  unstarred: (m) => !m.starred,
};

export function setupList() {
  $("select-all").addEventListener("change", (event) => selectWhere(() => event.target.checked));
  for (const item of document.querySelectorAll("[data-select]")) {
    item.addEventListener("click", () => selectWhere(SELECTIONS[item.dataset.select]));
  }
  $("select-everything").addEventListener("click", () => {
    const everything = state.selected.size === state.list.total;
    state.selected = everything ? new Set() : new Set(state.list.ids);
    renderList();
  });
  for (const button of $("selection-tools").querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => runAction(button.dataset.action, [...state.selected]));
  }
  const moveButton = $("selection-tools").querySelector("[aria-controls='list-move-menu']");
  moveButton.addEventListener("click", () =>
    fillMoveMenu($("list-move-menu"), () => [...state.selected], { includeInbox: state.route.view !== "inbox" }),
  );
  const labelButton = $("selection-tools").querySelector("[aria-controls='list-label-menu']");
  labelButton.addEventListener("click", () => fillLabelMenu($("list-label-menu"), () => [...state.selected]));
  $("refresh-btn").addEventListener("click", () => loadList());
  $("mark-all-read").addEventListener("click", () => {
    const unread = state.list ? state.list.messages.filter((m) => m.unread).map((m) => m.id) : [];
    if (unread.length) runAction("read", unread);
  });
  $("newer-btn").addEventListener("click", () => go({ page: state.route.page - 1, msgId: null }));
  $("older-btn").addEventListener("click", () => go({ page: state.route.page + 1, msgId: null }));
}

// j/k move between rows, as in Gmail; Enter on a row opens it.
export function moveFocus(step) {
  const rows = [...$("rows").querySelectorAll("tr.row")];
  if (!rows.length) return;
  const current = rows.indexOf(document.activeElement?.closest?.("tr.row"));
  const next = current < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, current + step));
  rows[next].focus();
}
