// Pairing: check that Deputy (and nothing else) answers on the port, exchange the one-time code for a
// token, keep the token in chrome.storage.local. The worker connects as soon as the token is stored.

import { checkHealth, DeputyError, pair } from "../shared/api.js";
import { MSG, send } from "../shared/messages.js";
import { DEFAULT_PORT, getPairing, LOCAL, SESSION, STATUS } from "../shared/storage.js";

const CODE_LENGTH = 8;
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

const $ = (id) => document.getElementById(id);

function notice(element, kind, title, detail = "", extra = null) {
  element.className = `notice ${kind}`;
  element.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = title;
  element.append(strong);
  if (detail) {
    const line = document.createElement("span");
    line.textContent = detail;
    element.append(line);
  }
  if (extra) element.append(extra);
}

function normalizeCode(raw) {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

// ---- the connection panel ------------------------------------------------------------------------

async function renderConnection() {
  const pairing = await getPairing();
  const { [SESSION.CONNECTION]: connection } = await chrome.storage.session.get(SESSION.CONNECTION);
  const box = $("connection");
  $("paired-actions").hidden = !pairing;
  if (!pairing) {
    notice(box, "", "Not paired yet", "Pair below to see and answer Deputy's requests in this browser.");
    return;
  }
  const since = new Date(pairing.pairedAt).toLocaleString();
  const about = `Paired as “${pairing.client}” on ${since}${pairing.version ? ` · Deputy ${pairing.version}` : ""}.`;
  switch (connection?.status) {
    case STATUS.CONNECTED:
      notice(box, "ok", `Connected to Deputy on port ${pairing.port}`, about);
      break;
    case STATUS.OFFLINE:
      notice(
        box,
        "warn",
        `Deputy is not answering on port ${pairing.port}`,
        `Start it with “deputy up”; this browser reconnects by itself. ${about}`,
      );
      break;
    case STATUS.NOT_DEPUTY:
      notice(
        box,
        "error",
        `Port ${pairing.port} answers, but not as Deputy`,
        "The token is not sent to it. Start Deputy, or pair again with the right port.",
      );
      break;
    case STATUS.REFUSED:
      notice(
        box,
        "error",
        "Deputy no longer accepts this browser",
        `${connection.detail || ""} Run “deputy pair” and enter the new code below.`.trim(),
      );
      break;
    default:
      notice(box, "", `Connecting to Deputy on port ${pairing.port}…`, about);
  }
}

// ---- pairing -------------------------------------------------------------------------------------

function invalid(field, title, detail) {
  field.setAttribute("aria-invalid", "true");
  field.focus();
  notice($("pair-result"), "error", title, detail);
}

function pairFailure(error, port) {
  if (!(error instanceof DeputyError)) return ["Pairing failed", error.message];
  const detail = error.message;
  switch (error.kind) {
    case "invalid":
      if (/expired/i.test(detail))
        return ["That code has expired", "Codes last 10 minutes. Run “deputy pair” for a fresh one."];
      if (/already used/i.test(detail))
        return ["That code was already used", "Each code works once. Run “deputy pair” for a fresh one."];
      if (/not valid/i.test(detail))
        return [
          "That code is not valid",
          "Check it against what “deputy pair” printed, or run it again for a fresh code.",
        ];
      return ["Deputy did not accept that", detail];
    case "locked":
      return ["Too many wrong codes", detail];
    case "forbidden":
      return ["Deputy refused to pair with this browser", detail];
    case "offline":
      return [`Deputy stopped answering on port ${port}`, "Start it again with “deputy up”, then retry."];
    default:
      return ["Pairing failed", detail];
  }
}

// Nothing answers on the port: say so, and look on the default port in case that is where Deputy is.
async function notRunning(port) {
  if (port !== DEFAULT_PORT) {
    try {
      await checkHealth(DEFAULT_PORT);
      const use = document.createElement("button");
      use.type = "button";
      use.className = "button use-port";
      use.textContent = `Use port ${DEFAULT_PORT}`;
      use.addEventListener("click", () => {
        $("port").value = String(DEFAULT_PORT);
        $("pair").focus();
      });
      notice(
        $("pair-result"),
        "warn",
        `Deputy is not on port ${port}`,
        `It answers on port ${DEFAULT_PORT}. Use that port, or start Deputy with --port ${port}.`,
        use,
      );
      return;
    } catch {
      // not there either
    }
  }
  const hint = port === DEFAULT_PORT ? " If you started it with --port, enter that port." : "";
  notice(
    $("pair-result"),
    "error",
    `Deputy is not running on port ${port}`,
    `Start it with “deputy up” (or “deputy serve”), then try again.${hint}`,
  );
}

async function onPair(event) {
  event.preventDefault();
  for (const field of document.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  const code = normalizeCode($("code").value);
  const port = Number($("port").value);
  const client = $("client").value.trim() || "chrome";
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return invalid($("port"), "Check the port", "A port is a whole number from 1 to 65535; Deputy's default is 8740.");
  if (code.length !== CODE_LENGTH)
    return invalid(
      $("code"),
      "Enter the pairing code",
      "It has 8 letters and digits, like ABCD-EF23. Run “deputy pair” to get one.",
    );
  if (!CLIENT_NAME.test(client) || client.toLowerCase().startsWith("local")) {
    return invalid(
      $("client"),
      "Choose another name",
      "Letters, digits, spaces, dots, dashes; up to 64 characters; not starting with “local”.",
    );
  }
  const button = $("pair");
  button.disabled = true;
  notice($("pair-result"), "", `Looking for Deputy on port ${port}…`);
  try {
    let health;
    try {
      health = await checkHealth(port);
    } catch (error) {
      if (error.kind === "not-deputy") {
        notice(
          $("pair-result"),
          "error",
          `Port ${port} answers, but not as Deputy`,
          "The code was not sent. Check the port: “deputy doctor” shows the one Deputy uses.",
        );
      } else {
        await notRunning(port);
      }
      return;
    }
    let paired;
    try {
      paired = await pair(port, code, client);
    } catch (error) {
      const [title, detail] = pairFailure(error, port);
      notice($("pair-result"), "error", title, detail);
      $("code").setAttribute("aria-invalid", String(error.kind === "invalid"));
      return;
    }
    await chrome.storage.local.set({
      [LOCAL.PAIRING]: {
        port,
        token: paired.token,
        client: paired.client,
        pairedAt: Date.now(),
        version: health.version,
      },
    });
    $("code").value = "";
    notice($("pair-result"), "ok", "Paired", `This browser now gets Deputy's requests from port ${port}.`);
  } finally {
    button.disabled = false;
  }
}

// ---- unpairing -----------------------------------------------------------------------------------

function onUnpairClick() {
  const box = $("paired-actions");
  if (box.querySelector(".confirm")) return;
  const confirm = document.createElement("div");
  confirm.className = "notice warn confirm";
  confirm.setAttribute("role", "group");
  confirm.setAttribute("aria-label", "Confirm unpairing");
  const text = document.createElement("span");
  text.textContent = "Unpair? Deputy revokes this browser's token; pairing again needs a new code.";
  const row = document.createElement("div");
  row.className = "row";
  const yes = document.createElement("button");
  yes.type = "button";
  yes.className = "button danger solid";
  yes.textContent = "Unpair";
  const no = document.createElement("button");
  no.type = "button";
  no.className = "button";
  no.textContent = "Keep paired";
  row.append(yes, no);
  confirm.append(text, row);
  box.append(confirm);
  yes.focus();
  no.addEventListener("click", () => {
    confirm.remove();
    $("unpair").focus();
  });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    const answer = await send(MSG.UNPAIR);
    confirm.remove();
    const how =
      answer.ok && answer.revoked
        ? "Deputy revoked its token."
        : "Deputy was not reachable; its token is forgotten here. Revoke it with “deputy pair --revoke”.";
    notice($("pair-result"), "ok", "Unpaired", how);
    $("code").focus();
  });
}

// ---- shortcuts -----------------------------------------------------------------------------------

async function renderShortcuts() {
  const commands = await chrome.commands.getAll();
  const rows = commands.map((command) => {
    const row = document.createElement("tr");
    const what = document.createElement("td");
    what.textContent = command.name === "_execute_action" ? "Open Deputy's popup" : command.description;
    const keys = document.createElement("td");
    if (command.shortcut) {
      const kbd = document.createElement("kbd");
      kbd.textContent = command.shortcut;
      keys.append(kbd);
    } else {
      keys.textContent = "Not set";
    }
    row.append(what, keys);
    return row;
  });
  $("shortcuts").replaceChildren(...rows);
}

// ---- start ---------------------------------------------------------------------------------------

async function start() {
  const pairing = await getPairing();
  if (pairing) {
    $("port").value = String(pairing.port);
    $("client").value = pairing.client;
  }
  $("pair-form").addEventListener("submit", onPair);
  $("unpair").addEventListener("click", onUnpairClick);
  $("reconnect").addEventListener("click", () => send(MSG.RECONNECT));
  $("open-shortcuts").addEventListener("click", () => chrome.tabs.create({ url: "chrome://extensions/shortcuts" }));
  chrome.storage.onChanged.addListener((changes, area) => {
    if ((area === "local" && LOCAL.PAIRING in changes) || (area === "session" && SESSION.CONNECTION in changes))
      renderConnection();
  });
  await Promise.all([renderConnection(), renderShortcuts()]);
  send(MSG.REFRESH);
}

start();
