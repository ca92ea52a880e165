// Talking to Deputy's local server: every call goes to 127.0.0.1 on the paired port, with the token
// in the Authorization header (never in a URL). Failures become DeputyError with a kind the pages
// turn into a message a person can act on.

const TIMEOUT_MS = 8000;
const HEALTH_TIMEOUT_MS = 3000;

export class DeputyError extends Error {
  constructor(kind, message, status = 0) {
    super(message);
    // offline | not-deputy | unauthorized | forbidden | locked | not-found | conflict | invalid | server
    this.kind = kind;
    this.status = status;
  }
}

export function serverUrl(port) {
  return `http://127.0.0.1:${port}`;
}

export function eventsUrl(port) {
  return `ws://127.0.0.1:${port}/api/events`;
}

async function detailOf(response) {
  try {
    const body = await response.json();
    if (typeof body?.detail === "string") return body.detail;
  } catch {
    // not JSON: fall through to the status line
  }
  return `${response.status} ${response.statusText}`.trim();
}

const KIND_BY_STATUS = {
  400: "invalid",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  413: "invalid",
  422: "invalid",
  429: "locked",
};

async function failure(response) {
  const kind = KIND_BY_STATUS[response.status] ?? "server";
  return new DeputyError(kind, await detailOf(response), response.status);
}

async function send(url, init, timeout) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeout), cache: "no-store", credentials: "omit" });
  } catch (error) {
    throw new DeputyError(
      "offline",
      `Nothing answers at ${new URL(url).host} (${error.name === "TimeoutError" ? "timed out" : "refused"}).`,
    );
  }
}

// Refuse to talk to a server that does not say it is Deputy, so a token is never sent to a stranger.
export async function checkHealth(port) {
  const response = await send(`${serverUrl(port)}/api/health`, { method: "GET" }, HEALTH_TIMEOUT_MS);
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok || body?.app !== "deputy") {
    throw new DeputyError("not-deputy", `The server on port ${port} is not Deputy.`, response.status);
  }
  return body;
}

export async function pair(port, code, client) {
  const response = await send(
    `${serverUrl(port)}/api/pair`,
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code, client }) },
    TIMEOUT_MS,
  );
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function call(pairing, method, path, body) {
  const headers = { Authorization: `Bearer ${pairing.token}` };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await send(`${serverUrl(pairing.port)}${path}`, init, TIMEOUT_MS);
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function fetchBlob(pairing, path) {
  const response = await send(
    `${serverUrl(pairing.port)}${path}`,
    { method: "GET", headers: { Authorization: `Bearer ${pairing.token}` } },
    TIMEOUT_MS,
  );
  if (!response.ok) throw await failure(response);
  return response.blob();
}
