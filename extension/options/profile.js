// The traveller profile in the options page: identifying values arrive masked and stay masked here; a
// masked value sent back unchanged keeps what Deputy stores, so only what the person retypes changes.
// Companions are sent back as they came (masked), which keeps them; Deputy's reasons for a refusal are
// shown beside the form.

import { el } from "../shared/dom.js";

const FIELDS = [
  ["first_name", "First name", "text"],
  ["last_name", "Last name", "text"],
  ["date_of_birth", "Date of birth (YYYY-MM-DD)", "text"],
  ["nationality", "Nationality (country code)", "text"],
  ["passport_number", "Passport number", "text"],
  ["passport_country", "Passport country (country code)", "text"],
  ["passport_expiry", "Passport expiry (YYYY-MM-DD)", "text"],
];
const SEATS = ["window", "aisle", "middle", "any"];

function form(shown, save, note = "") {
  const person = shown.traveller ?? {};
  const inputs = {};
  const fields = FIELDS.map(([key, label]) => {
    inputs[key] = el("input", { id: `profile-${key}`, value: person[key] ?? "", spellcheck: "false" });
    return el("div", { class: "field" }, el("label", { for: inputs[key].id, text: label }), inputs[key]);
  });
  const seat = el("select", { id: "profile-seat" });
  for (const value of SEATS) seat.append(el("option", { value, text: value, selected: person.seat_preference === value }));
  const problem = el("p", { class: "profile-problem", role: "alert", text: note });
  const companions = shown.companions ?? [];
  const node = el(
    "form",
    { class: "profile", "aria-label": "Traveller profile", novalidate: true },
    ...fields,
    el("div", { class: "field" }, el("label", { for: seat.id, text: "Seat preference" }), seat),
    el("p", { class: "hint", text: `${companions.length} companion(s); edit them with deputy profile.` }),
    el("div", { class: "row" }, el("button", { class: "button primary", type: "submit", text: "Save profile" })),
    problem,
  );
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    const traveller = { ...person, seat_preference: seat.value };
    for (const [key] of FIELDS) traveller[key] = inputs[key].value.trim() || null;
    problem.textContent = "";
    try {
      await save({ traveller, companions });
    } catch (error) {
      problem.textContent = error.message;
    }
  });
  return node;
}

async function mountProfile() {
  const root = document.getElementById("profile");
  if (!root) return;
  const { call } = await import("../shared/api.js");
  const { getPairing } = await import("../shared/storage.js");
  const pairing = await getPairing();
  if (!pairing) {
    root.replaceChildren(el("p", { class: "hint", text: "Pair with Deputy to see and edit your traveller profile." }));
    return;
  }
  const render = (shown, note) => root.replaceChildren(form(shown, save, note));
  const save = async (profile) => render(await call(pairing, "PUT", "/api/profile", profile), "Saved.");
  try {
    render(await call(pairing, "GET", "/api/profile"));
  } catch (error) {
    root.replaceChildren(el("p", { class: "profile-problem", role: "alert", text: error.message }));
  }
}

if (typeof chrome !== "undefined" && chrome.storage) {
  mountProfile();
  chrome.storage.onChanged.addListener((changes) => {
    if (changes.pairing) mountProfile();
  });
}
