// Demo Air's page behaviour: cookie banner, pop-ups, the seat map that loads late, seat selection.
"use strict";

function setCookie(name, value) {
  document.cookie = name + "=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=lax";
}

// The consent choice is kept in the browser only; nothing on the server changes.
function bindCookieBanner() {
  const banner = document.getElementById("cookie-banner");
  if (!banner) return;
  banner.querySelectorAll("[data-consent]").forEach((button) => {
    button.addEventListener("click", () => {
      setCookie("air_consent", button.dataset.consent);
      banner.remove();
    });
  });
}

// Called from an onclick attribute on a div, the way many airline sites wire their toggles.
function toggleFlightDetails(toggle) {
  const details = document.getElementById("flight-details");
  details.hidden = !details.hidden;
  toggle.firstChild.textContent = details.hidden ? "Show flight details " : "Hide flight details ";
}
window.toggleFlightDetails = toggleFlightDetails;

function bindToggles() {
  document.querySelectorAll("[data-toggle]").forEach((button) => {
    button.addEventListener("click", () => {
      const target = document.getElementById(button.dataset.toggle);
      target.hidden = !target.hidden;
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
}

// The checked-bag offer opens once per tab; "No thanks", the close button and Escape all dismiss it.
function bindBagOffer() {
  const dialog = document.getElementById("bag-offer");
  if (!dialog) return;
  dialog.querySelectorAll("[data-close]").forEach((button) => {
    button.addEventListener("click", () => dialog.close("dismissed"));
  });
  dialog.addEventListener("close", () => sessionStorage.setItem("air-bag-offer", "dismissed"));
  if (sessionStorage.getItem("air-bag-offer") !== "dismissed") dialog.showModal();
}

function euros(cents) {
  return "€" + (cents / 100).toFixed(2);
}

function bindSeatPicker(map) {
  const picks = Array.from(document.querySelectorAll("#seat-picks li"));
  const radios = Array.from(document.querySelectorAll('input[name="active_passenger"]'));
  const seats = Array.from(map.querySelectorAll("button.seat"));

  function activePassenger() {
    const checked = radios.find((radio) => radio.checked);
    return checked ? checked.value : picks[0].dataset.pid;
  }

  function render() {
    let total = 0;
    const holders = {};
    picks.forEach((pick) => {
      const code = pick.querySelector("input").value;
      const seat = seats.find((button) => button.dataset.seat === code);
      pick.querySelector(".pick").textContent = seat ? seat.dataset.describe : "No seat chosen";
      if (seat) {
        holders[code] = pick.dataset.pid;
        total += Number(seat.dataset.price);
      }
    });
    seats.forEach((button) => {
      const held = button.dataset.seat in holders;
      button.classList.toggle("seat-selected", held);
      if (button.hasAttribute("aria-pressed")) button.setAttribute("aria-pressed", String(held));
    });
    document.getElementById("seat-total").textContent = euros(total);
  }

  function choose(button) {
    const pid = activePassenger();
    picks.forEach((pick) => {
      const input = pick.querySelector("input");
      if (pick.dataset.pid === pid) input.value = button.dataset.seat;
      else if (input.value === button.dataset.seat) input.value = "";
    });
    render();
    // With several passengers, move on to the next one still without a seat.
    const next = picks.find((pick) => !pick.querySelector("input").value);
    const radio = next && radios.find((r) => r.value === next.dataset.pid);
    if (radio) radio.checked = true;
  }

  seats.forEach((button) => {
    if (!button.disabled) button.addEventListener("click", () => choose(button));
  });
  render();
}

// The seat map arrives about a second after the page, as it does on real airline sites.
function loadSeatMap() {
  const map = document.getElementById("seat-map");
  if (!map) return;
  setTimeout(async () => {
    try {
      const response = await fetch(map.dataset.src, { credentials: "same-origin" });
      if (!response.ok) throw new Error("status " + response.status);
      map.innerHTML = await response.text();
      map.setAttribute("aria-busy", "false");
      bindSeatPicker(map);
    } catch (error) {
      map.innerHTML = '<p class="alert alert-error" role="alert">The seat map could not be loaded. ' +
        "Reload the page to try again.</p>";
    }
  }, 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  bindCookieBanner();
  bindToggles();
  bindBagOffer();
  loadSeatMap();
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
