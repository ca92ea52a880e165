// How an approval reads to a person, built only from what the server sends: the approval itself and
// the action registry (GET /api/actions). The extension keeps no action list of its own.

import { humanize, plural, usd } from "./format.js";

export const RISK_LABEL = Object.freeze({
  read: "Read only",
  local: "Local change",
  write: "Changes something",
  irreversible: "Irreversible",
});

export function specFor(actions, name) {
  return (actions ?? []).find((spec) => spec.name === name) ?? null;
}

function schemaOf(spec, param) {
  return spec?.parameters?.properties?.[param] ?? null;
}

// A reference into the page snapshot (e12) means nothing to a person; the target already says it.
function isReference(schema) {
  if (!schema) return false;
  const options = schema.anyOf ?? [schema];
  return options.some((option) => typeof option.pattern === "string");
}

// Without the registry at hand, a bare snapshot reference still must not reach a person.
function isRefValue(value) {
  return typeof value === "string" && /^e\d+$/.test(value);
}

function labelOf(schema, param) {
  const text = schema?.description?.replace(/\.$/, "").replace(/\s*\([^)]*\)$/, "");
  return text || humanize(param);
}

// Kinds whose card says everything in its sentences (a proposed recipe's steps are its objects, its cost
// is the cost line): their stored parameters are for Deputy, not for reading.
const SAID_IN_SENTENCES = new Set(["recipe"]);

// The parameters worth showing, in the registry's order, with a label a person understands.
export function visibleParams(approval, spec) {
  const rows = [];
  if (SAID_IN_SENTENCES.has(approval.kind)) return rows;
  for (const [name, value] of Object.entries(approval.params ?? {})) {
    const schema = schemaOf(spec, name);
    if (isReference(schema) || isRefValue(value) || value === null || value === false) continue;
    const shown =
      value === true
        ? "Yes"
        : Array.isArray(value)
          ? value.join(", ")
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
    rows.push({ name, label: labelOf(schema, name), value: shown });
  }
  return rows;
}

// What the user may change before approving: an action's free-text parameters (a reply's body, a
// search text), the amount of a budget raise, the answer to the agent's question. Nothing else.
export function editableParams(approval, spec) {
  if (approval.kind === "question") return [{ name: "answer", label: "Your answer", value: "", long: true }];
  if (approval.kind === "budget") {
    const add = approval.params?.add_usd;
    return [{ name: "add_usd", label: "Add (dollars)", value: add === undefined ? "" : String(add), number: true }];
  }
  if (approval.kind !== "action" || !spec) return [];
  return Object.entries(spec.parameters?.properties ?? {})
    .filter(
      ([name, schema]) =>
        schema.type === "string" &&
        !schema.pattern &&
        !schema.enum &&
        !schema.format &&
        name in (approval.params ?? {}),
    )
    .map(([name, schema]) => ({
      name,
      label: labelOf(schema, name),
      value: String(approval.params[name] ?? ""),
      long: !schema.maxLength || schema.maxLength > 200,
    }));
}

// The server's own sentence ("Archive 'Invoice #4711' from Billing") when it sends one.
export function titleOf(approval) {
  if (approval.summary) return approval.summary;
  if (approval.kind === "budget") return "Spend more on this task";
  if (approval.kind === "question") return approval.params?.question ?? "Deputy has a question";
  if (approval.kind === "navigation") return `Open ${approval.params?.url ?? "another site"}`;
  return humanize(approval.action);
}

export function targetOf(approval) {
  if (approval.summary || approval.kind !== "action") return "";
  if (approval.target) return approval.target;
  const text = Object.values(approval.params ?? {}).find((value) => typeof value === "string" && !/^e\d+$/.test(value));
  return text ?? "";
}

// One line for a notification: "Click the button 'Archive' in toolbar"
export function oneLine(approval) {
  const target = targetOf(approval);
  return target ? `${titleOf(approval)} ${target}` : titleOf(approval);
}

export function costLine(approval) {
  if (approval.kind === "recipe") {
    const learned = approval.params?.learned_micro_usd ?? 0;
    const calls = approval.params?.learned_calls ?? 0;
    const spent = usd(learned / 1e6, { precise: true });
    if (!calls) return "A replay costs $0";
    return `Its model run cost ${spent} (${plural(calls, "model call")}); a replay costs $0`;
  }
  return `${usd(approval.cost_so_far_usd, { precise: true })} spent on this task so far`;
}
