// What the toolbar buttons do: one POST per action, a toast that says what happened, and Undo where
// the action can be undone (archive, delete, spam, move).
import { postJSON } from "./api.js";
import { announceChange, state } from "./state.js";
import { showToast } from "./toast.js";

function conversations(n) {
  return n === 1 ? "Conversation" : `${n} conversations`;
}

const ACTIONS = {
  archive: { path: "api/messages/archive", removes: true, done: (n) => `${conversations(n)} archived.` },
  trash: { path: "api/messages/trash", removes: true, done: (n) => `${conversations(n)} moved to Trash.` },
  spam: { path: "api/messages/spam", removes: true, done: (n) => `${conversations(n)} marked as spam.` },
  notSpam: { path: "api/messages/not-spam", removes: true, done: (n) => `${conversations(n)} moved to Inbox.` },
  restore: { path: "api/messages/restore", removes: true, done: (n) => `${conversations(n)} restored.` },
  deleteForever: {
    path: "api/messages/delete-forever",
    removes: true,
    confirm: (n) =>
      `Delete ${n === 1 ? "this conversation" : `${n} conversations`} forever? You can't undo this.`,
    done: (n) => `${conversations(n)} deleted forever.`,
  },
  read: { path: "api/messages/mark", body: { read: true }, done: (n) => `${conversations(n)} marked as read.` },
  unread: {
    path: "api/messages/mark",
    body: { read: false },
    done: (n) => `${conversations(n)} marked as unread.`,
  },
  label: {
    path: "api/messages/label",
    done: (n, body) => `${conversations(n)} labelled "${body.label}".`,
  },
  move: {
    path: "api/messages/move",
    removes: true,
    done: (n, body) => `${conversations(n)} moved to "${body.label}".`,
  },
};

async function undo(undoId) {
  try {
    await postJSON("api/undo", { undo_id: undoId });
    showToast("Action undone.");
    announceChange({ undone: true });
  } catch (error) {
    showToast(error.message);
  }
}

// Returns true when the action ran; false when the user cancelled it or the server refused it.
export async function runAction(name, ids, extra = {}) {
  const spec = ACTIONS[name];
  if (!spec || ids.length === 0) return false;
  if (spec.confirm && !window.confirm(spec.confirm(ids.length))) return false;
  const body = { ids, ...(spec.body || {}), ...extra };
  try {
    const result = await postJSON(spec.path, body);
    const undoId = result && result.undo_id;
    showToast(spec.done(ids.length, body), undoId ? { undo: () => undo(undoId) } : {});
  } catch (error) {
    showToast(error.message);
    return false;
  }
  if (spec.removes) for (const id of ids) state.selected.delete(id);
  announceChange({ ids, removes: Boolean(spec.removes) });
  return true;
}

export async function setStar(id, starred) {
  try {
    await postJSON("api/messages/star", { ids: [id], starred });
    announceChange({ ids: [id] });
  } catch (error) {
    showToast(error.message);
  }
}

// Opening a message marks it read with a POST, as real webmail does.
export async function markOpened(id) {
  try {
    await postJSON("api/messages/mark", { ids: [id], read: true });
    announceChange({ ids: [id], quiet: true });
  } catch (error) {
    showToast(error.message);
  }
}

// Fill a "Label as" menu with the user labels: the message gets the label and stays where it is.
export function fillLabelMenu(menu, targets) {
  menu.replaceChildren();
  for (const entry of state.labels.filter((label) => label.kind === "user")) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "menu-item";
    item.setAttribute("role", "menuitem");
    item.textContent = entry.name;
    item.addEventListener("click", () => runAction("label", targets(), { label: entry.name }));
    menu.append(item);
  }
}

// Fill a "Move to" menu with Inbox and the user labels; `targets` gives the ids when an item is picked.
export function fillMoveMenu(menu, targets, { includeInbox = true } = {}) {
  menu.replaceChildren();
  const names = state.labels.filter((entry) => entry.kind === "user").map((entry) => entry.name);
  for (const name of includeInbox ? ["Inbox", ...names] : names) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = "menu-item";
    item.setAttribute("role", "menuitem");
    item.textContent = name;
    item.addEventListener("click", () => runAction("move", targets(), { label: name }));
    menu.append(item);
  }
}
