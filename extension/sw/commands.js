// Keyboard shortcuts (chrome.commands). Each one ends with a notification saying what it did, so an
// approval given from the keyboard is never given blind.

import { oneLine, RISK_LABEL } from "../shared/describe.js";
import { approve, currentPaused, oldestPending, reject, setPaused } from "./operations.js";
import { receipt } from "./notify.js";

export const COMMAND = Object.freeze({
  APPROVE_OLDEST: "approve-oldest",
  REJECT_OLDEST: "reject-oldest",
  TOGGLE_PAUSE: "toggle-pause",
});

const SHORTCUT_REASON = "Rejected with the keyboard shortcut.";

async function approveOldest() {
  const oldest = await oldestPending();
  if (!oldest) {
    await receipt("none", "Nothing to approve", "No approval is waiting for you.");
    return;
  }
  await approve(oldest.id);
  await receipt(
    "approved",
    "Approved",
    oneLine(oldest),
    `${RISK_LABEL[oldest.risk] ?? oldest.risk} · ${oldest.page_url ?? ""}`,
  );
}

async function rejectOldest() {
  const oldest = await oldestPending();
  if (!oldest) {
    await receipt("none", "Nothing to reject", "No approval is waiting for you.");
    return;
  }
  await reject(oldest.id, SHORTCUT_REASON);
  await receipt("rejected", "Rejected", oneLine(oldest), "Deputy will not do it.");
}

async function togglePause() {
  const paused = !(await currentPaused());
  await setPaused(paused);
  if (paused) await receipt("paused", "Deputy is paused", "Nothing runs until you resume it.");
  else await receipt("resumed", "Deputy resumed", "Tasks continue; it still asks before anything consequential.");
}

const HANDLERS = {
  [COMMAND.APPROVE_OLDEST]: approveOldest,
  [COMMAND.REJECT_OLDEST]: rejectOldest,
  [COMMAND.TOGGLE_PAUSE]: togglePause,
};

export async function onCommand(name) {
  const handler = HANDLERS[name];
  if (!handler) return;
  try {
    await handler();
  } catch (error) {
    await receipt("failed", "Deputy could not do that", error.message);
  }
}
