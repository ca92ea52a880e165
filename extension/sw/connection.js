// The one authenticated WebSocket to Deputy's /api/events.
//
// Chrome may stop the worker at any time; everything that must survive is in chrome.storage. The
// socket object and timers below live only as long as this worker instance; a new instance finds
// no socket and opens one (the wake alarm makes sure a new instance starts). Each (re)connection
// fetches the pending approvals again, so nothing said while disconnected is lost.

import { checkHealth, DeputyError, eventsUrl } from "../shared/api.js";
import { getPairing, SESSION, STATUS } from "../shared/storage.js";
import { renderBadge } from "./badge.js";
import { handleEvent } from "./events.js";
import { announceNew } from "./notify.js";
import { clearServerData, getConnection, refreshAll, refreshServerState, setConnection } from "./state.js";

export const WAKE_ALARM = "deputy-wake";
const KEEPALIVE_MS = 20_000; // a message inside Chrome's 30 s idle window keeps the worker alive
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const CLOSE_POLICY = 1008; // the server refused the token or revoked this client

let socket = null;
let keepalive = null;
let retryTimer = null;
let opening = null;
let epoch = 0; // bumped by disconnect(): an attempt begun before it must not open a socket after it

export function isOpen() {
  return socket !== null && socket.readyState === WebSocket.OPEN;
}

export async function ensureWakeAlarm() {
  if (!(await chrome.alarms.get(WAKE_ALARM))) {
    await chrome.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 });
  }
}

// Connect unless connected, connecting, refused, or waiting out a backoff; `force` skips the last two.
export function ensureConnected({ force = false } = {}) {
  if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) {
    return Promise.resolve();
  }
  if (opening) return force ? opening.then(() => ensureConnected({ force })) : opening;
  opening = open(force).finally(() => {
    opening = null;
  });
  return opening;
}

export function disconnect() {
  epoch += 1;
  clearTimeout(retryTimer);
  clearInterval(keepalive);
  if (socket) {
    socket.intentional = true;
    socket.close(1000, "bye");
    socket = null;
  }
}

async function open(force) {
  const mine = epoch;
  const pairing = await getPairing();
  if (!pairing) {
    await setConnection(STATUS.UNPAIRED, "", { attempt: 0, nextRetryAt: 0 });
    await clearServerData();
    await renderBadge();
    return;
  }
  const connection = await getConnection();
  if (!force && connection.status === STATUS.REFUSED && connection.pairedAt === pairing.pairedAt) return;
  if (!force && connection.nextRetryAt > Date.now()) {
    scheduleRetry(connection.nextRetryAt - Date.now());
    return;
  }
  await setConnection(STATUS.CONNECTING, `Connecting to Deputy on port ${pairing.port}…`, { port: pairing.port });
  try {
    await checkHealth(pairing.port);
    // The token is checked over HTTP first: a socket refused at the handshake cannot say why.
    await refreshServerState(pairing);
  } catch (error) {
    if (error instanceof DeputyError && error.kind === "unauthorized") {
      await refuse(pairing, error.message);
      return;
    }
    const status = error instanceof DeputyError && error.kind === "not-deputy" ? STATUS.NOT_DEPUTY : STATUS.OFFLINE;
    await retryLater(status, error.message);
    return;
  }
  if (mine !== epoch) return; // unpaired or paired again meanwhile
  const ws = new WebSocket(eventsUrl(pairing.port));
  socket = ws;
  ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token: pairing.token }));
  // Frames are handled one at a time, in order, so a later event never races an earlier one.
  let inbox = Promise.resolve();
  ws.onmessage = (message) => {
    inbox = inbox.then(() => onFrame(ws, pairing, message)).catch((error) => console.warn(`Deputy: ${error.message}`));
  };
  ws.onclose = (closed) => onClose(ws, pairing, closed);
}

async function onFrame(ws, pairing, message) {
  let frame;
  try {
    frame = JSON.parse(message.data);
  } catch {
    return;
  }
  if (frame.type === "hello") {
    clearInterval(keepalive);
    keepalive = setInterval(
      () => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: "ping" })),
      KEEPALIVE_MS,
    );
    await setConnection(STATUS.CONNECTED, `Connected to Deputy on port ${pairing.port}`, {
      attempt: 0,
      nextRetryAt: 0,
      port: pairing.port,
    });
    await resync(pairing);
    return;
  }
  if (frame.type === "error") {
    ws.refusal = frame.detail; // the close that follows says why
    return;
  }
  try {
    await handleEvent(frame, pairing);
  } catch (error) {
    await onRequestFailure(error);
  }
}

// After every (re)connection: fetch all again, announce approvals that arrived meanwhile.
export async function resync(pairing) {
  try {
    await refreshAll(pairing);
    const { [SESSION.PENDING]: pending = [] } = await chrome.storage.session.get(SESSION.PENDING);
    await announceNew(pending);
  } catch (error) {
    await onRequestFailure(error);
  }
  await renderBadge();
}

async function onClose(ws, pairing, closed) {
  if (ws !== socket && socket !== null) return; // an older socket, already replaced
  socket = null;
  clearInterval(keepalive);
  if (ws.intentional) return;
  if (closed.code === CLOSE_POLICY) {
    const revoked = closed.reason === "client revoked" ? "This browser was unpaired from Deputy." : "";
    await refuse(pairing, ws.refusal ?? (revoked || "Deputy refused this browser's token."));
    return;
  }
  await retryLater(STATUS.OFFLINE, `Deputy on port ${pairing.port} closed the connection.`);
}

// The server no longer accepts the token: stop retrying (each try would count as a failed login) until
// the user pairs again.
async function refuse(pairing, detail) {
  await setConnection(STATUS.REFUSED, detail, { pairedAt: pairing?.pairedAt });
  await renderBadge();
}

// A 401 in the middle of things means the token is gone.
export async function onRequestFailure(error) {
  if (error instanceof DeputyError && error.kind === "unauthorized") {
    disconnect();
    await refuse(await getPairing(), error.message);
    return;
  }
  if (error instanceof DeputyError && error.kind === "offline") return; // the socket's close handles it
  console.warn(`Deputy: ${error.message}`);
}

async function retryLater(status, detail) {
  const { attempt = 0 } = await getConnection();
  const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  await setConnection(status, detail, { attempt: attempt + 1, nextRetryAt: Date.now() + delay });
  await renderBadge();
  scheduleRetry(delay);
}

function scheduleRetry(delay) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => ensureConnected(), delay);
}

export async function resetBackoff() {
  const { status, detail } = await getConnection();
  await setConnection(status, detail, { attempt: 0, nextRetryAt: 0 });
}
