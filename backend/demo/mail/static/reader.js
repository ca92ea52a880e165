// The reading pane: one message, its toolbar, and Reply / Forward.
import { fillMoveMenu, markOpened, runAction, setStar } from "./actions.js";
import { getJSON } from "./api.js";
import { openCompose } from "./compose.js";
import { go, state } from "./state.js";
import { showToast } from "./toast.js";

const $ = (id) => document.getElementById(id);
const URL_PATTERN = /(https?:\/\/[^\s<>"')]+)/g;
const AVATAR_COLOURS = ["#1a73e8", "#188038", "#d93025", "#f29900", "#9334e6", "#12b5cb", "#e52592"];
let openSeq = 0;

function initials(name) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0].toUpperCase())
    .join("");
}

function colourFor(text) {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length];
}

function recipientsLine(message) {
  const ownerEmail = state.owner ? state.owner.email : "";
  const name = (a) => (a.email === ownerEmail ? "me" : a.name);
  let line = message.to.length ? `to ${message.to.map(name).join(", ")}` : "to (no recipients)";
  if (message.cc.length) line += `, cc ${message.cc.map(name).join(", ")}`;
  return line;
}

// Plain-text mail is shown as written, with web addresses made clickable as webmail does.
function plainBody(text) {
  const pre = document.createElement("div");
  pre.className = "plain-body";
  for (const part of text.split(URL_PATTERN)) {
    if (URL_PATTERN.test(part)) {
      const link = document.createElement("a");
      link.href = part;
      link.textContent = part;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      pre.append(link);
    } else {
      pre.append(document.createTextNode(part));
    }
    URL_PATTERN.lastIndex = 0;
  }
  return pre;
}

function showToolbarFor(message) {
  const labels = new Set(message.system_labels);
  const inTrash = labels.has("TRASH");
  const inSpam = labels.has("SPAM") && !inTrash;
  const live = !inTrash && !inSpam;
  const shown = {
    archive: live && labels.has("INBOX"),
    moveToInbox: live && !labels.has("INBOX"),
    spam: live,
    trash: live,
    restore: inTrash,
    notSpam: inSpam,
    deleteForever: inTrash || inSpam,
    unread: true,
    move: true,
  };
  for (const button of document.querySelectorAll("[data-reader-action]")) {
    button.hidden = !shown[button.dataset.readerAction];
  }
}

function render(message) {
  $("reader-empty").hidden = true;
  $("reader").hidden = false;
  $("reader-subject").textContent = message.subject;
  const chips = $("reader-chips");
  chips.replaceChildren();
  for (const label of message.labels) {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.textContent = label;
    chips.append(chip);
  }
  const avatar = $("reader-avatar");
  avatar.textContent = initials(message.from.name);
  avatar.style.background = colourFor(message.from.email);
  $("reader-sender").textContent = message.from.name;
  $("reader-email").textContent = `<${message.from.email}>`;
  $("reader-to").textContent = recipientsLine(message);
  $("reader-date").textContent = message.date_full;
  const star = $("reader-star");
  star.classList.toggle("on", message.starred);
  star.setAttribute("aria-pressed", String(message.starred));
  star.setAttribute("aria-label", message.starred ? "Starred" : "Not starred");
  const body = $("reader-body");
  if (message.is_html) {
    // Seeded HTML mail is rendered as sent, hidden parts included, like any webmail shows it.
    body.innerHTML = message.body;
  } else {
    body.replaceChildren(plainBody(message.body));
  }
  showToolbarFor(message);
  $("reader").querySelector(".reader-scroll").scrollTop = 0;
}

export function closeReader() {
  openSeq++;
  state.open = null;
  $("reader").hidden = true;
  $("reader-empty").hidden = false;
}

export async function openMessage(id, { firstOpen = true } = {}) {
  const seq = ++openSeq;
  try {
    const message = await getJSON(`api/messages/${encodeURIComponent(id)}`);
    if (seq !== openSeq) return;
    state.open = message;
    render(message);
    if (firstOpen && message.unread) await markOpened(id);
  } catch (error) {
    if (seq !== openSeq) return;
    showToast(error.message);
    go({ msgId: null });
  }
}

export function setupReader() {
  const openId = () => (state.open ? [state.open.id] : []);
  for (const button of document.querySelectorAll("[data-reader-action]")) {
    const action = button.dataset.readerAction;
    if (action === "move") {
      button.addEventListener("click", () =>
        fillMoveMenu($("reader-move-menu"), openId, {
          includeInbox: !(state.open && state.open.system_labels.includes("INBOX")),
        }),
      );
    } else if (action === "moveToInbox") {
      button.addEventListener("click", () => runAction("move", openId(), { label: "Inbox" }));
    } else {
      button.addEventListener("click", async () => {
        const done = await runAction(action, openId());
        // Marking as unread goes back to the list, or opening the pane would mark it read again.
        if (done && action === "unread") go({ msgId: null });
      });
    }
  }
  $("reader-star").addEventListener("click", () => {
    if (state.open) setStar(state.open.id, !state.open.starred);
  });
  $("reader-close").addEventListener("click", () => go({ msgId: null }));
  $("reply-btn").addEventListener("click", () => state.open && openCompose({ mode: "reply", message: state.open }));
  $("forward-btn").addEventListener("click", () => state.open && openCompose({ mode: "forward", message: state.open }));
}
