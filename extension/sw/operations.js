// What the user can do from the popup and the keyboard: answer approvals, pause or resume, start a
// task, unpair. Each calls the server, then refreshes the state it changed.

import { call, DeputyError } from "../shared/api.js";
import { getPairing, LOCAL, SESSION } from "../shared/storage.js";
import { renderBadge } from "./badge.js";
import { disconnect, onRequestFailure } from "./connection.js";
import { clearApproval, DIGEST_NOTIFICATION } from "./notify.js";
import { refreshDigest, refreshPending, refreshSchedules, refreshTasks, refreshTrips } from "./state.js";

const WATCH_KIND = "deploy_watch";

async function paired() {
  const pairing = await getPairing();
  if (!pairing)
    throw new DeputyError("unpaired", "This browser is not paired with Deputy yet: open the options page to pair.");
  return pairing;
}

async function guarded(work) {
  try {
    return await work();
  } catch (error) {
    await onRequestFailure(error);
    throw error;
  }
}

async function settle(pairing, approvalId) {
  await clearApproval(approvalId);
  try {
    await refreshPending(pairing);
  } finally {
    await renderBadge();
  }
}

export async function approve(id, { edits = null, likeThis = false } = {}) {
  const pairing = await paired();
  const body = { like_this: likeThis === true };
  if (edits && Object.keys(edits).length > 0) body.edits = edits;
  return guarded(async () => {
    try {
      return await call(pairing, "POST", `/api/approvals/${encodeURIComponent(id)}/approve`, body);
    } finally {
      await settle(pairing, id);
    }
  });
}

export async function reject(id, reason = "") {
  const pairing = await paired();
  const body = reason.trim() ? { reason: reason.trim() } : {};
  return guarded(async () => {
    try {
      return await call(pairing, "POST", `/api/approvals/${encodeURIComponent(id)}/reject`, body);
    } finally {
      await settle(pairing, id);
    }
  });
}

// The oldest pending approval as the server lists it now, not as last stored.
export async function oldestPending() {
  const pairing = await paired();
  const pending = await guarded(() => refreshPending(pairing));
  await renderBadge();
  return pending.length ? pending[pending.length - 1] : null;
}

export async function setPaused(paused) {
  const pairing = await paired();
  const state = await guarded(() => call(pairing, "POST", "/api/state", { paused: paused === true }));
  await chrome.storage.session.set({ [SESSION.SERVER_STATE]: state });
  await renderBadge();
  return state;
}

export async function currentPaused() {
  const pairing = await paired();
  const state = await guarded(() => call(pairing, "GET", "/api/state"));
  return state.paused === true;
}

export async function startTask(instruction, url) {
  const pairing = await paired();
  const body = { instruction };
  if (url) body.url = url;
  const task = await guarded(() => call(pairing, "POST", "/api/tasks", body));
  await refreshTasks(pairing).catch(() => undefined);
  return task;
}

// A group of the digest's waiting approvals, answered at once: all of them, or (if one was answered
// elsewhere meanwhile) none, as the server decides.
export async function answerGroup(ids, approveAll, reason = "") {
  const pairing = await paired();
  const body = { ids, approve: approveAll === true };
  if (!approveAll && reason.trim()) body.reason = reason.trim();
  return guarded(async () => {
    try {
      return await call(pairing, "POST", "/api/digest/answer", body);
    } finally {
      await Promise.all(ids.map(clearApproval));
      await Promise.allSettled([refreshPending(pairing), refreshDigest(pairing)]);
      await renderBadge();
    }
  });
}

export async function digestSeen() {
  const pairing = await paired();
  await guarded(() => call(pairing, "POST", "/api/digest/seen"));
  await chrome.storage.session.remove(SESSION.DIGEST);
  try {
    await chrome.notifications.clear(DIGEST_NOTIFICATION);
  } catch {
    // already gone
  }
}

// The popup's one switch stands for every deploy watch, so on means all of them are on.
export async function setWatch(on) {
  const pairing = await paired();
  const watches = (await guarded(() => refreshSchedules(pairing))).filter((job) => job.kind === WATCH_KIND);
  if (!watches.length) {
    throw new DeputyError("not-found", "No deploy watch is scheduled: add one under Schedules in Deputy's settings.");
  }
  try {
    for (const job of watches) {
      await guarded(() => call(pairing, "POST", `/api/schedules/${encodeURIComponent(job.id)}`, { enabled: on }));
    }
  } finally {
    await refreshSchedules(pairing).catch(() => undefined);
  }
  return { on };
}

// Check in a trip from mail with what the trip knows (booking code, the first passenger's last name,
// airline, flight) on the page the user named; the server ties the task to the trip. The page is
// remembered for the airline, in this browser only, because the mail that told of the trip is never trusted
// to say where to check in.
export async function startCheckin(tripId, url) {
  const pairing = await paired();
  const trips = await guarded(() => refreshTrips(pairing));
  const trip = trips.find((candidate) => candidate.id === tripId);
  if (!trip) throw new DeputyError("not-found", "Deputy no longer knows this trip; it may have been removed.");
  const lastName = (trip.passengers[0] ?? "").trim().split(/\s+/).pop() ?? "";
  const body = {
    url,
    booking_code: trip.booking_code,
    last_name: lastName,
    airline: trip.airline,
    flight: trip.flight,
    trip_id: trip.id,
  };
  const started = await guarded(() => call(pairing, "POST", "/api/checkins", body));
  const { [LOCAL.CHECKIN_PAGES]: pages = {} } = await chrome.storage.local.get(LOCAL.CHECKIN_PAGES);
  await chrome.storage.local.set({ [LOCAL.CHECKIN_PAGES]: { ...pages, [trip.airline.toLowerCase()]: url } });
  await Promise.allSettled([refreshTrips(pairing), refreshTasks(pairing)]);
  return started;
}

// Revoke this browser's token on the server (best effort: it may not be running), then forget it.
export async function unpair() {
  const pairing = await getPairing();
  disconnect();
  let revoked = false;
  if (pairing) {
    try {
      await call(pairing, "POST", `/api/clients/${encodeURIComponent(pairing.client)}/revoke`);
      revoked = true;
    } catch {
      revoked = false;
    }
  }
  await chrome.storage.local.remove(LOCAL.PAIRING);
  return { revoked };
}
