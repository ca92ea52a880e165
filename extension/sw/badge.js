// The toolbar badge: pending approvals in red; with none pending, today's spend; "off" when Deputy
// cannot be reached. The title says the same in words.

import { badgeUsd, plural, usd } from "../shared/format.js";
import { SESSION, STATUS } from "../shared/storage.js";

const RED = "#d93025";
const GREY = "#5f6368";
const DARK = "#3c4043";
const AMBER = "#b06000";

export async function renderBadge() {
  const stored = await chrome.storage.session.get([
    SESSION.CONNECTION,
    SESSION.PENDING,
    SESSION.USAGE,
    SESSION.SERVER_STATE,
  ]);
  const status = stored[SESSION.CONNECTION]?.status ?? STATUS.UNPAIRED;
  const pending = stored[SESSION.PENDING] ?? [];
  const usage = stored[SESSION.USAGE];
  const paused = stored[SESSION.SERVER_STATE]?.paused === true;
  let text = "";
  let color = DARK;
  let title = "Deputy";
  if (status === STATUS.UNPAIRED) {
    title = "Deputy: not paired yet. Open the extension's options to pair.";
  } else if (status !== STATUS.CONNECTED && status !== STATUS.CONNECTING) {
    text = "off";
    color = GREY;
    title = "Deputy: not connected. Click for details.";
  } else if (pending.length > 0) {
    text = pending.length > 99 ? "99+" : String(pending.length);
    color = RED;
    title = `Deputy: ${plural(pending.length, "approval")} waiting for you`;
  } else if (usage?.available) {
    const spend = usage.spend_usd ?? 0;
    const left = usage.budget?.day_left_usd;
    text = badgeUsd(spend);
    color = left !== null && left !== undefined && left <= 0 ? AMBER : DARK;
    title = `Deputy: ${usd(spend)} spent today`;
  }
  if (paused) title += " (paused)";
  await Promise.all([
    chrome.action.setBadgeText({ text }),
    chrome.action.setBadgeBackgroundColor({ color }),
    chrome.action.setBadgeTextColor({ color: "#ffffff" }),
    chrome.action.setTitle({ title }),
  ]);
}
