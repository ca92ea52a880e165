"use strict";

// One service: its environments with live metrics, Deploy and Promote, and its deployment history.
(() => {
  const { esc, patch, pill, progressBar, sparkline, formatMetric, ago, duration } = Deploy;
  const name = Deploy.subject;
  const path = `/api/services/${encodeURIComponent(name)}`;
  const main = document.getElementById("main");
  main.innerHTML = `
    <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Services</a><span aria-hidden="true">/</span><span aria-current="page">${esc(name)}</span></nav>
    <div class="page-head">
      <div id="head"></div>
      <div class="actions" id="actions"></div>
    </div>
    <div class="env-grid" id="environments"></div>
    <section class="panel">
      <div class="panel-head"><h2>Deployments</h2></div>
      <div id="history" class="table-wrap"></div>
    </section>`;
  let last = null;

  const METRICS = [
    ["error_rate", "Error rate"],
    ["latency_p95_ms", "Latency p95"],
    ["requests_per_second", "Requests"],
  ];

  function environmentCard(environment, page) {
    const latest = environment.latest;
    const title = environment.name === "production" ? "Production" : "Staging";
    const metrics = METRICS.map(
      ([key, label]) => `<div class="metric">
        <div class="metric-label">${label}</div>
        <div class="metric-value ${key === "error_rate" && environment.metrics.error_rate > page.threshold ? "text-error" : ""}">
          ${formatMetric(key, environment.metrics[key])}</div>
        ${sparkline(environment.series[key], { label: `${title} ${label.toLowerCase()}, last 30 minutes`, threshold: key === "error_rate" ? page.threshold : null })}
      </div>`,
    ).join("");
    return `<div class="card env-card clickable" data-href="${latest ? esc(latest.url) : ""}">
      <div class="env-head">
        <h2>${title}</h2>
        ${latest ? pill(latest.status, latest.progress) : ""}
      </div>
      <div class="env-version"><span class="version big">${esc(environment.version || "none")}</span>
        ${latest && latest.version !== environment.version ? `<span class="muted">→ ${esc(latest.version)}</span>` : ""}</div>
      ${latest ? progressBar(latest) : ""}
      <div class="metrics">${metrics}</div>
      ${latest ? `<div class="env-foot"><a href="${esc(latest.url)}" data-key="env-${esc(environment.name)}">View deployment ${esc(latest.id)}</a>
        <span class="muted small">${esc(latest.kind)} by ${esc(latest.started_by)} · ${ago(latest.created_at, page.now)}</span></div>` : ""}
    </div>`;
  }

  function historyRow(deployment, page) {
    const took = deployment.finished_at ? duration((new Date(deployment.finished_at) - new Date(deployment.created_at)) / 1000) : "—";
    return `<tr>
      <td><a href="${esc(deployment.url)}" data-key="hist-${esc(deployment.id)}">${esc(deployment.id)}</a></td>
      <td>${esc(deployment.environment)}</td>
      <td><span class="version">${esc(deployment.version)}</span> <span class="muted small">${esc(deployment.commit.sha)}</span></td>
      <td class="commit-msg">${esc(deployment.commit.message)}</td>
      <td>${esc(deployment.kind)}</td>
      <td>${pill(deployment.status, deployment.progress)}</td>
      <td>${ago(deployment.created_at, page.now)}</td>
      <td class="num">${took}</td>
      <td>${esc(deployment.started_by)}</td>
    </tr>`;
  }

  function actionButton(key, label, action, tone) {
    return `<button type="button" class="button ${tone}" data-action="${key}" data-key="action-${key}"
      ${action.allowed ? "" : `disabled title="${esc(action.reason)}"`}>${label}</button>`;
  }

  function render(page) {
    const service = page.service;
    const deploy = page.actions.deploy;
    const promote = page.actions.promote;
    patch(
      document.getElementById("head"),
      `<h1>${esc(service.name)}</h1>
       <p class="muted">${esc(service.description)} · ${esc(service.team)} · <span class="mono">${esc(service.repo)}</span></p>
       <p class="small">Latest build <span class="version">${esc(service.latest_build.version)}</span>
         <span class="muted mono">${esc(service.latest_build.sha)}</span> ${esc(service.latest_build.message)}
         <span class="muted">by ${esc(service.latest_build.author)}</span></p>`,
    );
    patch(
      document.getElementById("actions"),
      `<div class="action">
         ${actionButton("promote", "Promote", promote, "")}
         <span class="muted small">${promote.version ? `staging ${esc(promote.version)} → production` : "nothing on staging"}</span>
       </div>
       <div class="action">
         ${actionButton("deploy", "Deploy", deploy, "primary")}
         <span class="muted small">${esc(deploy.version)} → staging</span>
       </div>`,
    );
    patch(document.getElementById("environments"), page.environments.map((e) => environmentCard(e, page)).join(""));
    patch(
      document.getElementById("history"),
      `<table class="table">
        <thead><tr><th scope="col">ID</th><th scope="col">Environment</th><th scope="col">Version</th>
        <th scope="col">Change</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Started</th>
        <th scope="col" class="num">Took</th><th scope="col">By</th></tr></thead>
        <tbody>${page.deployments.map((d) => historyRow(d, page)).join("")}</tbody>
      </table>`,
    );
  }

  async function startDeploy() {
    const deploy = last.actions.deploy;
    const build = last.service.latest_build;
    const staging = last.environments.find((e) => e.name === "staging");
    const confirmed = await Deploy.confirmStep({
      title: `Deploy ${name} ${deploy.version} to staging?`,
      body: `<p><span class="mono">${esc(build.sha)}</span> ${esc(build.message)} <span class="muted">by ${esc(build.author)}</span></p>
        <p>Staging runs ${esc(staging.version || "nothing")} now.</p>`,
      confirmLabel: "Start deployment",
    });
    if (!confirmed) return;
    await Deploy.act(
      () => Deploy.post(`${path}/deploy`, { environment: "staging" }),
      (result) => (window.location.href = result.deployment.url),
    );
  }

  async function promote() {
    const action = last.actions.promote;
    const confirmed = await Deploy.confirmStep({
      title: `Promote ${name} ${action.version} to production?`,
      body: `<p>Production runs <strong>${esc(action.production_version || "nothing")}</strong>. The rollout of
        <strong>${esc(action.version)}</strong> (${esc(action.deployment)}) goes through a canary, then all pods.</p>`,
      confirmLabel: "Confirm promotion",
    });
    if (!confirmed) return;
    await Deploy.act(
      () => Deploy.post(`/api/deployments/${encodeURIComponent(action.deployment)}/promote`),
      (result) => (window.location.href = result.deployment.url),
    );
  }

  document.getElementById("actions").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || button.disabled || !last) return;
    if (button.dataset.action === "deploy") startDeploy();
    if (button.dataset.action === "promote") promote();
  });

  Deploy.start(async () => {
    last = await Deploy.api(path);
    render(last);
    return last;
  });
})();
