"use strict";

// One deployment: progress, logs as they arrive, the environment's metrics, and Roll back / Promote /
// Redeploy, each behind a confirm step.
(() => {
  const { esc, patch, pill, progressBar, sparkline, formatMetric, ago, time, duration } = Deploy;
  const id = Deploy.subject;
  const path = `/api/deployments/${encodeURIComponent(id)}`;
  const main = document.getElementById("main");
  main.innerHTML = `
    <nav class="breadcrumb" aria-label="Breadcrumb" id="crumbs"></nav>
    <div class="page-head">
      <div id="head"></div>
      <div class="actions" id="actions"></div>
    </div>
    <div id="progress"></div>
    <div class="split">
      <section class="panel">
        <div class="panel-head"><h2>Logs</h2><span class="muted small" id="log-count"></span></div>
        <div class="logs" id="logs" role="log" aria-label="Deployment logs" tabindex="0"></div>
      </section>
      <div class="side">
        <section class="panel"><div class="panel-head"><h2>Details</h2></div><dl class="details" id="details"></dl></section>
        <section class="panel"><div class="panel-head"><h2 id="metrics-title">Metrics</h2></div><div id="metrics"></div></section>
      </div>
    </div>`;
  let last = null;

  const METRICS = [
    ["error_rate", "Error rate"],
    ["latency_p95_ms", "Latency p95"],
    ["requests_per_second", "Requests per second"],
  ];

  function actionButton(key, label, action, tone) {
    if (!action) return "";
    return `<button type="button" class="button ${tone}" data-action="${key}" data-key="action-${key}"
      ${action.allowed ? "" : `disabled title="${esc(action.reason)}"`}>${label}</button>`;
  }

  function render(page) {
    const d = page.deployment;
    const environment = page.environment;
    const actions = page.actions;
    patch(
      document.getElementById("crumbs"),
      `<a href="/">Services</a><span aria-hidden="true">/</span><a href="${esc(page.service.url)}">${esc(d.service)}</a>
       <span aria-hidden="true">/</span><span aria-current="page">${esc(d.id)}</span>`,
    );
    patch(
      document.getElementById("head"),
      `<div class="title-row">
         <h1>Deployment ${esc(d.id)}</h1>
         <button type="button" class="icon-button" id="copy-id" title="Copy deployment ID" data-key="copy">
           <svg width="15" height="15" viewBox="0 0 24 24" aria-hidden="true"><rect x="8" y="8" width="12" height="12" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3" fill="none" stroke="currentColor" stroke-width="2"/></svg>
         </button>
         ${pill(d.status, d.progress)}
       </div>
       <p class="muted"><strong class="text">${esc(d.service)} <span class="version">${esc(d.version)}</span></strong>
         → ${esc(d.environment)} · ${esc(d.kind)} by ${esc(d.started_by)} · ${ago(d.created_at, page.now)}</p>
       ${d.rolled_back_in ? `<p class="note">Rolled back at ${time(d.rolled_back_at)} in <a href="/deployments/${esc(d.rolled_back_in)}">${esc(d.rolled_back_in)}</a>.</p>` : ""}
       ${d.undoes ? `<p class="note">Rollback of <a href="/deployments/${esc(d.undoes)}">${esc(d.undoes)}</a>.</p>` : ""}`,
    );
    patch(
      document.getElementById("actions"),
      `${actionButton("redeploy", "Redeploy", actions.redeploy, "")}
       ${actionButton("promote", "Promote", actions.promote, "")}
       ${actionButton("rollback", "Roll back", actions.rollback, "danger")}`,
    );
    patch(document.getElementById("progress"), progressBar(d));
    renderLogs(page.logs);
    const took = d.finished_at ? duration((new Date(d.finished_at) - new Date(d.created_at)) / 1000) : "in progress";
    patch(
      document.getElementById("details"),
      `<dt>Commit</dt><dd><span class="mono">${esc(d.commit.sha)}</span> ${esc(d.commit.message)}</dd>
       <dt>Author</dt><dd>${esc(d.commit.author)}</dd>
       <dt>Previous version</dt><dd class="version">${esc(d.previous_version || "none")}</dd>
       <dt>Running now</dt><dd class="version">${esc(environment.version || "none")}</dd>
       <dt>Pods</dt><dd>${d.replicas}</dd>
       <dt>Started</dt><dd>${time(d.created_at)}</dd>
       <dt>Duration</dt><dd>${took}</dd>`,
    );
    const envTitle = d.environment === "production" ? "Production" : "Staging";
    document.getElementById("metrics-title").textContent = `${envTitle} metrics`;
    patch(
      document.getElementById("metrics"),
      METRICS.map(
        ([key, label]) => `<div class="metric-row">
          <div><div class="metric-label">${label}</div>
          <div class="metric-value ${key === "error_rate" && environment.metrics.error_rate > page.threshold ? "text-error" : ""}">${formatMetric(key, environment.metrics[key])}</div></div>
          ${sparkline(environment.series[key], { label: `${envTitle} ${label.toLowerCase()}, last 30 minutes`, width: 180, height: 36, threshold: key === "error_rate" ? page.threshold : null })}
        </div>`,
      ).join("") + `<p class="muted small">Last 30 minutes, one point a minute. Incidents open above ${page.threshold}% errors in production.</p>`,
    );
  }

  function renderLogs(lines) {
    const element = document.getElementById("logs");
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    patch(
      element,
      lines
        .map((line) => `<div class="log-line log-${esc(line.level.toLowerCase())}"><time>${time(line.at)}</time><span class="level">${esc(line.level)}</span><span>${esc(line.text)}</span></div>`)
        .join(""),
    );
    document.getElementById("log-count").textContent = `${lines.length} lines`;
    if (atBottom) element.scrollTop = element.scrollHeight;
  }

  async function rollback() {
    const d = last.deployment;
    const action = last.actions.rollback;
    const confirmed = await Deploy.confirmStep({
      title: `Roll back ${d.service} in ${d.environment}?`,
      body: `<p>${d.environment === "production" ? "Production" : "Staging"} goes from <strong>${esc(d.version)}</strong> back to
        <strong>${esc(action.target_version)}</strong> (${esc(action.target_deployment)}) right away, on all ${d.replicas} pods.</p>`,
      confirmLabel: "Confirm rollback",
      requireText: d.service,
      tone: "danger",
    });
    if (!confirmed) return;
    await Deploy.act(
      () => Deploy.post(`${path}/rollback`),
      (result) => Deploy.toast(`Rolled back: ${d.environment} runs ${result.deployment.version} (${result.deployment.id}).`),
    );
  }

  async function promote() {
    const d = last.deployment;
    const confirmed = await Deploy.confirmStep({
      title: `Promote ${d.service} ${d.version} to production?`,
      body: `<p>Production runs <strong>${esc(last.actions.promote.production_version || "nothing")}</strong>. The rollout of
        <strong>${esc(d.version)}</strong> goes through a canary, then all pods.</p>`,
      confirmLabel: "Confirm promotion",
    });
    if (!confirmed) return;
    await Deploy.act(() => Deploy.post(`${path}/promote`), (result) => (window.location.href = result.deployment.url));
  }

  async function redeploy() {
    const d = last.deployment;
    // A plain browser confirm, as some dashboards still use for their less risky actions.
    if (!window.confirm(`Redeploy ${d.service} ${d.version} to ${d.environment}?`)) return;
    await Deploy.act(() => Deploy.post(`${path}/redeploy`), (result) => (window.location.href = result.deployment.url));
  }

  main.addEventListener("click", (event) => {
    if (event.target.closest("#copy-id")) {
      navigator.clipboard?.writeText(id).then(
        () => Deploy.toast(`Copied ${id}.`),
        () => Deploy.toast(`Could not copy; the ID is ${id}.`, "error"),
      );
      return;
    }
    const button = event.target.closest("button[data-action]");
    if (!button || button.disabled || !last) return;
    ({ rollback, promote, redeploy })[button.dataset.action]();
  });

  Deploy.start(async () => {
    last = await Deploy.api(path);
    render(last);
    return last;
  });
})();
