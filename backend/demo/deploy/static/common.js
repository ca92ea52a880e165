"use strict";

// What every Demo Deploy page shares: API calls, polling, the incident banner, the confirm step, and
// small renderers (status pills, sparklines, times).
const Deploy = (() => {
  const POLL_MS = 2000;
  const subject = document.body.dataset.subject;
  let reload = async () => {};

  const esc = (value) =>
    String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    if (options.body) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { ...options, headers });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(typeof data.detail === "string" ? data.detail : `The request failed (HTTP ${response.status}).`);
    }
    return data;
  }

  const post = (path, body) => api(path, { method: "POST", body: body ? JSON.stringify(body) : undefined });

  // Re-render only what changed, and put keyboard focus back where it was, so polling never steals focus.
  const rendered = new WeakMap();
  function patch(element, html) {
    if (!element || rendered.get(element) === html) return;
    const active = document.activeElement;
    const key = active && element.contains(active) ? active.dataset.key : null;
    element.innerHTML = html;
    rendered.set(element, html);
    if (key) element.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  const STATUS = { queued: "Queued", running: "Running", healthy: "Healthy", failed: "Failed", rolled_back: "Rolled back" };

  function pill(status, progress) {
    const label = status === "running" ? `Running ${progress}%` : STATUS[status] || status;
    const mark = status === "running" || status === "queued" ? "spinner" : "dot";
    return `<span class="pill pill-${esc(status)}"><span class="${mark}" aria-hidden="true"></span>${esc(label)}</span>`;
  }

  function progressBar(deployment) {
    if (!["queued", "running"].includes(deployment.status)) return "";
    return `<div class="progress" role="progressbar" aria-label="Rollout progress of ${esc(deployment.id)}"
      aria-valuemin="0" aria-valuemax="100" aria-valuenow="${deployment.progress}">
      <span style="width:${deployment.progress}%"></span></div>`;
  }

  function ago(iso, nowIso) {
    const seconds = Math.max(0, (new Date(nowIso) - new Date(iso)) / 1000);
    if (seconds < 45) return "just now";
    if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} d ago`;
  }

  const time = (iso) =>
    new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

  function duration(seconds) {
    const s = Math.round(seconds);
    return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  }

  function formatMetric(name, value) {
    if (name === "error_rate") return `${value.toFixed(2)}%`;
    if (name === "latency_p95_ms") return `${Math.round(value)} ms`;
    return `${value >= 100 ? Math.round(value) : value.toFixed(1)}/s`;
  }

  function sparkline(values, { label, width = 120, height = 28, threshold = null } = {}) {
    const lo = Math.min(...values);
    let hi = Math.max(...values);
    if (hi - lo < 1e-9) hi = lo + 1;
    const x = (i) => ((i / (values.length - 1)) * (width - 2) + 1).toFixed(1);
    const y = (v) => (height - 2 - ((v - lo) / (hi - lo)) * (height - 4)).toFixed(1);
    const points = values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    const alert = threshold !== null && values[values.length - 1] > threshold;
    const showLine = threshold !== null && threshold >= lo && threshold <= hi;
    return `<svg class="spark ${alert ? "spark-alert" : ""}" width="${width}" height="${height}"
      viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">
      <polygon class="spark-area" points="1,${height - 1} ${points} ${width - 1},${height - 1}"></polygon>
      ${showLine ? `<line class="spark-threshold" x1="0" x2="${width}" y1="${y(threshold)}" y2="${y(threshold)}"></line>` : ""}
      <polyline class="spark-line" points="${points}"></polyline>
      <circle class="spark-dot" cx="${x(values.length - 1)}" cy="${y(values[values.length - 1])}" r="2.2"></circle>
    </svg>`;
  }

  function banners(page) {
    const html = page.incidents
      .map(
        (incident) => `<div class="banner ${incident.acknowledged ? "banner-acked" : ""}" role="alert">
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 2 21h20z" fill="currentColor"/><path d="M12 10v5M12 18v.5" stroke="#1a0b0d" stroke-width="2.2" stroke-linecap="round"/></svg>
        <div class="banner-text">
          <strong>Incident ${esc(incident.id)}: ${esc(incident.service)} ${esc(incident.environment)} error rate
          ${incident.error_rate.toFixed(1)}%</strong> (threshold ${incident.threshold}%) since ${time(incident.started_at)}.
          ${esc(incident.cause)}.
          ${incident.acknowledged ? `<span class="muted">Acknowledged at ${time(incident.acknowledged_at)}.</span>` : ""}
        </div>
        <div class="banner-actions">
          ${incident.deployment ? `<a href="/deployments/${esc(incident.deployment)}" data-key="inc-view-${esc(incident.id)}">View deployment ${esc(incident.deployment)}</a>` : `<a href="/services/${esc(incident.service)}" data-key="inc-svc-${esc(incident.id)}">View ${esc(incident.service)}</a>`}
          ${incident.acknowledged ? "" : `<button type="button" class="button small" data-acknowledge="${esc(incident.id)}" data-key="inc-ack-${esc(incident.id)}">Acknowledge</button>`}
        </div>
      </div>`,
      )
      .join("");
    patch(document.getElementById("banners"), html);
  }

  let toastTimer = null;
  function toast(message, tone = "info") {
    const element = document.getElementById("toast");
    element.textContent = message;
    element.className = `toast toast-${tone} toast-shown`;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (element.className = "toast"), 6000);
  }

  // The in-page confirm step. With `requireText`, the user must type it (the service name) first.
  function confirmStep({ title, body, confirmLabel, requireText = null, tone = "primary" }) {
    const dialog = document.getElementById("confirm");
    const ok = document.getElementById("confirm-ok");
    const cancel = document.getElementById("confirm-cancel");
    const input = document.getElementById("confirm-input");
    const opener = document.activeElement;
    document.getElementById("confirm-title").textContent = title;
    document.getElementById("confirm-body").innerHTML = body;
    document.getElementById("confirm-typed").hidden = !requireText;
    document.getElementById("confirm-label").innerHTML = requireText ? `Type <code>${esc(requireText)}</code> to confirm` : "";
    input.value = "";
    ok.textContent = confirmLabel;
    ok.className = `button ${tone}`;
    ok.disabled = Boolean(requireText);
    return new Promise((resolve) => {
      const finish = (answer) => {
        dialog.close();
        ok.onclick = cancel.onclick = dialog.oncancel = input.oninput = input.onkeydown = null;
        if (opener && opener.isConnected) opener.focus();
        resolve(answer);
      };
      ok.onclick = () => finish(true);
      cancel.onclick = () => finish(false);
      dialog.oncancel = (event) => {
        event.preventDefault();
        finish(false);
      };
      input.oninput = () => (ok.disabled = input.value.trim() !== requireText);
      input.onkeydown = (event) => {
        if (event.key === "Enter" && !ok.disabled) finish(true);
      };
      dialog.showModal();
      (requireText ? input : cancel).focus();
    });
  }

  // Run an action: report its error in a toast rather than failing silently.
  async function act(run, success) {
    try {
      const result = await run();
      if (success) success(result);
      await reload();
      return result;
    } catch (error) {
      toast(error.message, "error");
      return null;
    }
  }

  function start(load) {
    reload = async () => {
      try {
        const page = await load();
        banners(page);
        patch(document.getElementById("updated"), `Updated ${time(page.now)}`);
      } catch (error) {
        patch(document.getElementById("updated"), `<span class="text-error">Cannot reach Demo Deploy: ${esc(error.message)}</span>`);
      }
    };
    document.getElementById("refresh").addEventListener("click", () => reload());
    document.getElementById("banners").addEventListener("click", (event) => {
      const button = event.target.closest("[data-acknowledge]");
      if (!button) return;
      const id = button.dataset.acknowledge;
      act(() => post(`/api/incidents/${encodeURIComponent(id)}/acknowledge`), () => toast(`${id} acknowledged.`));
    });
    // Clickable rows and cards, for the mouse; each also holds a real link for the keyboard.
    document.getElementById("main").addEventListener("click", (event) => {
      const target = event.target.closest("[data-href]");
      if (target && !event.target.closest("a, button, input")) window.location.href = target.dataset.href;
    });
    reload();
    setInterval(reload, POLL_MS);
  }

  return { api, post, esc, patch, pill, progressBar, ago, time, duration, formatMetric, sparkline, toast, confirmStep, act, start, subject };
})();
