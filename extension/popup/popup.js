// The popup: today's spend against the budget, the digest when one is ready, the pending approvals
// (newest first), the tasks at work, "Ask Deputy to…", pause and the deploy watch's switch. It shows what the worker stored and asks the worker to act.

import { hostOf, humanize, isWebUrl, usd } from "../shared/format.js";
import { oneLine } from "../shared/describe.js";
import { renderDigest } from "../shared/digest.js";
import { MSG, send } from "../shared/messages.js";
import { getPairing, LOCAL, SESSION, STATUS } from "../shared/storage.js";
import { countsLine, resultItem } from "../shared/results.js";
import { buildCard, tickExpiry } from "./cards.js";

const $ = (id) => document.getElementById(id);

const view = {
  pairing: null,
  session: {},
  tabUrl: "",
  focusApproval: new URLSearchParams(location.search).get("approval"),
};
const screenshotUrls = new Map(); // approval id → object URL of its screenshot

// ---- the states around the main view ------------------------------------------------------------

function showState({ art, title, text, primary, secondary, hint = "" }) {
  $("state").hidden = false;
  $("main").hidden = true;
  $("ask-box").hidden = true;
  $("spend").hidden = true;
  $("paused-banner").hidden = true;
  $("pause").hidden = true;
  for (const picture of $("state-art").children) picture.toggleAttribute("hidden", picture.dataset.art !== art);
  $("state-title").textContent = title;
  $("state-text").textContent = text;
  $("state-hint").textContent = hint;
  for (const [id, action] of [
    ["state-primary", primary],
    ["state-secondary", secondary],
  ]) {
    const button = $(id);
    button.hidden = !action;
    if (action) {
      button.textContent = action.label;
      button.onclick = action.run;
    }
  }
}

const openOptions = { label: "Open settings", run: () => chrome.runtime.openOptionsPage() };
const retry = { label: "Retry now", run: () => send(MSG.RECONNECT) };

function retryHint(connection) {
  const left = Math.ceil(((connection?.nextRetryAt ?? 0) - Date.now()) / 1000);
  return left > 0 ? `Trying again in ${left} s.` : "Trying again…";
}

function renderConnectionChip(status) {
  const chip = $("conn");
  const [cls, text] = {
    [STATUS.CONNECTED]: ["connected", "Connected"],
    [STATUS.CONNECTING]: ["connecting", "Connecting…"],
    [STATUS.OFFLINE]: ["problem", "Offline"],
    [STATUS.NOT_DEPUTY]: ["problem", "Wrong port"],
    [STATUS.REFUSED]: ["problem", "Not paired"],
  }[status] ?? ["", "Not paired"];
  chip.className = `conn ${cls}`;
  $("conn-text").textContent = text;
}

// ---- the main view ------------------------------------------------------------------------------

function renderSpend() {
  const usage = view.session[SESSION.USAGE];
  $("spend").hidden = !usage?.available;
  if (!usage?.available) return;
  const spend = usage.spend_usd ?? 0;
  const budget = usage.budget?.day_usd;
  $("spend-amount").textContent = usd(spend, { precise: true });
  const bar = $("spend-bar");
  if (budget === null || budget === undefined) {
    $("spend-budget").textContent = "No daily budget set";
    bar.hidden = true;
    return;
  }
  const share = budget > 0 ? Math.min(100, Math.round((spend / budget) * 100)) : 100;
  const left = usage.budget.day_left_usd ?? budget - spend;
  $("spend-budget").textContent =
    left > 0 ? `of ${usd(budget)} daily budget · ${usd(left)} left` : `of ${usd(budget)}: daily budget reached`;
  bar.hidden = false;
  bar.setAttribute("aria-valuenow", String(share));
  bar.setAttribute("aria-valuetext", `${usd(spend)} of ${usd(budget)} spent today`);
  bar.classList.toggle("high", share >= 80 && share < 100);
  bar.classList.toggle("over", share >= 100);
  $("spend-fill").style.width = `${share}%`;
}

function renderPause() {
  const paused = view.session[SESSION.SERVER_STATE]?.paused === true;
  const button = $("pause");
  button.hidden = !view.session[SESSION.SERVER_STATE];
  button.setAttribute("aria-pressed", String(paused));
  button.textContent = paused ? "Resume" : "Pause";
  button.title = paused ? "Let Deputy run again" : "Stop Deputy from running anything until you resume";
  $("paused-banner").hidden = !paused;
}

// The card goes away as soon as the server has the answer; say what happened where a screen reader hears it.
function onAnswered(approval, message) {
  $("announce").textContent = `${message} (${oneLine(approval)})`;
}

function renderApprovals() {
  const pending = view.session[SESSION.PENDING] ?? [];
  const actions = view.session[SESSION.ACTIONS] ?? [];
  const tasks = view.session[SESSION.TASKS] ?? [];
  const list = $("approvals");
  const focusWasIn = list.contains(document.activeElement) ? document.activeElement.closest(".card") : null;
  const existing = new Map([...list.querySelectorAll(".card")].map((card) => [card.dataset.id, card]));
  const wanted = new Set(pending.map((approval) => approval.id));
  let nextFocus = null;
  for (const [id, card] of existing) {
    if (wanted.has(id)) continue;
    if (card === focusWasIn) nextFocus = card.nextElementSibling ?? card.previousElementSibling;
    card.remove();
    URL.revokeObjectURL(screenshotUrls.get(id));
    screenshotUrls.delete(id);
  }
  pending.forEach((approval, index) => {
    let card = existing.get(approval.id);
    const stale = card && card.dataset.withSpec === "0" && actions.length && !card.contains(document.activeElement);
    if (!card || stale) {
      const built = buildCard(approval, { actions, tasks, pairing: view.pairing, urls: screenshotUrls, onAnswered });
      if (card) card.replaceWith(built);
      card = built;
    }
    if (list.children[index] !== card) list.insertBefore(card, list.children[index] ?? null);
  });
  $("approvals-count").textContent = pending.length ? String(pending.length) : "";
  $("empty").hidden = pending.length > 0;
  tickExpiry(list);
  if (focusWasIn && !focusWasIn.isConnected) {
    (nextFocus?.querySelector(".approve") ?? $("approvals-title")).focus();
  }
  if (view.focusApproval) {
    const card = list.querySelector(`.card[data-id="${CSS.escape(view.focusApproval)}"]`);
    if (card) {
      view.focusApproval = null;
      card.scrollIntoView({ block: "start" });
      card.classList.add("highlight");
      card.querySelector(".approve").focus();
    }
  }
}

const WATCH_KIND = "deploy_watch";

function renderDigestBox() {
  const digest = view.session[SESSION.DIGEST];
  const box = $("digest");
  box.hidden = !digest;
  if (!digest) return;
  // Rebuilt only when the digest changed, so a button being pressed is not swapped out under the pointer.
  const seen = JSON.stringify({ ...digest, now: null });
  if (box.dataset.shown === seen) return;
  box.dataset.shown = seen;
  renderDigest(box, digest, {
    answer: (ids, approve) => send(MSG.ANSWER_GROUP, { ids, approve }),
    dismiss: () => send(MSG.DIGEST_SEEN),
  });
}

function renderWatch() {
  const watches = (view.session[SESSION.SCHEDULES] ?? []).filter((job) => job.kind === WATCH_KIND);
  $("watch-row").hidden = watches.length === 0;
  const toggle = $("watch-toggle");
  if (!toggle.disabled) toggle.checked = watches.some((job) => job.enabled);
}

async function onWatchChange() {
  const toggle = $("watch-toggle");
  const on = toggle.checked;
  toggle.disabled = true;
  const answer = await send(MSG.SET_WATCH, { on });
  toggle.disabled = false;
  const note = $("watch-note");
  note.className = `watch-note${answer.ok ? "" : " error"}`;
  note.textContent = answer.ok ? (on ? "Watching" : "Off") : answer.error;
  renderWatch();
}

function stepText(task, step, waitingOn) {
  if (task.status === "waiting") return waitingOn ? "Waiting for your approval" : "Waiting for your answer";
  if (task.status === "queued") return "Starting…";
  if (!step) return "Thinking…";
  return step.done
    ? `${humanize(step.action)}: ${step.summary || (step.ok ? "done" : "failed")}`
    : `${humanize(step.action)}…`;
}

function renderTasks() {
  const tasks = view.session[SESSION.TASKS] ?? [];
  const steps = view.session[SESSION.STEPS] ?? {};
  const pending = view.session[SESSION.PENDING] ?? [];
  $("tasks-group").hidden = tasks.length === 0;
  const items = tasks.map((task) => {
    const item = document.createElement("li");
    item.className = "task";
    const instruction = document.createElement("span");
    instruction.className = "task-instruction";
    instruction.textContent = task.instruction;
    instruction.title = task.instruction;
    const cost = document.createElement("span");
    cost.className = "task-cost";
    cost.textContent = usd(task.spend_usd ?? 0, { precise: true });
    cost.setAttribute("aria-label", `${usd(task.spend_usd ?? 0, { precise: true })} spent`);
    const line = document.createElement("span");
    line.className = "task-step";
    const pill = document.createElement("span");
    pill.className = `pill ${task.status}`;
    pill.textContent = humanize(task.status);
    const text = document.createElement("span");
    // While a task works, nothing is counted until something happened.
    const count = task.steps > 0 ? ` · ${countsLine(task)}` : "";
    text.textContent =
      stepText(
        task,
        steps[task.id],
        pending.some((approval) => approval.task_id === task.id),
      ) + count;
    line.append(pill, text);
    item.append(instruction, cost, line);
    return item;
  });
  $("tasks").replaceChildren(...items);
}

function renderRecent() {
  const recent = view.session[SESSION.RECENT] ?? [];
  $("recent-group").hidden = recent.length === 0;
  $("recent").replaceChildren(...recent.map(resultItem));
}

function renderAskWhere() {
  $("ask-where").textContent = isWebUrl(view.tabUrl)
    ? `Starts from ${hostOf(view.tabUrl)}, in Deputy's own browser.`
    : "Starts from a blank page (this tab is not a web page).";
}

function render() {
  const connection = view.session[SESSION.CONNECTION];
  const status = view.pairing ? (connection?.status ?? STATUS.CONNECTING) : STATUS.UNPAIRED;
  renderConnectionChip(status);
  const port = view.pairing?.port;
  if (status === STATUS.UNPAIRED) {
    return showState({
      art: "plug",
      title: "Connect Deputy",
      text: "Pair this browser with Deputy on your computer to approve what it wants to do and see what it costs.",
      primary: { label: "Pair in settings", run: openOptions.run },
      hint: "You will need a code from “deputy pair”.",
    });
  }
  if (status === STATUS.OFFLINE) {
    return showState({
      art: "off",
      title: "Deputy isn't running",
      text: `Nothing answers on port ${port}. Start it with “deputy up”; this popup reconnects by itself.`,
      primary: retry,
      secondary: openOptions,
      hint: retryHint(connection),
    });
  }
  if (status === STATUS.NOT_DEPUTY) {
    return showState({
      art: "stop",
      title: "That port isn't Deputy",
      text: `Something else answers on port ${port}, so this browser does not send it your token.`,
      primary: openOptions,
      secondary: retry,
    });
  }
  if (status === STATUS.REFUSED) {
    return showState({
      art: "stop",
      title: "Pair again",
      text: connection?.detail || "Deputy no longer accepts this browser's token.",
      primary: openOptions,
    });
  }
  if (status !== STATUS.CONNECTED && view.session[SESSION.PENDING] === undefined) {
    return showState({ art: "wait", title: "Connecting to Deputy…", text: `On port ${port}.` });
  }
  $("state").hidden = true;
  $("main").hidden = false;
  $("ask-box").hidden = false;
  renderSpend();
  renderPause();
  renderWatch();
  renderDigestBox();
  renderApprovals();
  renderTasks();
  renderRecent();
}

// ---- controls ------------------------------------------------------------------------------------

async function onPauseClick() {
  const button = $("pause");
  const paused = button.getAttribute("aria-pressed") !== "true";
  button.disabled = true;
  const answer = await send(MSG.SET_PAUSED, { paused });
  button.disabled = false;
  if (!answer.ok) showAskResult(answer.error, "error");
}

function showAskResult(text, kind) {
  const result = $("ask-result");
  result.className = `ask-result ${kind}`;
  result.textContent = text;
}

async function onAsk(event) {
  event.preventDefault();
  const input = $("ask-input");
  const instruction = input.value.trim();
  if (!instruction) {
    showAskResult("Say what Deputy should do, e.g. “archive the newsletters”.", "error");
    input.focus();
    return;
  }
  $("ask-submit").disabled = true;
  showAskResult("Starting…", "");
  await readActiveTab();
  const answer = await send(MSG.START_TASK, { instruction, url: isWebUrl(view.tabUrl) ? view.tabUrl : "" });
  $("ask-submit").disabled = false;
  if (answer.ok) {
    input.value = "";
    showAskResult(`Started: “${instruction}”. Deputy asks here before anything consequential.`, "ok");
  } else {
    showAskResult(answer.error, "error");
  }
}

// The page the user is looking at: the task starts from its address.
async function readActiveTab() {
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  view.tabUrl = tab?.url ?? "";
  renderAskWhere();
}

async function load() {
  view.pairing = await getPairing();
  view.session = await chrome.storage.session.get(null);
  // Opened from an approval's notification: show that approval first.
  if (view.session[SESSION.FOCUS]) {
    view.focusApproval ??= view.session[SESSION.FOCUS];
    await chrome.storage.session.remove(SESSION.FOCUS);
  }
}

async function start() {
  $("pause").addEventListener("click", onPauseClick);
  $("watch-toggle").addEventListener("change", onWatchChange);
  $("ask-form").addEventListener("submit", onAsk);
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area === "local" && LOCAL.PAIRING in changes) view.pairing = changes[LOCAL.PAIRING].newValue ?? null;
    if (area === "session") for (const [key, change] of Object.entries(changes)) view.session[key] = change.newValue;
    render();
  });
  $("ask-input").addEventListener("focus", readActiveTab);
  await Promise.all([load(), readActiveTab()]);
  render();
  setInterval(() => {
    if (tickExpiry($("approvals"))) send(MSG.REFRESH); // the server drops expired ones from the list
    const connection = view.session[SESSION.CONNECTION];
    if (connection?.status === STATUS.OFFLINE && !$("state").hidden)
      $("state-hint").textContent = retryHint(connection);
  }, 1000);
  send(MSG.REFRESH);
}

start();
