// What the worker learns from the server, kept in chrome.storage.session so the popup can read it and
// a restarted worker starts from it. Each refresh replaces one key with what the server says now.

import { call, DeputyError } from "../shared/api.js";
import { SESSION, STATUS } from "../shared/storage.js";

const ACTIVE_TASK = new Set(["queued", "running", "waiting"]);
const RECENT_COUNT = 5;

// One refresh per kind at a time; a request made meanwhile runs once more afterwards, so a burst of
// events costs two fetches and the stored value is never older than the last event.
const inFlight = new Map();

function coalesced(key, fetcher) {
  const running = inFlight.get(key);
  if (running) {
    running.again = true;
    return running.promise;
  }
  const entry = { again: false, promise: null };
  entry.promise = (async () => {
    try {
      let result;
      do {
        entry.again = false;
        result = await fetcher();
      } while (entry.again);
      return result;
    } finally {
      inFlight.delete(key);
    }
  })();
  inFlight.set(key, entry);
  return entry.promise;
}

export async function setConnection(status, detail = "", extra = {}) {
  const { [SESSION.CONNECTION]: previous } = await chrome.storage.session.get(SESSION.CONNECTION);
  const next = { attempt: 0, nextRetryAt: 0, ...(previous ?? {}), status, detail, ...extra };
  if (previous?.status !== status) next.since = Date.now();
  await chrome.storage.session.set({ [SESSION.CONNECTION]: next });
  return next;
}

export async function getConnection() {
  const { [SESSION.CONNECTION]: connection } = await chrome.storage.session.get(SESSION.CONNECTION);
  return connection ?? { status: STATUS.UNPAIRED, attempt: 0, nextRetryAt: 0 };
}

export function refreshPending(pairing) {
  return coalesced("pending", async () => {
    const list = await call(pairing, "GET", "/api/approvals?status=pending");
    list.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
    await chrome.storage.session.set({ [SESSION.PENDING]: list });
    return list;
  });
}

export function refreshTasks(pairing) {
  return coalesced("tasks", async () => {
    const list = await call(pairing, "GET", "/api/tasks?limit=50");
    const active = list.filter((task) => ACTIVE_TASK.has(task.status));
    const recent = list.filter((task) => !ACTIVE_TASK.has(task.status)).slice(0, RECENT_COUNT);
    const { [SESSION.STEPS]: steps = {} } = await chrome.storage.session.get(SESSION.STEPS);
    const kept = Object.fromEntries(Object.entries(steps).filter(([id]) => active.some((task) => task.id === id)));
    await chrome.storage.session.set({ [SESSION.TASKS]: active, [SESSION.RECENT]: recent, [SESSION.STEPS]: kept });
    return active;
  });
}

export function refreshUsage(pairing) {
  return coalesced("usage", async () => {
    let usage;
    try {
      usage = { available: true, ...(await call(pairing, "GET", "/api/usage?period=day")) };
    } catch (error) {
      if (!(error instanceof DeputyError) || error.kind !== "not-found") throw error;
      usage = { available: false };
    }
    await chrome.storage.session.set({ [SESSION.USAGE]: usage });
    return usage;
  });
}

export function refreshServerState(pairing) {
  return coalesced("state", async () => {
    const state = await call(pairing, "GET", "/api/state");
    await chrome.storage.session.set({ [SESSION.SERVER_STATE]: state });
    return state;
  });
}

export function refreshActions(pairing) {
  return coalesced("actions", async () => {
    const actions = await call(pairing, "GET", "/api/actions");
    await chrome.storage.session.set({ [SESSION.ACTIONS]: actions });
    return actions;
  });
}

// The schedule starts after the rest of the server: until it answers, there are no jobs to show.
export function refreshSchedules(pairing) {
  return coalesced("schedules", async () => {
    let list;
    try {
      list = await call(pairing, "GET", "/api/schedules");
    } catch (error) {
      if (!(error instanceof DeputyError) || error.status !== 503) throw error;
      list = [];
    }
    await chrome.storage.session.set({ [SESSION.SCHEDULES]: list });
    return list;
  });
}

export function refreshDigest(pairing) {
  return coalesced("digest", async () => {
    const digest = await call(pairing, "GET", "/api/digest");
    await chrome.storage.session.set({ [SESSION.DIGEST]: digest });
    return digest;
  });
}

// A digest on show follows what changes under it (groups answered, runs ended); none is fetched unasked.
export async function refreshShownDigest(pairing) {
  const { [SESSION.DIGEST]: shown } = await chrome.storage.session.get(SESSION.DIGEST);
  return shown ? refreshDigest(pairing) : null;
}

// Trips, and the boarding passes of each trip whose check-in finished (the event that named them may have
// come while this browser was closed).
export function refreshTrips(pairing) {
  return coalesced("trips", async () => {
    const trips = await call(pairing, "GET", "/api/trips");
    const { [SESSION.PASSES]: known = {} } = await chrome.storage.session.get(SESSION.PASSES);
    const passes = {};
    for (const trip of trips) {
      const taskId = trip.checkin_task_id;
      if (!taskId || trip.checkin_status !== "finished") continue;
      passes[taskId] = known[taskId]?.length
        ? known[taskId]
        : (await call(pairing, "GET", `/api/checkins/${encodeURIComponent(taskId)}`)).boarding_passes;
    }
    await chrome.storage.session.set({ [SESSION.TRIPS]: trips, [SESSION.PASSES]: passes });
    return trips;
  });
}

export async function refreshAll(pairing) {
  const results = await Promise.allSettled([
    refreshActions(pairing),
    refreshPending(pairing),
    refreshTasks(pairing),
    refreshUsage(pairing),
    refreshServerState(pairing),
    refreshSchedules(pairing),
    refreshShownDigest(pairing),
    refreshTrips(pairing),
  ]);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

export async function recordStep(data, finished) {
  if (!data?.task_id) return;
  const { [SESSION.STEPS]: steps = {} } = await chrome.storage.session.get(SESSION.STEPS);
  const previous = steps[data.task_id] ?? {};
  steps[data.task_id] = finished
    ? { ...previous, action: data.action, done: true, ok: data.ok, summary: data.summary ?? "", at: Date.now() }
    : { action: data.action, params: data.params ?? {}, done: false, at: Date.now() };
  await chrome.storage.session.set({ [SESSION.STEPS]: steps });
}

// Forget what a server said when the pairing changes or goes away.
export async function clearServerData() {
  await chrome.storage.session.remove([
    SESSION.PENDING,
    SESSION.ACTIONS,
    SESSION.TASKS,
    SESSION.RECENT,
    SESSION.STEPS,
    SESSION.USAGE,
    SESSION.SERVER_STATE,
    SESSION.NOTIFIED,
    SESSION.DIGEST,
    SESSION.SCHEDULES,
    SESSION.TRIPS,
    SESSION.PASSES,
  ]);
}
