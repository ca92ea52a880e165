// Where the extension keeps its state. The service worker can be stopped at any moment, so nothing
// lives in its globals: the pairing in chrome.storage.local (it survives restarts of the browser),
// everything learned from the server in chrome.storage.session (memory only, cleared with the browser).

export const LOCAL = Object.freeze({
  PAIRING: "pairing", // {port, token, client, pairedAt, version}
  CHECKIN_PAGES: "checkinPages", // {airline (lower case): the check-in page address the user gave}
});

export const SESSION = Object.freeze({
  CONNECTION: "connection", // {status, detail, since, attempt, nextRetryAt}
  PENDING: "pending", // pending approvals as the server lists them, newest first
  ACTIONS: "actions", // the server's action registry (GET /api/actions)
  TASKS: "tasks", // tasks still running or waiting
  RECENT: "recent", // the latest tasks that ended, with what was done and what it cost
  STEPS: "steps", // {task_id: {action, params, at}} the step each task is on
  USAGE: "usage", // today's usage, or {available: false}
  SERVER_STATE: "serverState", // {paused, updated_at}
  NOTIFIED: "notified", // ids of approvals already announced by a notification
  FOCUS: "focus", // the approval whose notification was clicked: the popup opens on it
  DIGEST: "digest", // the digest the server said is ready (GET /api/digest), until the user has read it
  SCHEDULES: "schedules", // scheduled jobs as GET /api/schedules lists them
  TRIPS: "trips", // trips found in mail (GET /api/trips), each with its latest check-in task
  PASSES: "passes", // {task_id: [file names]} boarding passes of the trips' finished check-ins
});

export const STATUS = Object.freeze({
  UNPAIRED: "unpaired", // no token: pair in the options page
  CONNECTING: "connecting",
  CONNECTED: "connected",
  OFFLINE: "offline", // nothing answers on the port; retrying with backoff
  NOT_DEPUTY: "not-deputy", // something else answers on the port; the token is never sent to it
  REFUSED: "refused", // the server refused the token (revoked or unknown): pair again
});

export const DEFAULT_PORT = 8740;

export async function getPairing() {
  const stored = await chrome.storage.local.get(LOCAL.PAIRING);
  return stored[LOCAL.PAIRING] ?? null;
}

export async function getSession(...keys) {
  return chrome.storage.session.get(keys.length ? keys : null);
}
