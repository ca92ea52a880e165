// The costs page: what Deputy cost over the last 30 days beside what it got done, the most expensive
// tasks, and the waste, from GET /api/usage?period=month.

import { call, DeputyError } from "../shared/api.js";
import { humanize, plural, usd } from "../shared/format.js";
import { getPairing, SESSION } from "../shared/storage.js";
import { dayLabel, drawSpendChart } from "./chart.js";

const $ = (id) => document.getElementById(id);

const OUTCOMES = [
  ["actions_done", "per action done", "action done", "actions done"],
  ["approvals_answered", "per approval answered", "approval answered", "approvals answered"],
  ["tasks_finished", "per task finished", "task finished", "tasks finished"],
];
const TOKEN_KINDS = [
  ["input", "Input", "#2457d6"],
  ["cache_write", "Cache writes", "#7aa0f0"],
  ["cache_read", "Cache reads", "#b9cdf6"],
  ["output", "Output", "#f0b541"],
];

function showProblem(kind, title, detail, action = null) {
  const box = $("problem");
  box.hidden = false;
  box.className = `notice ${kind}`;
  const strong = document.createElement("strong");
  strong.textContent = title;
  const text = document.createElement("span");
  text.textContent = detail;
  box.replaceChildren(strong, text);
  if (action) {
    const link = document.createElement("a");
    link.href = action.href;
    link.textContent = action.label;
    box.append(link);
  }
  $("report").hidden = true;
}

function money(value) {
  return usd(value ?? 0, { precise: true });
}

function cell(text, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderTiles(report) {
  const today = report.by_day.at(-1)?.spend_usd ?? 0;
  const budget = report.budget ?? {};
  $("total").textContent = money(report.spend_usd);
  const first = report.by_day[0]?.day;
  $("total-note").textContent = `${plural(report.calls ?? 0, "model call")}${first ? ` since ${dayLabel(first)}` : ""}`;
  $("today").textContent = money(today);
  $("today-note").textContent =
    budget.day_usd === null || budget.day_usd === undefined
      ? "No daily budget set"
      : budget.day_left_usd > 0
        ? `${usd(budget.day_left_usd)} left of ${usd(budget.day_usd)}`
        : `Daily budget of ${usd(budget.day_usd)} reached`;
  const outcomes = report.outcomes ?? {};
  const perAction = report.cost_per_outcome?.actions_done;
  $("done").textContent = perAction === null || perAction === undefined ? "—" : money(perAction);
  $("done-note").textContent =
    `${plural(outcomes.actions_done ?? 0, "action")} done, ${plural(outcomes.tasks_finished ?? 0, "task")} finished`;
  const waste = report.waste ?? {};
  $("waste").textContent = money(waste.usd);
  const wastedTasks = Array.isArray(waste.tasks) ? waste.tasks.length : (waste.tasks ?? 0);
  const loops = waste.loops ? `, ${plural(waste.loops, "loop")}` : "";
  $("waste-note").textContent = `${plural(wastedTasks, "task")} with nothing done${loops}`;
}

function renderChart(report) {
  drawSpendChart($("chart"), report.by_day, { budget: report.budget?.day_usd ?? null });
  const legend = $("chart-legend");
  legend.replaceChildren();
  const item = (color, text, dashed = false) => {
    const span = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = dashed ? `repeating-linear-gradient(90deg, ${color} 0 4px, transparent 4px 7px)` : color;
    span.append(swatch, document.createTextNode(text));
    legend.append(span);
  };
  item("#2457d6", "Spent");
  if (report.budget?.day_usd) item("#c5221f", "Daily budget", true);
  const rows = [...report.by_day].reverse().map((day) => {
    const row = document.createElement("tr");
    row.append(
      cell(dayLabel(day.day, { weekday: "short", month: "short", day: "numeric" })),
      cell(money(day.spend_usd), "num"),
    );
    return row;
  });
  $("days").replaceChildren(...rows);
}

function renderOutcomes(report) {
  const list = $("outcomes");
  list.replaceChildren();
  for (const [key, label, one, many] of OUTCOMES) {
    const count = report.outcomes?.[key] ?? 0;
    const per = report.cost_per_outcome?.[key];
    const dt = document.createElement("dt");
    dt.textContent = label.charAt(0).toUpperCase() + label.slice(1);
    const dd = document.createElement("dd");
    const counted = document.createElement("span");
    counted.className = "count";
    counted.textContent = plural(count, one, many);
    dd.append(counted, document.createTextNode(per === null || per === undefined ? "—" : usd(per, { precise: true })));
    list.append(dt, dd);
  }
}

function renderTokens(report) {
  const tokens = report.tokens ?? {};
  const total = TOKEN_KINDS.reduce((sum, [key]) => sum + (tokens[key] ?? 0), 0);
  const bar = $("token-bar");
  bar.replaceChildren();
  bar.setAttribute("aria-label", `${total.toLocaleString()} tokens in total`);
  const list = $("tokens");
  list.replaceChildren();
  for (const [key, label, color] of TOKEN_KINDS) {
    const count = tokens[key] ?? 0;
    if (total > 0 && count > 0) {
      const part = document.createElement("span");
      part.style.width = `${(count / total) * 100}%`;
      part.style.background = color;
      bar.append(part);
    }
    const dt = document.createElement("dt");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = color;
    dt.append(swatch, document.createTextNode(label));
    const dd = document.createElement("dd");
    dd.textContent = count.toLocaleString();
    list.append(dt, dd);
  }
  const unknown = report.price_unknown_calls ?? 0;
  $("unknown").hidden = unknown === 0;
  $("unknown").textContent =
    `${plural(unknown, "call")} used a model whose price Deputy does not know: ` +
    "not counted as free, and left out of the totals.";
}

function renderTopTasks(report) {
  const rows = (report.top_tasks ?? []).map((task) => {
    const row = document.createElement("tr");
    const status = document.createElement("span");
    status.className = `status ${task.status}`;
    status.textContent = humanize(task.status || "unknown");
    const statusCell = document.createElement("td");
    statusCell.append(status);
    row.append(cell(task.instruction || task.id), statusCell, cell(money(task.spend_usd), "num"));
    return row;
  });
  $("top").replaceChildren(...rows);
  $("top-empty").hidden = rows.length > 0;
}

function renderWaste(report) {
  const waste = report.waste ?? {};
  const tasks = Array.isArray(waste.tasks) ? waste.tasks : [];
  const loops = waste.loops ?? 0;
  const parts = [];
  if ((waste.usd ?? 0) > 0) {
    const tokens = waste.tokens ? ` (${waste.tokens.toLocaleString()} tokens)` : "";
    parts.push(`${money(waste.usd)} went to tasks that ended without getting anything done${tokens}.`);
  }
  if (loops > 0) parts.push(`Deputy caught ${plural(loops, "loop")}: the same page seen twice in a row.`);
  $("waste-summary").textContent =
    parts.join(" ") || "Nothing wasted: every task that spent something got something done.";
  $("waste-tasks").replaceChildren(
    ...tasks.map((task) => {
      const item = document.createElement("li");
      item.textContent = `${task.instruction} (${task.status})`;
      return item;
    }),
  );
}

async function load() {
  $("report").setAttribute("aria-busy", "true");
  const pairing = await getPairing();
  if (!pairing) {
    showProblem("", "Not paired with Deputy yet", "Pair this browser to see what Deputy costs.", {
      href: "../options/options.html",
      label: "Pair in settings",
    });
    return;
  }
  let report;
  try {
    report = await call(pairing, "GET", "/api/usage?period=month");
  } catch (error) {
    const kind = error instanceof DeputyError ? error.kind : "";
    if (kind === "offline")
      showProblem(
        "warn",
        "Deputy isn't running",
        `Nothing answers on port ${pairing.port}. Start it with “deputy up”, then refresh.`,
      );
    else if (kind === "unauthorized" || kind === "forbidden")
      showProblem("error", "Deputy no longer accepts this browser", error.message, {
        href: "../options/options.html",
        label: "Pair again",
      });
    else if (kind === "not-found")
      showProblem("warn", "This Deputy does not report costs", "Update Deputy to see spend, outcomes and waste here.");
    else showProblem("error", "Could not load the costs", error.message);
    return;
  }
  $("problem").hidden = true;
  $("report").hidden = false;
  renderTiles(report);
  renderChart(report);
  renderOutcomes(report);
  renderTokens(report);
  renderTopTasks(report);
  renderWaste(report);
  $("report").setAttribute("aria-busy", "false");
}

let reloading = null;

function reloadSoon() {
  clearTimeout(reloading);
  reloading = setTimeout(load, 300);
}

$("refresh").addEventListener("click", load);
// The worker refreshes today's usage on every model call; follow it.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && SESSION.USAGE in changes) reloadSoon();
});
load();
