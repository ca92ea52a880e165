// One approval card, built from what the server describes: the action and its parameters (labelled
// from the action registry), the target as a person would say it, the highlighted screenshot, the
// model's reason, the risk, the cost so far and the time left.

import { fetchBlob } from "../shared/api.js";
import { costLine, editableParams, RISK_LABEL, specFor, targetOf, titleOf, visibleParams } from "../shared/describe.js";
import { countdown, hostOf, parseServerTime } from "../shared/format.js";
import { MSG, send } from "../shared/messages.js";
import { el } from "../shared/dom.js";

const SOON_MS = 60_000;

function screenshot(approval, pairing, urls) {
  if (!approval.screenshot_url) return null;
  const button = el("button", {
    class: "shot",
    type: "button",
    "aria-expanded": "false",
    "aria-label": "Screenshot of the page with the target outlined; press to enlarge",
  });
  const missing = el("span", { class: "shot-missing", text: "Loading the screenshot…" });
  button.append(missing);
  button.addEventListener("click", () => {
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  });
  // The screenshot needs the token, so it is fetched as a blob rather than linked.
  fetchBlob(pairing, approval.screenshot_url).then(
    (blob) => {
      const url = URL.createObjectURL(blob);
      urls.set(approval.id, url);
      const img = el("img", {
        src: url,
        alt: `The page at ${hostOf(approval.page_url) || "the task's tab"}, with the target outlined`,
      });
      missing.replaceWith(img);
    },
    () => {
      missing.textContent = "The screenshot could not be loaded.";
    },
  );
  return button;
}

function params(approval, spec) {
  const rows = visibleParams(approval, spec);
  if (!rows.length) return null;
  const list = el("dl", { class: "params" });
  for (const row of rows) list.append(el("dt", { text: row.label }), el("dd", { text: row.value }));
  return list;
}

function labelled(label, text) {
  if (!text) return null;
  return el("p", { class: "reason" }, el("span", { class: "label", text: label }), document.createTextNode(text));
}

function editor(approval, spec, idBase) {
  const fields = editableParams(approval, spec);
  if (!fields.length) return null;
  const box = el("div", {
    class: "editor",
    id: `${idBase}-editor`,
    role: "group",
    "aria-label": "Edit before approving",
    hidden: approval.kind !== "question",
  });
  for (const field of fields) {
    const id = `${idBase}-edit-${field.name}`;
    const input = field.long
      ? el("textarea", { id, rows: "4" })
      : el("input", field.number ? { id, type: "number", min: "0.01", step: "0.01" } : { id });
    input.value = field.value;
    input.dataset.param = field.name;
    input.dataset.original = field.value;
    box.append(el("label", { for: id, text: field.label }), input);
  }
  return box;
}

// The extension answers through its worker; Deputy's own approvals page passes its own `answer`.
const workerAnswer = Object.freeze({
  approve: (id, edits, likeThis) => send(MSG.APPROVE, { id, edits, likeThis }),
  reject: (id, reason) => send(MSG.REJECT, { id, reason }),
});

function objectsList(approval) {
  const objects = (approval.objects ?? []).filter((line) => typeof line === "string" && line);
  if (!objects.length) return null;
  const label = approval.kind === "recipe" ? "Its steps" : "What it acts on";
  return el("ul", { class: "objects", "aria-label": label }, ...objects.map((line) => el("li", { text: line })));
}

export function buildCard(approval, { actions, tasks, pairing, urls, onAnswered, answer = workerAnswer }) {
  const spec = specFor(actions, approval.action);
  const idBase = `ap-${approval.id}`;
  const titleId = `${idBase}-title`;
  const task = (tasks ?? []).find((candidate) => candidate.id === approval.task_id);
  const instruction = approval.task_instruction ?? task?.instruction;
  const risk = approval.risk in RISK_LABEL ? approval.risk : "write";

  const expiry = el("span", { class: "expiry", "data-expires": String(parseServerTime(approval.expires_at) ?? "") });
  const head = el(
    "div",
    { class: "card-head" },
    el("span", { class: `risk risk-${risk}`, text: RISK_LABEL[risk] }),
    expiry,
  );
  const target = targetOf(approval);
  const title = el(
    "h3",
    { class: "card-title", id: titleId },
    document.createTextNode(titleOf(approval)),
    target ? el("span", { class: "target", text: ` ${target}` }) : null,
  );
  const meta = el(
    "p",
    { class: "card-meta" },
    approval.page_url ? el("span", { text: hostOf(approval.page_url), title: approval.page_url }) : null,
    instruction ? el("span", { text: `Task: ${instruction}` }) : null,
  );

  const question = approval.kind === "question";
  const recipe = approval.kind === "recipe";
  const edit = editor(approval, spec, idBase);
  const reasonId = `${idBase}-reason`;
  const rejectBox = el(
    "div",
    { class: "reject-box", role: "group", "aria-label": "Reject", hidden: true },
    el("label", { for: reasonId, text: "Why not? (optional, Deputy reads it)" }),
    el("input", { id: reasonId, maxlength: "2000", autocomplete: "off", placeholder: "e.g. keep mail from my bank" }),
  );
  const confirmReject = el("button", {
    class: "button danger solid",
    type: "button",
    text: "Reject",
    "aria-describedby": titleId,
  });
  const cancelReject = el("button", { class: "button", type: "button", text: "Cancel" });
  rejectBox.append(el("div", { class: "card-actions" }, confirmReject, cancelReject));

  const likeId = `${idBase}-like`;
  const canGrant = approval.kind === "action" && approval.risk === "write";
  const like = canGrant
    ? el(
        "label",
        { class: "like", for: likeId },
        el("input", { type: "checkbox", id: likeId }),
        document.createTextNode("Allow like this for this task"),
      )
    : null;

  const approveButton = el("button", {
    class: "button primary approve",
    type: "button",
    text: question ? "Send answer" : recipe ? "Keep recipe" : "Approve",
    "aria-describedby": titleId,
  });
  const rejectButton = el("button", {
    class: "button danger",
    type: "button",
    text: question ? "Decline…" : "Reject…",
    "aria-describedby": titleId,
    "aria-expanded": "false",
  });
  const editButton =
    edit && !question
    ? el("button", {
        class: "button",
        type: "button",
        text: "Edit",
        "aria-expanded": "false",
        "aria-controls": edit.id,
      })
    : null;
  const status = el("p", { class: "card-status", role: "status" });

  const card = el(
    "article",
    { class: `card risk-edge-${risk}`, "data-id": approval.id, "aria-labelledby": titleId },
    head,
    title,
    meta,
    objectsList(approval),
    screenshot(approval, pairing, urls),
    params(approval, spec),
    labelled("Deputy's reason", approval.model_reason),
    approval.policy_reason ? el("p", { class: "policy", text: approval.policy_reason }) : null,
    el("p", { class: "cost", text: costLine(approval) }),
    edit,
    rejectBox,
    like,
    el("div", { class: "card-actions" }, approveButton, rejectButton, editButton),
    status,
  );
  card.dataset.withSpec = spec ? "1" : "0";

  const buttons = [approveButton, rejectButton, editButton, confirmReject, cancelReject].filter(Boolean);
  const busy = (on) => {
    card.classList.toggle("answering", on); // an answer on its way: a list redrawn meanwhile keeps the card
    for (const button of buttons)
      button.disabled = on || (card.classList.contains("expired") && button === approveButton);
  };
  const finish = async (message, outcome) => {
    if (outcome.ok) {
      card.classList.add("answered");
      status.className = "card-status ok";
      status.textContent = message;
      onAnswered(approval, message);
    } else {
      status.className = "card-status error";
      status.textContent = outcome.error;
      busy(false);
    }
  };

  approveButton.addEventListener("click", async () => {
    busy(true);
    status.className = "card-status";
    status.textContent = "Approving…";
    const edits = {};
    if (edit && !edit.hidden) {
      for (const input of edit.querySelectorAll("[data-param]")) {
        if (input.value === input.dataset.original) continue;
        edits[input.dataset.param] = input.type === "number" ? Number(input.value) : input.value;
      }
    }
    const likeThis = like?.querySelector("input").checked === true;
    const result = await answer.approve(approval.id, edits, likeThis);
    const done = question
      ? "Answer sent."
      : recipe
        ? "Kept. It replays from now on with no model call."
        : Object.keys(edits).length
        ? "Approved with your edits."
        : "Approved. Deputy is doing it now.";
    await finish(done, result);
  });

  rejectButton.addEventListener("click", () => {
    rejectBox.hidden = false;
    rejectButton.setAttribute("aria-expanded", "true");
    rejectBox.querySelector("input").focus();
  });
  const closeReject = () => {
    rejectBox.hidden = true;
    rejectButton.setAttribute("aria-expanded", "false");
    rejectButton.focus();
  };
  cancelReject.addEventListener("click", closeReject);
  rejectBox.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      closeReject();
    }
    if (event.key === "Enter" && event.target.tagName === "INPUT") confirmReject.click();
  });
  confirmReject.addEventListener("click", async () => {
    busy(true);
    status.className = "card-status";
    status.textContent = "Rejecting…";
    const reason = rejectBox.querySelector("input").value;
    const result = await answer.reject(approval.id, reason);
    const rejected = recipe ? "Rejected. The recipe is deleted." : "Rejected. Deputy will not do it.";
    await finish(question ? "Declined." : rejected, result);
  });

  editButton?.addEventListener("click", () => {
    edit.hidden = !edit.hidden;
    editButton.setAttribute("aria-expanded", String(!edit.hidden));
    editButton.textContent = edit.hidden ? "Edit" : "Cancel edit";
    if (!edit.hidden) edit.querySelector("[data-param]").focus();
  });

  return card;
}

// Called every second: the time left on each card; an expired one can no longer be approved.
// Returns whether a card expired just now.
export function tickExpiry(container, now = Date.now()) {
  let expiredNow = false;
  for (const label of container.querySelectorAll(".expiry")) {
    const expires = Number(label.dataset.expires);
    if (!expires) continue;
    const left = expires - now;
    label.textContent = left > 0 ? `Expires in ${countdown(left)}` : "Expired";
    label.classList.toggle("soon", left < SOON_MS);
    if (left <= 0) {
      const card = label.closest(".card");
      if (!card.classList.contains("expired")) {
        card.classList.add("expired");
        card.querySelector(".approve").disabled = true;
        expiredNow = true;
      }
    }
  }
  return expiredNow;
}
