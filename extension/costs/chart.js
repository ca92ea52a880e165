// Spend per day as an inline SVG bar chart: no library, scales to its container, with a text summary
// for screen readers (the page also offers the same numbers as a table).

import { usd } from "../shared/format.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 900;
const HEIGHT = 240;
const MARGIN = { top: 18, right: 12, bottom: 28, left: 52 };
const TICKS = 4;

function node(tag, attrs = {}, text = "") {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text) element.textContent = text;
  return element;
}

// The smallest "round" step (1, 2, 2.5 or 5 times a power of ten) that fits the range in TICKS steps.
function niceStep(top) {
  const raw = top / TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

export function localDay(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day);
}

export function dayLabel(iso, options = { month: "short", day: "numeric" }) {
  return localDay(iso).toLocaleDateString(undefined, options);
}

function axisMoney(value) {
  if (value === 0) return "$0";
  return value < 0.1 ? `$${value.toFixed(3)}` : value < 10 ? `$${value.toFixed(2)}` : `$${Math.round(value)}`;
}

export function drawSpendChart(container, byDay, { budget = null } = {}) {
  const values = byDay.map((day) => day.spend_usd ?? 0);
  const highest = Math.max(0, ...values);
  const top = Math.max(highest, budget ?? 0);
  const step = top > 0 ? niceStep(top) : 0.01;
  const scaleTop = step * TICKS;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (value) => MARGIN.top + plotHeight - (value / scaleTop) * plotHeight;
  const slot = plotWidth / Math.max(1, byDay.length);

  const total = values.reduce((sum, value) => sum + value, 0);
  const peak = byDay[values.indexOf(highest)];
  const svg = node("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-labelledby": "chart-svg-title chart-svg-desc",
  });
  svg.append(node("title", { id: "chart-svg-title" }, `Spend per day, last ${byDay.length} days`));
  svg.append(
    node(
      "desc",
      { id: "chart-svg-desc" },
      highest > 0
        ? `${usd(total)} in total; the most, ${usd(highest)}, on ${dayLabel(peak.day)}.`
        : "Nothing was spent.",
    ),
  );

  for (let tick = 0; tick <= TICKS; tick += 1) {
    const value = step * tick;
    svg.append(node("line", { class: "grid", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value) }));
    svg.append(
      node(
        "text",
        { class: "axis-label", x: MARGIN.left - 8, y: y(value) + 4, "text-anchor": "end" },
        axisMoney(value),
      ),
    );
  }

  byDay.forEach((day, index) => {
    const value = values[index];
    const height = Math.max(value > 0 ? 2 : 0, y(0) - y(value));
    const barWidth = Math.max(2, slot * 0.66);
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const isToday = index === byDay.length - 1;
    const bar = node("rect", {
      class: isToday ? "bar today" : "bar",
      x,
      y: y(0) - height,
      width: barWidth,
      height,
      rx: 2,
    });
    bar.append(
      node(
        "title",
        {},
        `${dayLabel(day.day, { weekday: "short", month: "short", day: "numeric" })}: ${usd(value, { precise: true })}`,
      ),
    );
    svg.append(bar);
    const fromEnd = byDay.length - 1 - index;
    if (fromEnd % 7 === 0) {
      svg.append(
        node(
          "text",
          { class: "axis-label", x: x + barWidth / 2, y: HEIGHT - 8, "text-anchor": "middle" },
          isToday ? "Today" : dayLabel(day.day),
        ),
      );
    }
  });

  if (budget !== null && budget !== undefined && budget > 0) {
    svg.append(
      node("line", { class: "budget", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(budget), y2: y(budget) }),
    );
    svg.append(
      node(
        "text",
        { class: "budget-label", x: WIDTH - MARGIN.right, y: y(budget) - 5, "text-anchor": "end" },
        `daily budget ${usd(budget)}`,
      ),
    );
  }
  if (highest === 0) {
    svg.append(
      node(
        "text",
        {
          class: "axis-label",
          x: MARGIN.left + plotWidth / 2,
          y: MARGIN.top + plotHeight / 2,
          "text-anchor": "middle",
        },
        "No model calls in this period",
      ),
    );
  }
  container.replaceChildren(svg);
}
