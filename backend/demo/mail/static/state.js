// The client's view of the mailbox, and the address-bar route (#inbox/p2/ID) it is derived from.
export const VIEWS = ["inbox", "starred", "sent", "drafts", "all", "spam", "trash"];

export const state = {
  route: { view: "inbox", label: null, q: null, page: 1, msgId: null },
  list: null, // the last answer of GET api/messages
  selected: new Set(), // message ids; may cover every page after "Select all N conversations"
  open: null, // the message shown in the reading pane
  labels: [], // the navigation entries, with unread counts
  owner: null,
};

function decode(part) {
  try {
    return decodeURIComponent(part || "");
  } catch {
    return "";
  }
}

export function parseHash(hash) {
  const parts = hash.replace(/^#/, "").split("/").filter(Boolean);
  let view = parts.shift() || "inbox";
  let label = null;
  let q = null;
  if (view === "label") label = decode(parts.shift());
  else if (view === "search") q = decode(parts.shift());
  else if (!VIEWS.includes(view)) view = "inbox";
  if ((view === "label" && !label) || (view === "search" && !q)) view = "inbox";
  let page = 1;
  if (parts[0] && /^p\d+$/.test(parts[0])) page = Math.max(1, parseInt(parts.shift().slice(1), 10));
  return { view, label, q, page, msgId: parts.shift() || null };
}

export function buildHash(route) {
  let hash = `#${route.view}`;
  if (route.view === "label") hash += `/${encodeURIComponent(route.label)}`;
  if (route.view === "search") hash += `/${encodeURIComponent(route.q)}`;
  if (route.page > 1) hash += `/p${route.page}`;
  if (route.msgId) hash += `/${route.msgId}`;
  return hash;
}

export function go(changes) {
  const hash = buildHash({ ...state.route, ...changes });
  if (hash !== location.hash) location.hash = hash;
}

export function sameList(a, b) {
  return a.view === b.view && a.label === b.label && a.q === b.q && a.page === b.page;
}

// Where the list lives in the server's terms: trash and spam get their own toolbar buttons.
export function listKind() {
  const view = state.route.view;
  return view === "trash" || view === "spam" ? view : "live";
}

// Every change ends with this event; the list, the navigation and the reading pane reload themselves.
export function announceChange(detail = {}) {
  document.dispatchEvent(new CustomEvent("mail:changed", { detail }));
}
