// Recent results, as the popup and Deputy's approvals page show them: what ran, what was done (from
// the audit log, as the server reports it), the model's own account marked as its claim, and the cost.

import { humanize, plural, usd } from "./format.js";

export const ENDED = new Set(["finished", "failed", "cancelled", "interrupted"]);

// "3 changes made, 7 steps": each number says what it counts.
export function countsLine(task) {
  const parts = [];
  const changes = task.changes ?? task.destructive_count;
  if (Number.isInteger(changes)) parts.push(`${plural(changes, "change")} made`);
  if (Number.isInteger(task.steps)) parts.push(plural(task.steps, "step"));
  return parts.join(", ");
}

export function costOf(task) {
  return task.cost_usd ?? task.spend_usd ?? 0;
}

function line(tag, cls, text) {
  const node = document.createElement(tag);
  node.className = cls;
  node.textContent = text;
  return node;
}

export function resultItem(task) {
  const item = document.createElement("li");
  item.className = "task result";
  item.dataset.id = task.id;
  const title = line("span", "task-instruction", task.instruction);
  title.title = task.instruction;
  const cost = line("span", "task-cost", usd(costOf(task), { precise: true }));
  cost.setAttribute("aria-label", `${usd(costOf(task), { precise: true })} spent`);
  const status = line("span", "task-step", "");
  status.append(line("span", `pill ${task.status}`, humanize(task.status)), line("span", "counts", countsLine(task)));
  item.append(title, cost, status);
  const done = Array.isArray(task.done) ? task.done : [];
  if (done.length) {
    const list = document.createElement("ul");
    list.className = "done";
    list.setAttribute("aria-label", "What Deputy did");
    for (const sentence of done) list.append(line("li", "", sentence));
    item.append(list);
  } else if (task.summary && !task.claim) {
    item.append(line("p", "claim", task.summary));
  }
  if (task.claim) item.append(line("p", "claim", `Deputy's own account: ${task.claim}`));
  return item;
}
