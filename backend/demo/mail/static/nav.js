// The left navigation: folders and labels with unread counts, and the window title.
import { getJSON } from "./api.js";
import { icon } from "./icons.js";
import { buildHash, state } from "./state.js";
import { showToast } from "./toast.js";

const ICONS = {
  inbox: "inbox",
  starred: "star",
  sent: "send",
  drafts: "draft",
  all: "allMail",
  spam: "spam",
  trash: "trash",
};

function isCurrent(entry) {
  const route = state.route;
  if (entry.kind === "user") return route.view === "label" && route.label === entry.label;
  return route.view === entry.view;
}

function item(entry) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.className = "nav-item";
  link.href = buildHash({ view: entry.view, label: entry.label || null, q: null, page: 1, msgId: null });
  link.innerHTML = icon(entry.kind === "user" ? "label" : ICONS[entry.view]);
  const name = document.createElement("span");
  name.className = "nav-name";
  name.textContent = entry.name;
  link.append(name);
  if (entry.unread > 0) {
    link.classList.add("has-unread");
    const count = document.createElement("span");
    count.className = "nav-count";
    count.textContent = String(entry.unread);
    link.append(count);
  }
  if (isCurrent(entry)) {
    link.classList.add("active");
    link.setAttribute("aria-current", "page");
  }
  li.append(link);
  return li;
}

export function renderNav() {
  const system = state.labels.filter((entry) => entry.kind === "system");
  const user = state.labels.filter((entry) => entry.kind === "user");
  document.getElementById("nav-system").replaceChildren(...system.map(item));
  document.getElementById("nav-labels").replaceChildren(...user.map(item));
  const inbox = system.find((entry) => entry.view === "inbox");
  const title = state.list ? state.list.title : "Inbox";
  const unread = inbox && inbox.unread ? ` (${inbox.unread})` : "";
  const email = state.owner ? ` - ${state.owner.email}` : "";
  document.title = `${title}${unread}${email} - Demo Mail`;
}

export async function loadNav() {
  try {
    const data = await getJSON("api/labels");
    state.labels = data.labels;
    state.owner = data.owner;
    renderNav();
  } catch (error) {
    showToast(error.message);
  }
}
