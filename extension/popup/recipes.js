// The popup's recipes: tasks Deputy replays with no model call. A recipe with no variables runs from here
// (its steps still ask wherever the policy asks); one with variables is started by saying it in "Ask Deputy".

import { call, checkHealth } from "../shared/api.js";
import { usd } from "../shared/format.js";
import { getPairing, getSession, SESSION, STATUS } from "../shared/storage.js";

const $ = (id) => document.getElementById(id);

function recipeItem(pairing, recipe) {
  const item = document.createElement("li");
  item.className = "task";
  const instruction = document.createElement("span");
  instruction.className = "task-instruction";
  instruction.textContent = recipe.instruction;
  instruction.title = `${recipe.name}: ${recipe.steps} steps on ${recipe.site}, version ${recipe.version}`;
  const note = document.createElement("span");
  note.className = "task-cost";
  note.textContent =
    recipe.status === "retired"
      ? "retired"
      : recipe.status === "candidate"
        ? "candidate: waiting for your approval"
        : recipe.learned_calls
        ? `$0 (was ${usd(recipe.learned_micro_usd / 1e6, { precise: true })})`
        : "$0";
  item.append(instruction, note);
  if (recipe.status === "active" && recipe.variables.length === 0) {
    const run = document.createElement("button");
    run.className = "button";
    run.type = "button";
    run.textContent = "Run";
    run.setAttribute("aria-label", `Run recipe ${recipe.name}`);
    run.onclick = async () => {
      run.disabled = true;
      try {
        await call(pairing, "POST", `/api/recipes/${encodeURIComponent(recipe.id)}/run`, {});
        $("recipes-result").textContent = `Started ${recipe.name}: it shows under Working on.`;
      } catch (error) {
        $("recipes-result").textContent = error.message;
      } finally {
        run.disabled = false;
      }
    };
    item.append(run);
  }
  return item;
}

async function showRecipes() {
  const pairing = await getPairing();
  const { [SESSION.CONNECTION]: connection } = await getSession(SESSION.CONNECTION);
  if (!pairing || connection?.status !== STATUS.CONNECTED) return;
  let recipes;
  try {
    // The token goes only to a server that says it is Deputy, whatever the worker saw before.
    await checkHealth(pairing.port);
    recipes = await call(pairing, "GET", "/api/recipes");
  } catch {
    return; // the popup's connection chip already says what is wrong
  }
  $("recipes").replaceChildren(...recipes.map((recipe) => recipeItem(pairing, recipe)));
  $("recipes-group").hidden = recipes.length === 0;
}

showRecipes();
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "session" && changes[SESSION.CONNECTION]?.newValue?.status === STATUS.CONNECTED) showRecipes();
});
