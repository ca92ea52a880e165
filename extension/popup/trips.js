// The popup's trips: each flight found in mail (airline, flight, departure in local time, passengers,
// booking code), "Check in" while its window is open, the check-in's progress, and its boarding passes.
//
// The check-in page is asked for, never taken from the mail: a booking email is the most hostile text
// Deputy reads, so an address in it could send the travellers' details anywhere. The field is filled
// with the page the user gave last time for that airline, or the page of a scheduled check-in job of theirs.

import { checkHealth, fetchBlob } from "../shared/api.js";
import { departure, humanize, parseServerTime } from "../shared/format.js";
import { MSG, send } from "../shared/messages.js";
import { getPairing, LOCAL, SESSION, STATUS } from "../shared/storage.js";

const $ = (id) => document.getElementById(id);

const ACTIVE = new Set(["queued", "running", "waiting"]);
const ENDED_BADLY = new Set(["failed", "cancelled", "interrupted"]);
const WATCHED = [SESSION.TRIPS, SESSION.PASSES, SESSION.TASKS, SESSION.STEPS, SESSION.SCHEDULES, SESSION.CONNECTION];

const items = new Map(); // trip id → its list item, kept so a half-typed address survives a refresh
const passUrls = new Map(); // "task/name" → object URL of the fetched boarding pass
let healthy = false; // the paired port answered as Deputy: only then does a token go with a request

function known(pages, schedules, airline) {
  const wanted = airline.toLowerCase();
  if (pages[wanted]) return pages[wanted];
  const job = schedules.find(
    (candidate) =>
      candidate.kind === "checkin" &&
      typeof candidate.params?.url === "string" &&
      (!candidate.params.airline || candidate.params.airline.toLowerCase() === wanted),
  );
  return job?.params.url ?? "";
}

function progressOf(trip, tasks, steps) {
  const taskId = trip.checkin_task_id;
  if (!taskId) return null;
  const task = tasks.find((candidate) => candidate.id === taskId);
  const status = task?.status ?? trip.checkin_status ?? "queued";
  if (status === "waiting") return { status, text: "Waiting for your approval" };
  if (status === "queued") return { status, text: "Starting check-in…" };
  if (status === "running") {
    const step = steps[taskId];
    return { status, text: step ? `Checking in: ${humanize(step.action)}${step.done ? "" : "…"}` : "Checking in…" };
  }
  if (status === "finished") return { status, text: "Checked in" };
  return { status, text: `Check-in ${status}; you can try again` };
}

function windowOf(trip, now) {
  const opens = parseServerTime(trip.window_opens);
  const departs = parseServerTime(trip.departs_at);
  if (departs !== null && now >= departs) return { open: false, text: "Departed" };
  if (opens !== null && now < opens) return { open: false, text: `Check-in opens ${departure(trip.window_opens)}` };
  return { open: true, text: "Check-in is open" };
}

function buildItem(trip) {
  const item = document.createElement("li");
  item.className = "task trip";
  item.dataset.id = String(trip.id);
  const title = document.createElement("span");
  title.className = "task-instruction";
  const code = document.createElement("span");
  code.className = "task-cost trip-code";
  const when = document.createElement("span");
  when.className = "trip-line trip-when";
  const who = document.createElement("span");
  who.className = "trip-line trip-who";
  const state = document.createElement("span");
  state.className = "task-step trip-state";
  const form = document.createElement("form");
  form.className = "trip-form";
  const label = document.createElement("label");
  label.className = "visually-hidden";
  const input = document.createElement("input");
  input.type = "text";
  input.inputMode = "url";
  input.id = `trip-url-${trip.id}`;
  input.placeholder = "Airline's check-in page (https://…)";
  input.autocomplete = "off";
  input.maxLength = 2000;
  label.htmlFor = input.id;
  const button = document.createElement("button");
  button.className = "button primary";
  button.type = "submit";
  button.textContent = "Check in";
  const row = document.createElement("div");
  row.className = "ask-row";
  row.append(input, button);
  const result = document.createElement("p");
  result.className = "ask-result";
  result.setAttribute("role", "status");
  form.append(label, row, result);
  form.addEventListener("submit", (event) => onCheckIn(event, trip.id, input, button, result));
  const passes = document.createElement("ul");
  passes.className = "trip-passes";
  passes.setAttribute("aria-label", "Boarding passes");
  item.append(title, code, when, who, state, form, passes);
  return item;
}

async function onCheckIn(event, tripId, input, button, result) {
  event.preventDefault();
  const url = input.value.trim();
  if (!/^https?:\/\/[^/\s]+/.test(url)) {
    result.className = "ask-result error";
    result.textContent = "Enter the airline's check-in page, a web address starting with https://.";
    input.focus();
    return;
  }
  button.disabled = true;
  result.className = "ask-result";
  result.textContent = "Starting check-in…";
  const answer = await send(MSG.START_CHECKIN, { tripId, url });
  button.disabled = false;
  result.className = `ask-result ${answer.ok ? "ok" : "error"}`;
  result.textContent = answer.ok
    ? "Started: Deputy asks here before the declaration and the final button."
    : `Deputy could not start the check-in: ${answer.error}`;
}

async function passLink(pairing, taskId, name) {
  const link = document.createElement("a");
  link.textContent = name;
  link.download = name;
  link.target = "_blank";
  link.setAttribute("aria-label", `Boarding pass ${name}`);
  const key = `${taskId}/${name}`;
  if (!passUrls.has(key)) {
    // The file needs the token, so it is fetched here and linked as a local copy.
    const path = `/api/checkins/${encodeURIComponent(taskId)}/boarding-pass/${encodeURIComponent(name)}`;
    passUrls.set(key, URL.createObjectURL(await fetchBlob(pairing, path)));
  }
  link.href = passUrls.get(key);
  const item = document.createElement("li");
  item.append(link);
  return item;
}

async function showPasses(list, pairing, taskId, names) {
  const shown = JSON.stringify([taskId, names]);
  if (list.dataset.shown === shown) return;
  list.dataset.shown = shown;
  try {
    list.replaceChildren(...(await Promise.all(names.map((name) => passLink(pairing, taskId, name)))));
  } catch (error) {
    const note = document.createElement("li");
    note.className = "ask-result error";
    note.textContent = `The boarding pass could not be fetched: ${error.message}`;
    list.replaceChildren(note);
    list.dataset.shown = "";
  }
}

function update(item, trip, context) {
  const { tasks, steps, passes, pages, schedules, pairing, now } = context;
  const [title, code, when, who, state, form, passList] = item.children;
  title.textContent = [trip.airline, trip.flight].filter(Boolean).join(" ");
  code.textContent = trip.booking_code;
  code.setAttribute("aria-label", `Booking ${trip.booking_code}`);
  when.textContent = `Departs ${departure(trip.departs_at)}`;
  who.textContent = trip.passengers.join(", ");
  const opening = windowOf(trip, now);
  const progress = progressOf(trip, tasks, steps);
  const pill = document.createElement("span");
  pill.className = `pill ${progress?.status ?? (opening.open ? "waiting" : "queued")}`;
  pill.textContent = progress ? humanize(progress.status) : opening.open ? "Open" : "Not yet";
  const words = document.createElement("span");
  words.textContent = progress?.text ?? opening.text;
  state.replaceChildren(pill, words);
  const busy = progress && (ACTIVE.has(progress.status) || progress.status === "finished");
  form.hidden = !opening.open || Boolean(busy);
  const [label, row] = form.children;
  const input = row.querySelector("input");
  label.textContent = `Check-in page for ${trip.airline}`;
  if (!input.value && document.activeElement !== input) input.value = known(pages, schedules, trip.airline);
  if (progress && ENDED_BADLY.has(progress.status)) row.querySelector("button").textContent = "Check in again";
  const names = trip.checkin_task_id ? (passes[trip.checkin_task_id] ?? []) : [];
  passList.hidden = names.length === 0;
  if (names.length && pairing && healthy) showPasses(passList, pairing, trip.checkin_task_id, names);
}

async function render() {
  const session = await chrome.storage.session.get(WATCHED);
  const { [LOCAL.CHECKIN_PAGES]: pages = {} } = await chrome.storage.local.get(LOCAL.CHECKIN_PAGES);
  const pairing = await getPairing();
  const trips = session[SESSION.TRIPS] ?? [];
  if (pairing && !healthy && session[SESSION.CONNECTION]?.status === STATUS.CONNECTED) {
    try {
      await checkHealth(pairing.port);
      healthy = true;
    } catch {
      healthy = false; // the connection chip says what is wrong
    }
  }
  const context = {
    tasks: session[SESSION.TASKS] ?? [],
    steps: session[SESSION.STEPS] ?? {},
    passes: session[SESSION.PASSES] ?? {},
    schedules: session[SESSION.SCHEDULES] ?? [],
    pages,
    pairing,
    now: Date.now(),
  };
  const list = $("trips");
  for (const [id, item] of items) {
    if (trips.some((trip) => String(trip.id) === id)) continue;
    item.remove();
    items.delete(id);
  }
  trips.forEach((trip, index) => {
    const id = String(trip.id);
    if (!items.has(id)) items.set(id, buildItem(trip));
    const item = items.get(id);
    update(item, trip, context);
    if (list.children[index] !== item) list.insertBefore(item, list.children[index] ?? null);
  });
  $("trips-group").hidden = trips.length === 0;
}

render();
chrome.storage.onChanged.addListener((changes, area) => {
  const session = area === "session" && WATCHED.some((key) => key in changes);
  if (session || (area === "local" && LOCAL.CHECKIN_PAGES in changes)) render();
});
