// Deputy's service worker: listeners are registered synchronously at the top level, so Chrome can
// wake this worker for any of them; everything it knows is in chrome.storage, never in globals.

import { LOCAL, SESSION, STATUS } from "./shared/storage.js";
import { renderBadge } from "./sw/badge.js";
import { onCommand } from "./sw/commands.js";
import { disconnect, ensureConnected, ensureWakeAlarm, WAKE_ALARM } from "./sw/connection.js";
import { approvalIdOf, opensPopup } from "./sw/notify.js";
import { onMessage } from "./sw/router.js";
import { clearServerData, setConnection } from "./sw/state.js";

chrome.runtime.onMessage.addListener(onMessage);

chrome.commands.onCommand.addListener((name) => {
  onCommand(name);
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === WAKE_ALARM) ensureConnected();
});

chrome.notifications.onClicked.addListener(async (notificationId) => {
  const approvalId = approvalIdOf(notificationId);
  chrome.notifications.clear(notificationId);
  if (approvalId === null && !opensPopup(notificationId)) return;
  if (approvalId !== null) await chrome.storage.session.set({ [SESSION.FOCUS]: approvalId });
  try {
    await chrome.action.openPopup();
  } catch {
    // No focused window to anchor the popup to: show the same page in a tab instead.
    await chrome.tabs.create({
      url: chrome.runtime.getURL(
        approvalId === null ? "popup/popup.html" : `popup/popup.html?approval=${encodeURIComponent(approvalId)}`,
      ),
    });
  }
});

// A new pairing (or unpairing) replaces everything learned from the previous server.
chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area !== "local" || !(LOCAL.PAIRING in changes)) return;
  disconnect();
  await clearServerData();
  await setConnection(changes[LOCAL.PAIRING].newValue ? STATUS.CONNECTING : STATUS.UNPAIRED, "", {
    attempt: 0,
    nextRetryAt: 0,
  });
  await renderBadge();
  await ensureConnected({ force: true });
});

// Every start of the worker (install, browser start, a wake-up by any event) reconnects.
ensureWakeAlarm();
ensureConnected();
