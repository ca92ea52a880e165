// Deputy's own approvals and costs page: the popup's cards, the digest and recent results, straight from
// the API.
// It pairs like the extension (a one-time code, then a token pinned to this page's origin) and keeps
// the token in this origin's storage. A code in the address's fragment (the tray puts one there) is
// used once and removed; the fragment never reaches the server's logs.

import { mountRules } from "/ui/extension/options/rules.js";
import { buildCard, tickExpiry } from "/ui/extension/popup/cards.js";
import { oneLine } from "/ui/extension/shared/describe.js";
import { renderDigest } from "/ui/extension/shared/digest.js";
import { humanize, usd } from "/ui/extension/shared/format.js";
import { ENDED, resultItem } from "/ui/extension/shared/results.js";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "deputy.page.token";
const NAME_KEY = "deputy.page.name";
const port = Number(location.port || 80);
const view = location.pathname.startsWith("/costs") ? "costs" : "approvals";
const screenshotUrls = new Map();
let refreshing = null;
let refreshAgain = false; // asked for while a refresh ran: what it fetched may predate the change
let refreshRules = null;
let digestWanted = false; // a digest is on show until the user says "Got it"

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${localStorage.getItem(TOKEN_KEY) ?? ""}` };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, error: "Deputy is not answering. Is it running?" };
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    return { ok: false, status: response.status, error: payload?.detail ?? `Deputy answered ${response.status}.` };
  }
  return { ok: true, status: response.status, data: payload };
}

const answer = {
  approve: (id, edits, likeThis) =>
    api("POST", `/api/approvals/${encodeURIComponent(id)}/approve`, {
      edits: Object.keys(edits ?? {}).length ? edits : null,
      like_this: likeThis === true,
    }),
  reject: (id, reason) =>
    api("POST", `/api/approvals/${encodeURIComponent(id)}/reject`, { reason: reason || null }),
};

// The rules section's calls: the page's own token; a refusal becomes an Error carrying Deputy's reason.
async function ruleCall(method, path, body) {
  const result = await api(method, path, body);
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

const rulesClient = {
  list: () => ruleCall("GET", "/api/rules"),
  remove: (id) => ruleCall("DELETE", `/api/rules/${id}`),
  edit: (id, change) => ruleCall("PATCH", `/api/rules/${id}`, change),
  plain: (words) => ruleCall("POST", "/api/rules/plain", { text: words }),
};

function setConnection(text, cls) {
  $("conn").textContent = text;
  $("conn").className = `conn ${cls}`;
}

function clientName() {
  let name = localStorage.getItem(NAME_KEY);
  if (!name) {
    name = `page-${Math.random().toString(36).slice(2, 8)}`;
    localStorage.setItem(NAME_KEY, name);
  }
  return name;
}

async function pairWith(code) {
  const result = await api("POST", "/api/pair", { code, client: clientName() });
  if (result.ok) localStorage.setItem(TOKEN_KEY, result.data.token);
  return result;
}

function showPairing(message = "") {
  $("pair-box").hidden = false;
  $("approvals-view").hidden = true;
  $("costs-view").hidden = true;
  $("pair-result").textContent = message;
  setConnection("Not paired", "problem");
}

function renderApprovals(pending, actions, tasks) {
  const list = $("approvals");
  const existing = new Map([...list.querySelectorAll(".card")].map((card) => [card.dataset.id, card]));
  const wanted = new Set(pending.map((approval) => approval.id));
  // A card being answered stays until its answer says how it went (the server's event can come first).
  const kept = (card) => card.classList.contains("answered") || card.classList.contains("answering");
  for (const [id, card] of existing) if (!wanted.has(id) && !kept(card)) card.remove();
  const pairing = { port, token: localStorage.getItem(TOKEN_KEY) };
  pending.forEach((approval, index) => {
    let card = existing.get(approval.id);
    if (!card) {
      card = buildCard(approval, {
        actions,
        tasks,
        pairing,
        urls: screenshotUrls,
        answer,
        onAnswered: (done, message) => {
          $("announce").textContent = `${message} (${oneLine(done)})`;
          setTimeout(refresh, 800);
        },
      });
    }
    if (list.children[index] !== card) list.insertBefore(card, list.children[index] ?? null);
  });
  for (const card of list.querySelectorAll(".card.answered")) {
    if (!wanted.has(card.dataset.id)) setTimeout(() => card.remove(), 800);
  }
  $("approvals-count").textContent = pending.length ? `(${pending.length})` : "";
  $("empty").hidden = pending.length > 0;
  tickExpiry(list);
}

async function showDigest() {
  const box = $("digest");
  const digest = await api("GET", "/api/digest");
  box.hidden = !digestWanted || !digest.ok;
  if (box.hidden) return;
  renderDigest(box, digest.data, {
    answer: (ids, approve) => api("POST", "/api/digest/answer", { ids, approve }),
    dismiss: async () => {
      const seen = await api("POST", "/api/digest/seen");
      if (seen.ok) {
        digestWanted = false;
        box.hidden = true;
      }
      return seen;
    },
  });
}

// On opening the page, a digest is shown when something ran or looked wrong since the last one was read.
async function firstDigest() {
  const digest = await api("GET", "/api/digest");
  digestWanted = digest.ok && (digest.data.ran.length > 0 || digest.data.suspicious.length > 0);
}

function renderRecent(tasks) {
  const ended = tasks.filter((task) => ENDED.has(task.status)).slice(0, 10);
  $("recent").replaceChildren(...ended.map(resultItem));
  $("recent-empty").hidden = ended.length > 0;
}

function renderCosts(usage) {
  const budget = usage.budget?.day_usd;
  const spend = usd(usage.spend_usd ?? 0, { precise: true });
  $("spend-line").textContent =
    budget === null || budget === undefined ? `${spend} spent today` : `${spend} of ${usd(budget)} spent today`;
  const rows = Object.entries(usage.outcomes ?? {}).map(([name, count]) => {
    const row = document.createElement("tr");
    const per = usage.cost_per_outcome?.[name];
    for (const text of [humanize(name), String(count), per === null || per === undefined ? "—" : usd(per, { precise: true })]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  $("outcomes").tBodies[0].replaceChildren(...rows);
  const waste = usage.waste;
  $("waste-line").textContent = waste ? `Spent on tasks that got nothing done: ${usd(waste.usd ?? 0, { precise: true })}` : "";
}

async function load() {
  if (view === "costs") {
    const usage = await api("GET", "/api/usage?period=day");
    if (!usage.ok) return usage;
    renderCosts(usage.data);
    return usage;
  }
  const [pending, actions, tasks, state] = await Promise.all([
    api("GET", "/api/approvals?status=pending"),
    api("GET", "/api/actions"),
    api("GET", "/api/tasks?limit=50"),
    api("GET", "/api/state"),
  ]);
  const failed = [pending, actions, tasks, state].find((result) => !result.ok);
  if (failed) return failed;
  $("paused-banner").hidden = state.data.paused !== true;
  renderApprovals(pending.data, actions.data, tasks.data);
  renderRecent(tasks.data);
  if (refreshRules) refreshRules();
  else refreshRules = mountRules($("rules"), rulesClient);
  if (digestWanted) await showDigest();
  return pending;
}

async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshAgain = false;
  refreshing = (async () => {
    const result = await load();
    if (!result.ok && (result.status === 401 || result.status === 403)) {
      localStorage.removeItem(TOKEN_KEY);
      showPairing("This page's pairing is no longer valid. Enter a fresh code.");
    } else if (!result.ok) {
      setConnection(result.error, "problem");
    } else {
      $("pair-box").hidden = true;
      $(`${view}-view`).hidden = false;
      setConnection("Connected", "connected");
    }
  })().finally(() => {
    refreshing = null;
    if (refreshAgain) refresh();
  });
  return refreshing;
}

function follow() {
  const socket = new WebSocket(`ws://${location.host}/api/events`);
  socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token: localStorage.getItem(TOKEN_KEY) }));
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "digest.ready") {
      digestWanted = true;
      showDigest(); // now, even while a refresh begun before the event is still running
    }
    if (event.type !== "hello" && event.type !== "pong") refresh();
  };
  socket.onclose = () => setTimeout(follow, 2000);
}

async function start() {
  if (location.hostname === "localhost") {
    location.replace(`http://127.0.0.1:${location.port}${location.pathname}${location.hash}`);
    return;
  }
  $(`nav-${view}`).setAttribute("aria-current", "page");
  const code = new URLSearchParams(location.hash.slice(1)).get("code");
  history.replaceState(null, "", location.pathname);
  const paired = localStorage.getItem(TOKEN_KEY) && (await api("GET", "/api/state")).ok;
  if (!paired && code) {
    const result = await pairWith(code);
    if (!result.ok) return showPairing(result.error);
  } else if (!paired) {
    return showPairing();
  }
  if (view === "approvals") await firstDigest();
  await refresh();
  follow();
  setInterval(() => {
    if (tickExpiry($("approvals"))) refresh();
  }, 1000);
}

$("pair-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await pairWith($("pair-code").value.trim());
  if (!result.ok) {
    $("pair-result").textContent = result.error;
    return;
  }
  if (view === "approvals") await firstDigest();
  await refresh();
  follow();
});

start();
