// The compose window: new mail, reply, forward and drafts. Sending takes a moment and shows a spinner.
import { getJSON, postJSON } from "./api.js";
import { announceChange, state } from "./state.js";
import { showToast } from "./toast.js";

const $ = (id) => document.getElementById(id);
let current = null; // what the open window answers: { inReplyTo, forwardOf, draftId, initial }

function address(a) {
  return a.name && a.name !== a.email ? `${a.name} <${a.email}>` : a.email;
}

function prefixed(prefix, subject) {
  return subject.toLowerCase().startsWith(`${prefix.toLowerCase()}:`) ? subject : `${prefix}: ${subject}`;
}

function quoted(text) {
  return text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

function fields() {
  return {
    to: $("compose-to").value.trim(),
    cc: $("compose-cc").value.trim(),
    subject: $("compose-subject").value,
    body: $("compose-body").value,
  };
}

function setSending(sending) {
  for (const id of ["compose-to", "compose-cc", "compose-subject", "compose-body", "send-btn", "compose-discard"]) {
    $(id).disabled = sending;
  }
  $("send-spinner").hidden = !sending;
  $("send-status").textContent = sending ? "Sending…" : "";
}

function startingPoint(mode, message) {
  const ownMessage = state.owner && message && message.from.email === state.owner.email;
  switch (mode) {
    case "reply":
      return {
        to: (ownMessage ? message.to : [message.from]).map(address).join(", "),
        subject: prefixed("Re", message.subject),
        body: `\n\nOn ${message.date_full}, ${address(message.from)} wrote:\n${quoted(message.text)}`,
        title: prefixed("Re", message.subject),
      };
    case "forward":
      return {
        to: "",
        subject: prefixed("Fwd", message.subject),
        body:
          "\n\n---------- Forwarded message ---------\n" +
          `From: ${address(message.from)}\nDate: ${message.date_full}\nSubject: ${message.subject}\n` +
          `To: ${message.to.map(address).join(", ")}\n\n${message.text}`,
        title: prefixed("Fwd", message.subject),
      };
    case "draft":
      return {
        to: message.to.map(address).join(", "),
        cc: message.cc.map(address).join(", "),
        subject: message.subject === "(no subject)" ? "" : message.subject,
        body: message.text,
        title: "Draft",
      };
    default:
      return { to: "", subject: "", body: "", title: "New Message" };
  }
}

export function openCompose({ mode = "new", message = null } = {}) {
  const start = startingPoint(mode, message);
  current = {
    inReplyTo: mode === "reply" ? message.id : null,
    forwardOf: mode === "forward" ? message.id : null,
    draftId: mode === "draft" ? message.id : null,
  };
  $("compose-title").textContent = start.title;
  $("compose-to").value = start.to;
  $("compose-cc").value = start.cc || "";
  $("compose-cc-row").hidden = !start.cc;
  $("compose-subject").value = start.subject;
  $("compose-body").value = start.body;
  setSending(false);
  $("compose").hidden = false;
  current.initial = JSON.stringify(fields());
  if (mode === "reply") {
    const body = $("compose-body");
    body.focus();
    body.setSelectionRange(0, 0);
  } else {
    $("compose-to").focus();
  }
}

function hideCompose() {
  $("compose").hidden = true;
  current = null;
}

function payload() {
  return {
    ...fields(),
    in_reply_to: current.inReplyTo,
    forward_of: current.forwardOf,
    draft_id: current.draftId,
  };
}

async function send(event) {
  event.preventDefault();
  if (!current) return;
  setSending(true);
  try {
    await postJSON("api/send", payload());
  } catch (error) {
    setSending(false);
    showToast(error.message);
    return;
  }
  hideCompose();
  showToast("Message sent.");
  announceChange({ sent: true });
}

// Closing keeps what was written as a draft, as webmail does; an untouched window just closes.
async function saveAndClose() {
  if (!current) return;
  const now = fields();
  const written = now.to || now.cc || now.subject.trim() || now.body.trim();
  if (JSON.stringify(now) === current.initial || !written) {
    hideCompose();
    return;
  }
  try {
    await postJSON("api/drafts", payload());
  } catch (error) {
    showToast(error.message);
    return;
  }
  hideCompose();
  showToast("Draft saved.");
  announceChange({ draft: true });
}

async function discard() {
  if (!current) return;
  const draftId = current.draftId;
  if (draftId) {
    try {
      await postJSON(`api/drafts/${encodeURIComponent(draftId)}/discard`, {});
    } catch (error) {
      showToast(error.message);
      return;
    }
  }
  hideCompose();
  showToast("Draft discarded.");
  if (draftId) announceChange({ ids: [draftId], removes: true });
}

export function setupCompose() {
  $("compose-form").addEventListener("submit", send);
  $("compose-btn").addEventListener("click", () => openCompose());
  $("compose-close").addEventListener("click", saveAndClose);
  $("compose-discard").addEventListener("click", discard);
  $("compose-show-cc").addEventListener("click", () => {
    $("compose-cc-row").hidden = false;
    $("compose-cc").focus();
  });
  document.addEventListener("mail:open-draft", async (event) => {
    try {
      openCompose({ mode: "draft", message: await getJSON(`api/messages/${encodeURIComponent(event.detail.id)}`) });
    } catch (error) {
      showToast(error.message);
    }
  });
}
