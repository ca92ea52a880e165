// Messages from the extension's own pages (popup, options, costs). Anything else is refused: no web
// page or other extension may answer an approval through this worker.

import { MSG } from "../shared/messages.js";
import { getPairing } from "../shared/storage.js";
import { ensureConnected, isOpen, resetBackoff, resync } from "./connection.js";
import {
  answerGroup,
  approve,
  digestSeen,
  reject,
  setPaused,
  setWatch,
  startCheckin,
  startTask,
  unpair,
} from "./operations.js";

const OWN_ORIGIN = new URL(chrome.runtime.getURL("")).origin;

export function fromOwnPage(sender) {
  if (sender?.id !== chrome.runtime.id || typeof sender.url !== "string") return false;
  if (new URL(sender.url).origin !== OWN_ORIGIN) return false;
  return sender.origin === undefined || sender.origin === OWN_ORIGIN;
}

function text(value, name, { optional = false, max = 4000 } = {}) {
  if (optional && (value === undefined || value === null)) return "";
  if (typeof value !== "string" || value.length > max || (!optional && !value.trim())) {
    throw Object.assign(new Error(`The message's ${name} is missing or not text.`), { kind: "invalid" });
  }
  return value;
}

function ids(value) {
  if (!Array.isArray(value) || !value.length || value.length > 200 || value.some((id) => typeof id !== "string")) {
    throw Object.assign(new Error("The message's ids must be a list of approval ids."), { kind: "invalid" });
  }
  return value.map((id) => text(id, "id", { max: 32 }));
}

const HANDLERS = {
  async [MSG.REFRESH]() {
    const wasOpen = isOpen();
    await ensureConnected();
    const pairing = await getPairing();
    if (wasOpen && pairing) await resync(pairing);
    return {};
  },
  async [MSG.RECONNECT]() {
    await resetBackoff();
    await ensureConnected({ force: true });
    return {};
  },
  async [MSG.APPROVE](message) {
    const edits =
      message.edits && typeof message.edits === "object" && !Array.isArray(message.edits) ? message.edits : null;
    return {
      approval: await approve(text(message.id, "id", { max: 32 }), { edits, likeThis: message.likeThis === true }),
    };
  },
  async [MSG.REJECT](message) {
    return {
      approval: await reject(
        text(message.id, "id", { max: 32 }),
        text(message.reason, "reason", { optional: true, max: 2000 }),
      ),
    };
  },
  async [MSG.SET_PAUSED](message) {
    return { state: await setPaused(message.paused === true) };
  },
  async [MSG.START_TASK](message) {
    const url = text(message.url, "url", { optional: true, max: 2000 });
    return { task: await startTask(text(message.instruction, "instruction"), /^https?:\/\//.test(url) ? url : null) };
  },
  async [MSG.UNPAIR]() {
    return unpair();
  },
  async [MSG.ANSWER_GROUP](message) {
    const reason = text(message.reason, "reason", { optional: true, max: 500 });
    return { answered: (await answerGroup(ids(message.ids), message.approve === true, reason)).answered };
  },
  async [MSG.DIGEST_SEEN]() {
    await digestSeen();
    return {};
  },
  async [MSG.SET_WATCH](message) {
    return setWatch(message.on === true);
  },
  async [MSG.START_CHECKIN](message) {
    if (!Number.isInteger(message.tripId) || message.tripId < 1) {
      throw Object.assign(new Error("The message's trip id is missing."), { kind: "invalid" });
    }
    const url = text(message.url, "check-in page", { max: 2000 }).trim();
    if (!/^https?:\/\/[^/\s]+/.test(url)) {
      throw Object.assign(new Error("The check-in page must be a web address starting with https:// or http://."), {
        kind: "invalid",
      });
    }
    return startCheckin(message.tripId, url);
  },
};

export function onMessage(message, sender, sendResponse) {
  if (!fromOwnPage(sender)) {
    sendResponse({ ok: false, kind: "forbidden", error: "Deputy answers only its own pages." });
    return false;
  }
  const handler = HANDLERS[message?.type];
  if (!handler) {
    sendResponse({ ok: false, kind: "invalid", error: `Unknown message type ${JSON.stringify(message?.type)}.` });
    return false;
  }
  handler(message).then(
    (result) => sendResponse({ ok: true, ...result }),
    (error) =>
      sendResponse({ ok: false, kind: error.kind ?? "internal", error: error.message, status: error.status ?? 0 }),
  );
  return true; // the answer comes asynchronously
}
