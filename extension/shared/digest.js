// The digest as one summary, shared by the popup and Deputy's approvals page: what ran, what the rules
// did, what waits (grouped, each group answered with one click), what it cost and per outcome, and
// anything suspicious. The page that shows it says how an answer is sent (`answer`) and how it is
// dismissed (`dismiss`); both return {ok, error}.

import { RISK_LABEL } from "./describe.js";
import { plural, usd } from "./format.js";

const SHOWN_SUMMARIES = 5;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function part(title, ...children) {
  const section = el("div", "digest-part");
  section.append(el("h3", "digest-part-title", title), ...children);
  return section;
}

function ranLine(job) {
  const counts = [plural(job.runs, "run")];
  if (job.failed) counts.push(`${job.failed} failed`);
  if (job.skipped) counts.push(`${job.skipped} skipped`);
  const item = el("li", "digest-ran");
  item.append(el("strong", "", job.title), el("span", "digest-meta", ` · ${counts.join(", ")}`));
  const latest = job.summaries?.[job.summaries.length - 1];
  if (latest) item.append(el("div", "digest-detail", latest));
  return item;
}

function rulesLine(rules) {
  const byRules = rules?.sorted_by_rules ?? 0;
  const byReader = rules?.sorted_by_reader ?? 0;
  if (!byRules && !byReader) return null;
  const said = [];
  if (byRules) said.push(`Your rules sorted ${plural(byRules, "message")} with no model call.`);
  if (byReader) said.push(`The reader sorted ${plural(byReader, "message")}.`);
  return el("p", "digest-rules", said.join(" "));
}

function costLine(cost) {
  let line = `Spent ${usd(cost.spend_usd ?? 0, { precise: true })} on ${plural(cost.model_calls ?? 0, "model call")}`;
  line += ` for ${plural(cost.outcomes ?? 0, "outcome")}`;
  line += cost.per_outcome_usd === null || cost.per_outcome_usd === undefined
    ? "."
    : ` · ${usd(cost.per_outcome_usd, { precise: true })} per outcome.`;
  return el("p", "digest-cost", line);
}

function groupItem(group, answer, onAnswered) {
  const item = el("li", "digest-group");
  item.dataset.action = group.action;
  item.dataset.kind = group.kind;
  const count = group.kind === "batch" ? plural(group.items, "item") : plural(group.ids.length, "approval");
  item.append(
    el("div", "digest-group-title", group.title),
    el("div", "digest-meta", `${RISK_LABEL[group.risk] ?? group.risk} · ${count}`),
  );
  if (group.summaries?.length > 1) {
    const list = el("ul", "digest-summaries");
    list.append(...group.summaries.slice(0, SHOWN_SUMMARIES).map((text) => el("li", "", text)));
    if (group.summaries.length > SHOWN_SUMMARIES) {
      list.append(el("li", "digest-meta", `and ${group.summaries.length - SHOWN_SUMMARIES} more`));
    }
    item.append(list);
  }
  const row = el("div", "digest-actions");
  const yes = el("button", "button primary approve-group", group.ids.length > 1 ? "Approve all" : "Approve");
  const no = el("button", "button reject-group", group.ids.length > 1 ? "Reject all" : "Reject");
  for (const button of [yes, no]) button.type = "button";
  yes.setAttribute("aria-label", `Approve: ${group.title}`);
  no.setAttribute("aria-label", `Reject: ${group.title}`);
  const status = el("p", "digest-status");
  status.setAttribute("role", "status");
  const send = async (approveAll) => {
    yes.disabled = no.disabled = true;
    status.className = "digest-status";
    status.textContent = approveAll ? "Approving…" : "Rejecting…";
    const result = await answer(group.ids, approveAll);
    if (result.ok) {
      const done = approveAll ? `Approved ${count}: Deputy does them now.` : `Rejected ${count}: Deputy will not do them.`;
      onAnswered(done);
      return;
    }
    yes.disabled = no.disabled = false;
    status.className = "digest-status error";
    status.textContent = result.error;
  };
  yes.addEventListener("click", () => send(true));
  no.addEventListener("click", () => send(false));
  row.append(yes, no);
  item.append(row, status);
  return item;
}

// Fill `box` with `digest`; an answer's outcome stays on show after the groups change under it.
export function renderDigest(box, digest, { answer, dismiss }) {
  const before = box.querySelector(".digest-said");
  const head = el("div", "digest-head");
  const title = el("h2", "group-title digest-title", "While you were away");
  title.id = `${box.id}-title`;
  const gotIt = el("button", "button quiet digest-dismiss", "Got it");
  gotIt.type = "button";
  gotIt.title = "Mark this summary as read; the next one starts from now";
  gotIt.addEventListener("click", async () => {
    gotIt.disabled = true;
    const result = await dismiss();
    if (!result.ok) {
      gotIt.disabled = false;
      saidLine.className = "digest-said error";
      saidLine.textContent = result.error;
    }
  });
  head.append(title, gotIt);
  const saidLine = el("p", before?.className ?? "digest-said", before?.textContent ?? "");
  saidLine.setAttribute("role", "status");
  // The digest may be redrawn (the group gone) before the answer's reply arrives: write to the line on show.
  const onAnswered = (text) => {
    const line = box.querySelector(".digest-said") ?? saidLine;
    line.className = "digest-said ok";
    line.textContent = text;
  };
  const parts = [head, el("p", "digest-headline", digest.headline), saidLine];
  if (digest.ran?.length) {
    const list = el("ul", "digest-list");
    list.append(...digest.ran.map(ranLine));
    parts.push(part("What ran", list));
  }
  const rules = rulesLine(digest.rules);
  if (rules) parts.push(part("What your rules did", rules));
  if (digest.waiting?.length) {
    const list = el("ul", "digest-list digest-groups");
    list.append(...digest.waiting.map((group) => groupItem(group, answer, onAnswered)));
    parts.push(part("Waiting for you", list));
  }
  parts.push(part("Cost", costLine(digest.cost ?? {})));
  if (digest.suspicious?.length) {
    const list = el("ul", "digest-list digest-suspicious");
    list.append(...digest.suspicious.map((text) => el("li", "", text)));
    parts.push(part("Look at these", list));
  }
  box.setAttribute("aria-labelledby", title.id);
  box.replaceChildren(...parts);
}
