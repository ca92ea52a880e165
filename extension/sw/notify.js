// System notifications: one for each new approval (clicking it opens the popup on that approval), one
// for a deploy alert, a ready digest, a trip whose check-in opened and boarding passes saved (each opens
// the popup), and a receipt for whatever a keyboard shortcut did, so nothing is approved blind.

import { oneLine, RISK_LABEL } from "../shared/describe.js";
import { departure, flightOf, usd } from "../shared/format.js";
import { SESSION } from "../shared/storage.js";

const ICON = "icons/icon128.png";
const APPROVAL_PREFIX = "approval:";
export const DIGEST_NOTIFICATION = "digest";
const TRIP_PREFIX = "trip:";
const PASSES_PREFIX = "passes:";
const AT_MOST = 3; // more than this at once become one summary, not a wall of toasts

async function show(id, options) {
  try {
    await chrome.notifications.create(id, { type: "basic", iconUrl: ICON, priority: 1, ...options });
  } catch (error) {
    console.warn(`Deputy could not show a notification: ${error.message}`);
  }
}

export function approvalNotificationId(approvalId) {
  return `${APPROVAL_PREFIX}${approvalId}`;
}

export function approvalIdOf(notificationId) {
  return notificationId.startsWith(APPROVAL_PREFIX) ? notificationId.slice(APPROVAL_PREFIX.length) : null;
}

// Announce approvals not announced before; forget ids that are no longer pending.
export async function announceNew(pending) {
  const { [SESSION.NOTIFIED]: notified = [] } = await chrome.storage.session.get(SESSION.NOTIFIED);
  const fresh = pending.filter((approval) => !notified.includes(approval.id)).reverse(); // oldest first
  await chrome.storage.session.set({ [SESSION.NOTIFIED]: pending.map((approval) => approval.id) });
  for (const approval of fresh.slice(0, AT_MOST)) {
    await show(approvalNotificationId(approval.id), {
      title: "Deputy asks before it acts",
      message: oneLine(approval),
      contextMessage: `${RISK_LABEL[approval.risk] ?? approval.risk} · ${usd(approval.cost_so_far_usd)} so far · click to review`,
      requireInteraction: true,
    });
  }
  if (fresh.length > AT_MOST) {
    await show("approvals:more", {
      title: "Deputy is waiting for you",
      message: `${fresh.length - AT_MOST} more approvals are waiting. Open Deputy to review them.`,
    });
  }
}

// The alert names its rollback approval: the notification takes that approval's place, so a click opens
// the popup on the rollback and one notification says both.
export async function announceAlert(alert) {
  const evidence = Array.isArray(alert.evidence) ? alert.evidence : [];
  const id = alert.approval_id ? approvalNotificationId(alert.approval_id) : `alert:${Date.now()}`;
  await show(id, {
    title: "Deploy alert",
    message: alert.summary || "The deploy dashboard shows a problem.",
    contextMessage: alert.approval_id
      ? "A rollback waits for your approval · click to review"
      : (evidence[0] ?? "Nothing was changed."),
    requireInteraction: true,
  });
}

export async function announceDigest(digest) {
  const waiting = (digest.waiting ?? []).reduce((sum, group) => sum + group.ids.length, 0);
  await show(DIGEST_NOTIFICATION, {
    title: "While you were away",
    message: digest.headline,
    contextMessage: waiting ? `${waiting} waiting for you · click to review` : "Click to see the summary",
  });
}

// Notifications whose click opens the popup where the thing they announce is shown.
export function opensPopup(notificationId) {
  return (
    notificationId === DIGEST_NOTIFICATION ||
    notificationId.startsWith(TRIP_PREFIX) ||
    notificationId.startsWith(PASSES_PREFIX)
  );
}

export async function announceCheckinOpen(trip) {
  const passengers = Array.isArray(trip.passengers) ? trip.passengers.join(", ") : "";
  await show(`${TRIP_PREFIX}${trip.id}`, {
    title: "Check-in is open",
    message: `${flightOf(trip)}, departing ${departure(trip.departs_at)}`,
    contextMessage: passengers ? `${passengers} · click to check in` : "Click to check in",
    requireInteraction: true,
  });
}

export async function announceBoardingPass(checkin) {
  const files = Array.isArray(checkin.files) ? checkin.files : [];
  await show(`${PASSES_PREFIX}${checkin.task_id}`, {
    title: files.length === 1 ? "Boarding pass saved" : `${files.length} boarding passes saved`,
    message: `Checked in: ${flightOf(checkin)}`,
    contextMessage: "Click to open them in Deputy",
  });
}

export async function clearApproval(approvalId) {
  try {
    await chrome.notifications.clear(approvalNotificationId(approvalId));
  } catch {
    // already gone
  }
}

export async function receipt(kind, title, message, contextMessage = "") {
  await show(`receipt:${kind}:${Date.now()}`, { title, message, contextMessage });
}
