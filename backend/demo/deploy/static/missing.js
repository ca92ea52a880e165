"use strict";

// A page for an unknown service or deployment; the server answered 404 with the reason.
(() => {
  const { esc } = Deploy;
  document.getElementById("main").innerHTML = `
    <div class="empty">
      <h1>Not found</h1>
      <p class="muted">${esc(Deploy.subject)}</p>
      <p><a href="/">Back to services</a></p>
    </div>`;
  Deploy.start(async () => Deploy.api("/api/incidents"));
})();
