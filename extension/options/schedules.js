// The options page's schedules: Deputy's scheduled jobs with their next run, switched on and off, run
// now, removed, and added (a kind, what it works on, a time of day or an interval). Everything goes to
// the server's /api/schedules; its refusals are shown as the sentences it sends.

import { call } from "../shared/api.js";
import { getPairing, LOCAL, SESSION, STATUS } from "../shared/storage.js";

const $ = (id) => document.getElementById(id);
const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600 };
const TARGET = {
  url: { label: "Address", placeholder: "https://mail.example.com/inbox" },
  instruction: { label: "What Deputy should do", placeholder: "Check my flight's gate and tell me" },
};

let kinds = [];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function say(kind, text) {
  const box = $("schedule-result");
  box.className = `notice ${kind}`;
  box.textContent = text;
  box.hidden = !text;
}

async function ask(method, path, body) {
  const pairing = await getPairing();
  if (!pairing) throw new Error("Pair this browser with Deputy first (above).");
  return call(pairing, method, path, body);
}

function whenText(when) {
  if (when.cron) {
    const [minute, hour, day, month, weekday] = when.cron.split(" ");
    if (/^\d+$/.test(minute) && /^\d+$/.test(hour) && day === "*" && month === "*" && weekday === "*") {
      return `every day at ${hour.padStart(2, "0")}:${minute.padStart(2, "0")}`;
    }
    return `on the schedule “${when.cron}”`;
  }
  if (when.every_seconds) {
    const seconds = when.every_seconds;
    if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
    if (seconds % 60 === 0) return `every ${seconds / 60} min`;
    return `every ${seconds} s`;
  }
  if (when.at) return `once, at ${new Date(when.at).toLocaleString()}`;
  return "";
}

function nextText(job) {
  if (job.running) return "Running now";
  if (!job.next_run_at) return "Off";
  return `Next: ${new Date(job.next_run_at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}`;
}

function jobRow(job) {
  const row = el("li", "schedule");
  row.dataset.id = job.id;
  row.dataset.kind = job.kind;
  const text = el("div", "schedule-text");
  const target = job.params?.url || job.params?.instruction || "";
  text.append(
    el("strong", "schedule-title", job.title),
    el("span", "schedule-when", [whenText(job.when), target].filter(Boolean).join(" · ")),
    el("span", "schedule-next", nextText(job)),
  );
  if (job.last_run) {
    text.append(el("span", "schedule-last", `Last run ${job.last_run.status}: ${job.last_run.summary ?? ""}`.trim()));
  }
  const controls = el("div", "schedule-controls");
  const toggle = el("label", "switch");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.setAttribute("role", "switch");
  box.checked = job.enabled;
  box.setAttribute("aria-label", `${job.title}: on`);
  box.addEventListener("change", () =>
    act(`/api/schedules/${encodeURIComponent(job.id)}`, "POST", { enabled: box.checked }, () =>
      box.checked ? `${job.title} is on.` : `${job.title} is off; it stays in the list.`,
    ),
  );
  toggle.append(box, " On");
  const run = el("button", "button", "Run now");
  run.type = "button";
  run.disabled = job.running;
  run.setAttribute("aria-label", `Run ${job.title} now`);
  run.addEventListener("click", () =>
    act(
      `/api/schedules/${encodeURIComponent(job.id)}/run`,
      "POST",
      undefined,
      () => `${job.title} started; what it prepares waits for your approval.`,
    ),
  );
  const remove = el("button", "button danger", "Remove");
  remove.type = "button";
  remove.setAttribute("aria-label", `Remove ${job.title}`);
  remove.addEventListener("click", () =>
    act(`/api/schedules/${encodeURIComponent(job.id)}`, "DELETE", undefined, () => `${job.title} was removed.`),
  );
  controls.append(toggle, run, remove);
  row.append(text, controls);
  return row;
}

async function act(path, method, body, done) {
  try {
    await ask(method, path, body);
    say("ok", done());
  } catch (error) {
    say("error", error.message);
  }
  await renderJobs();
}

async function renderJobs() {
  let jobs;
  try {
    jobs = await ask("GET", "/api/schedules");
  } catch (error) {
    $("schedules").replaceChildren();
    $("schedules-empty").hidden = true;
    say("error", `The schedule could not be read: ${error.message}`);
    return;
  }
  $("schedules").replaceChildren(...jobs.map(jobRow));
  $("schedules-empty").hidden = jobs.length > 0;
}

// ---- adding a job --------------------------------------------------------------------------------

function chosenKind() {
  return kinds.find((kind) => kind.kind === $("schedule-kind").value);
}

function onKindChange() {
  const kind = chosenKind();
  if (!kind) return;
  const need = kind.needs.find((name) => name in TARGET);
  $("schedule-target-field").hidden = !need;
  if (need) {
    $("schedule-target-label").textContent = TARGET[need].label;
    $("schedule-target").placeholder = TARGET[need].placeholder;
    $("schedule-target-hint").textContent = kind.help[need] ?? "";
    $("schedule-target").dataset.param = need;
  }
  const usual = kind.when ?? {};
  if (usual.every_seconds) {
    $("schedule-how-every").checked = true;
    const minutes = usual.every_seconds / 60;
    $("schedule-every").value = String(Number.isInteger(minutes) ? minutes : usual.every_seconds);
    $("schedule-unit").value = Number.isInteger(minutes) ? "minutes" : "seconds";
  } else {
    $("schedule-how-daily").checked = true;
    const [minute, hour] = (usual.cron ?? "0 6 * * *").split(" ");
    if (/^\d+$/.test(minute) && /^\d+$/.test(hour)) {
      $("schedule-time").value = `${hour.padStart(2, "0")}:${minute.padStart(2, "0")}`;
    }
  }
}

// The form's "when" as the API takes it; a sentence when it cannot be read.
function whenOf() {
  if ($("schedule-how-every").checked) {
    const every = Number($("schedule-every").value);
    if (!Number.isFinite(every) || every <= 0) return { problem: "Give the interval as a number above 0." };
    return { every_seconds: Math.round(every * UNIT_SECONDS[$("schedule-unit").value]) };
  }
  const found = /^(\d{1,2}):(\d{2})$/.exec($("schedule-time").value);
  if (!found) return { problem: "Give a time of day, like 06:00." };
  return { cron: `${Number(found[2])} ${Number(found[1])} * * *` };
}

async function onAdd(event) {
  event.preventDefault();
  const kind = chosenKind();
  if (!kind) return say("error", "Choose what to schedule.");
  const when = whenOf();
  if (when.problem) return say("error", when.problem);
  const body = { kind: kind.kind, params: {}, ...when };
  const target = $("schedule-target");
  if (!$("schedule-target-field").hidden && target.value.trim()) body.params[target.dataset.param] = target.value.trim();
  const title = $("schedule-title").value.trim();
  if (title) body.title = title;
  const button = $("schedule-add");
  button.disabled = true;
  try {
    const added = await ask("POST", "/api/schedules", body);
    say("ok", `Added ${added.title}.`);
    target.value = "";
    $("schedule-title").value = "";
  } catch (error) {
    say("error", error.message);
  } finally {
    button.disabled = false;
  }
  await renderJobs();
}

// ---- start ---------------------------------------------------------------------------------------

async function load() {
  const pairing = await getPairing();
  const { [SESSION.CONNECTION]: connection } = await chrome.storage.session.get(SESSION.CONNECTION);
  const ready = pairing && connection?.status === STATUS.CONNECTED;
  $("schedules-body").hidden = !ready;
  $("schedules-note").textContent = ready ? "" : "Pair this browser with a running Deputy to see its schedule.";
  if (!ready) return;
  if (!kinds.length) {
    try {
      kinds = await ask("GET", "/api/schedules/kinds");
    } catch (error) {
      say("error", error.message);
      return;
    }
    $("schedule-kind").replaceChildren(
      ...kinds.map((kind) => {
        const option = el("option", "", kind.title);
        option.value = kind.kind;
        return option;
      }),
    );
    onKindChange();
  }
  await renderJobs();
}

function start() {
  $("schedule-kind").addEventListener("change", onKindChange);
  $("schedule-form").addEventListener("submit", onAdd);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && LOCAL.PAIRING in changes) load();
    if (area === "session" && SESSION.CONNECTION in changes) {
      const was = changes[SESSION.CONNECTION].oldValue?.status;
      if (was !== changes[SESSION.CONNECTION].newValue?.status) load();
    }
    if (area === "session" && SESSION.SCHEDULES in changes && !$("schedules-body").hidden) renderJobs();
  });
  load();
}

start();
