// Drop-down menus: a button with aria-haspopup="menu" and aria-controls opens the menu it names.
function menuOf(trigger) {
  return document.getElementById(trigger.getAttribute("aria-controls"));
}

export function closeMenus(except = null) {
  for (const trigger of document.querySelectorAll("[aria-haspopup='menu'][aria-expanded='true']")) {
    if (trigger === except) continue;
    trigger.setAttribute("aria-expanded", "false");
    const menu = menuOf(trigger);
    if (menu) menu.style.display = "none";
  }
}

export function setupMenus() {
  for (const trigger of document.querySelectorAll("[aria-haspopup='menu']")) {
    trigger.setAttribute("aria-expanded", "false");
  }
  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[aria-haspopup='menu']");
    closeMenus(trigger);
    if (!trigger) return;
    const menu = menuOf(trigger);
    const open = trigger.getAttribute("aria-expanded") !== "true";
    trigger.setAttribute("aria-expanded", String(open));
    if (menu) menu.style.display = open ? "block" : "none";
    if (open && menu) menu.querySelector("[role='menuitem']")?.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenus();
  });
}
