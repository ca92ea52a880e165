// What the worker does with each server event: refresh the part of its state the event touches.

import { SESSION } from "../shared/storage.js";
import { renderBadge } from "./badge.js";
import {
  announceAlert,
  announceBoardingPass,
  announceCheckinOpen,
  announceDigest,
  announceNew,
  clearApproval,
} from "./notify.js";
import {
  recordStep,
  refreshDigest,
  refreshPending,
  refreshSchedules,
  refreshShownDigest,
  refreshTasks,
  refreshTrips,
  refreshUsage,
} from "./state.js";

export const EVENT = Object.freeze({
  APPROVAL_CREATED: "approval.created",
  APPROVAL_DECIDED: "approval.decided",
  STATE_CHANGED: "state.changed",
  TASK_CREATED: "task.created",
  TASK_UPDATED: "task.updated",
  TASK_FINISHED: "task.finished",
  STEP_STARTED: "step.started",
  STEP_FINISHED: "step.finished",
  USAGE_RECORDED: "usage.recorded",
  SCHEDULE_RAN: "schedule.ran",
  WATCH_ALERT: "watch.alert",
  DIGEST_READY: "digest.ready",
  TRIP_CHECKIN_OPEN: "trip.checkin_open",
  CHECKIN_BOARDING_PASS: "checkin.boarding_pass",
});

async function storePasses(data) {
  const files = Array.isArray(data.files) ? data.files.filter((name) => typeof name === "string") : [];
  if (typeof data.task_id !== "string" || !files.length) return;
  const { [SESSION.PASSES]: passes = {} } = await chrome.storage.session.get(SESSION.PASSES);
  await chrome.storage.session.set({ [SESSION.PASSES]: { ...passes, [data.task_id]: files } });
}

export async function handleEvent(event, pairing) {
  const data = event.data ?? {};
  switch (event.type) {
    case EVENT.APPROVAL_CREATED:
      await announceNew(await refreshPending(pairing));
      break;
    case EVENT.APPROVAL_DECIDED:
      await clearApproval(data.id);
      await announceNew(await refreshPending(pairing));
      await refreshShownDigest(pairing);
      break;
    case EVENT.STATE_CHANGED:
      await chrome.storage.session.set({
        [SESSION.SERVER_STATE]: { paused: data.paused === true, updated_at: data.updated_at ?? null },
      });
      break;
    case EVENT.TASK_CREATED:
    case EVENT.TASK_UPDATED:
      await refreshTasks(pairing);
      break;
    case EVENT.TASK_FINISHED:
      // A trip's check-in may be the task that ended: its trip shows the outcome.
      await Promise.all([refreshTasks(pairing), refreshTrips(pairing)]);
      break;
    case EVENT.STEP_STARTED:
      await recordStep(data, false);
      break;
    case EVENT.STEP_FINISHED:
      await recordStep(data, true);
      break;
    case EVENT.USAGE_RECORDED:
      await Promise.all([refreshUsage(pairing), refreshTasks(pairing)]);
      break;
    case EVENT.SCHEDULE_RAN:
      await Promise.all([refreshSchedules(pairing), refreshShownDigest(pairing)]);
      break;
    case EVENT.WATCH_ALERT:
      await announceAlert(data);
      break;
    case EVENT.DIGEST_READY:
      await announceDigest(await refreshDigest(pairing));
      break;
    case EVENT.TRIP_CHECKIN_OPEN:
      await refreshTrips(pairing);
      await announceCheckinOpen(data);
      break;
    case EVENT.CHECKIN_BOARDING_PASS:
      await storePasses(data);
      await refreshTrips(pairing);
      await announceBoardingPass(data);
      break;
    default:
      return; // hello, pong, and events this version does not show
  }
  await renderBadge();
}
