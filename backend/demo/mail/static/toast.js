// The message at the bottom left after an action, with "Undo" where the action can be undone.
const SHOWN_FOR_MS = 12000;
let timer = null;

export function hideToast() {
  clearTimeout(timer);
  document.getElementById("toast").hidden = true;
}

export function showToast(text, { undo = null } = {}) {
  const toast = document.getElementById("toast");
  const undoButton = document.getElementById("toast-undo");
  document.getElementById("toast-text").textContent = text;
  undoButton.hidden = !undo;
  undoButton.onclick = undo
    ? () => {
        hideToast();
        undo();
      }
    : null;
  toast.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(hideToast, SHOWN_FOR_MS);
}

export function setupToast() {
  document.getElementById("toast-close").addEventListener("click", hideToast);
}
