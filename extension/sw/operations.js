// What the user can do from the popup and the keyboard: answer approvals, pause or resume, start a
// task, unpair. Each calls the server, then refreshes the state it changed.

import { call, DeputyError } from "../shared/api.js";
import { getPairing, LOCAL, SESSION } from "../shared/storage.js";
import { renderBadge } from "./badge.js";
import { disconnect, onRequestFailure } from "./connection.js";
import { clearApproval } from "./notify.js";
import { refreshPending, refreshTasks } from "./state.js";

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
