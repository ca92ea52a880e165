// The user's rules: listed, edited (mail rules: what they do, their label, a retired rule brought back),
// deleted, and a mail rule added in plain words, which Deputy turns into a proposal to approve (nothing is
// saved before that). The same section runs in the options page (through the paired token) and on
// Deputy's own approvals page (through that page's token): each hands in its own `client`.

import { el } from "../shared/dom.js";

const ACTIONS = [
  ["archive", "Archive"],
  ["mark_read", "Mark read"],
  ["star", "Star"],
  ["label", "Label"],
];

// A stored rule as a sentence; mail rules carry their own ("Archive mail from LaunchList Daily").
export function ruleSentence(rule) {
  const value = rule.value ?? {};
  if (rule.kind === "mail" && value.name) return value.name;
  if (value.host) return `${rule.kind.replace(/_/g, " ")}: ${value.host}`;
  if (rule.kind === "never_send") return "Never send anything";
  if (value.usd !== undefined) return `${rule.kind === "budget_day" ? "Daily" : "Per-task"} budget: $${value.usd}`;
  return `${rule.kind.replace(/_/g, " ")} ${JSON.stringify(value)}`;
}

function editor(rule, client, done) {
  const id = `rule-${rule.id}`;
  const action = el("select", { id: `${id}-action` });
  for (const [value, text] of ACTIONS) {
    action.append(el("option", { value, text, selected: rule.value.action === value }));
  }
  const label = el("input", { id: `${id}-label`, maxlength: "60", value: rule.value.label ?? "" });
  const problem = el("p", { class: "rule-problem", role: "alert" });
  const save = el("button", { class: "button primary", type: "submit", text: "Save" });
  const form = el(
    "form",
    { class: "rule-edit", hidden: true, "aria-label": `Edit rule ${rule.id}` },
    el("label", { for: action.id, text: "Does" }),
    action,
    el("label", { for: label.id, text: "Label" }),
    label,
    save,
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const change = { action: action.value };
    if (action.value === "label" || label.value.trim()) change.label = label.value.trim() || null;
    try {
      await client.edit(rule.id, change);
      form.hidden = true;
      done();
    } catch (error) {
      problem.textContent = error.message;
    }
  });
  return form;
}

function row(rule, client, refresh) {
  const retired = rule.kind === "mail" && rule.value.retired === true;
  const status = el("p", { class: "rule-problem", role: "alert" });
  const remove = el("button", { class: "button danger", type: "button", text: "Delete", "aria-label": `Delete rule ${rule.id}` });
  remove.addEventListener("click", async () => {
    try {
      await client.remove(rule.id);
      refresh();
    } catch (error) {
      status.textContent = error.message;
    }
  });
  const actions = el("div", { class: "rule-actions" });
  let form = null;
  if (rule.kind === "mail") {
    form = editor(rule, client, refresh);
    const edit = el("button", { class: "button", type: "button", text: "Edit", "aria-label": `Edit rule ${rule.id}` });
    edit.addEventListener("click", () => {
      form.hidden = !form.hidden;
    });
    actions.append(edit);
    if (retired) {
      const revive = el("button", { class: "button", type: "button", text: "Bring back" });
      revive.addEventListener("click", async () => {
        try {
          await client.edit(rule.id, { retired: false });
          refresh();
        } catch (error) {
          status.textContent = error.message;
        }
      });
      actions.append(revive);
    }
  }
  actions.append(remove);
  return el(
    "li",
    { class: `rule${retired ? " retired" : ""}`, "data-id": String(rule.id) },
    el("span", { class: "rule-id", text: `#${rule.id}` }),
    el("span", { class: "rule-text", text: ruleSentence(rule) }),
    retired ? el("span", { class: "rule-retired", text: "Retired: you undid it twice" }) : null,
    actions,
    form,
    status,
  );
}

// Fill `root` with the rules section; `client` has list(), remove(id), edit(id, change) and plain(text),
// each a promise that rejects with an Error whose message is Deputy's reason.
export function mountRules(root, client) {
  const list = el("ul", { class: "rules", "aria-label": "Your rules" });
  const empty = el("p", { class: "hint", text: "No rules yet." });
  const text = el("input", {
    id: "rule-words",
    maxlength: "500",
    autocomplete: "off",
    placeholder: "archive newsletters from shopmart.example",
  });
  const result = el("div", { class: "rule-result", role: "status", "aria-live": "polite" });
  const form = el(
    "form",
    { class: "rule-add" },
    el("label", { for: "rule-words", text: "A mail rule in your words" }),
    text,
    el("button", { class: "button primary", type: "submit", text: "Propose" }),
  );

  async function refresh() {
    // A rule being edited is not redrawn under the user's hands; saving it redraws the list.
    if (list.querySelector(".rule-edit:not([hidden])")) return;
    try {
      const rules = await client.list();
      list.replaceChildren(...rules.map((rule) => row(rule, client, refresh)));
      empty.hidden = rules.length > 0;
    } catch (error) {
      result.textContent = error.message;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.replaceChildren();
    try {
      const card = await client.plain(text.value);
      result.append(
        el("strong", { text: card.summary }),
        el("ul", {}, ...(card.objects ?? []).map((line) => el("li", { text: line }))),
        el("p", { class: "hint", text: "Nothing is saved yet: approve it where Deputy's approvals are shown." }),
      );
      text.value = "";
    } catch (error) {
      result.append(el("span", { class: "rule-problem", text: error.message }));
    }
  });

  root.replaceChildren(list, empty, form, result);
  refresh();
  return refresh;
}

// In the extension's options page: the paired token, through the shared API module.
async function mountInOptions() {
  const root = document.getElementById("rules");
  if (!root) return;
  const { call } = await import("../shared/api.js");
  const { getPairing } = await import("../shared/storage.js");
  const pairing = await getPairing();
  if (!pairing) {
    root.replaceChildren(el("p", { class: "hint", text: "Pair with Deputy to see and edit your rules." }));
    return;
  }
  mountRules(root, {
    list: () => call(pairing, "GET", "/api/rules"),
    remove: (id) => call(pairing, "DELETE", `/api/rules/${id}`),
    edit: (id, change) => call(pairing, "PATCH", `/api/rules/${id}`, change),
    plain: (words) => call(pairing, "POST", "/api/rules/plain", { text: words }),
  });
}

if (typeof chrome !== "undefined" && chrome.storage) {
  mountInOptions();
  // Paired or unpaired on this page: the section follows.
  chrome.storage.onChanged.addListener((changes) => {
    if (changes.pairing) mountInOptions();
  });
}
