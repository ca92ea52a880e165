"use strict";

// The service list: every service with its staging and production state, polled.
(() => {
  const { esc, patch, pill, sparkline, formatMetric, ago } = Deploy;
  const main = document.getElementById("main");
  main.innerHTML = `
    <div class="page-head">
      <div>
        <h1>Services</h1>
        <p class="muted">Deployments across staging and production for the acme platform.</p>
      </div>
    </div>
    <section class="stats" id="stats" aria-label="Summary"></section>
    <section class="panel">
      <div class="panel-head">
        <h2>All services</h2>
        <input id="filter" class="filter" type="search" placeholder="Filter services" autocomplete="off">
      </div>
      <div id="services" class="table-wrap"></div>
    </section>`;
  const filter = document.getElementById("filter");
  let last = null;

  function environmentCell(environment) {
    const latest = environment.latest;
    const moving = latest && latest.version !== environment.version && ["queued", "running"].includes(latest.status);
    return `<td>
      <div class="env-cell">
        <span class="version">${esc(environment.version || "none")}</span>
        ${latest ? pill(latest.status, latest.progress) : ""}
      </div>
      ${moving ? `<div class="muted small">to ${esc(latest.version)}</div>` : ""}
    </td>`;
  }

  function row(service, page) {
    const production = service.environments.production;
    const metrics = production.metrics;
    const last = service.last_deployment;
    return `<tr class="clickable" data-href="${esc(service.url)}">
      <td>
        <a class="service-link" href="${esc(service.url)}" data-key="svc-${esc(service.name)}">${esc(service.name)}</a>
        <div class="muted small">${esc(service.team)} · ${esc(service.description)}</div>
      </td>
      ${environmentCell(service.environments.staging)}
      ${environmentCell(production)}
      <td>
        <div class="metric-cell ${metrics.error_rate > page.threshold ? "text-error" : ""}">
          ${sparkline(service.error_rate_series, { label: `${service.name} production error rate, last 30 minutes`, threshold: page.threshold, width: 96, height: 24 })}
          <span>${formatMetric("error_rate", metrics.error_rate)}</span>
        </div>
      </td>
      <td class="num">${formatMetric("latency_p95_ms", metrics.latency_p95_ms)}</td>
      <td class="num">${formatMetric("requests_per_second", metrics.requests_per_second)}</td>
      <td>
        ${last ? `<a href="${esc(last.url)}" data-key="last-${esc(service.name)}">${esc(last.id)}</a>
        <div class="muted small nowrap">${esc(last.environment)} · ${ago(last.created_at, page.now)} · ${esc(last.started_by)}</div>` : ""}
      </td>
    </tr>`;
  }

  function render() {
    if (!last) return;
    const page = last;
    const summary = page.summary;
    patch(
      document.getElementById("stats"),
      `<div class="stat"><span class="stat-value">${summary.services}</span><span class="stat-label">Services</span></div>
       <div class="stat"><span class="stat-value">${summary.deploying}</span><span class="stat-label">Deploying now</span></div>
       <div class="stat ${summary.failed ? "stat-bad" : ""}"><span class="stat-value">${summary.failed}</span><span class="stat-label">Failed deployments</span></div>
       <div class="stat ${summary.incidents ? "stat-bad" : ""}"><span class="stat-value">${summary.incidents}</span><span class="stat-label">Open incidents</span></div>`,
    );
    const term = filter.value.trim().toLowerCase();
    const shown = page.services.filter((s) => !term || `${s.name} ${s.team} ${s.description}`.toLowerCase().includes(term));
    patch(
      document.getElementById("services"),
      `<table class="table">
        <thead><tr>
          <th scope="col">Service</th><th scope="col">Staging</th><th scope="col">Production</th>
          <th scope="col">Error rate</th><th scope="col" class="num">p95 latency</th>
          <th scope="col" class="num">Requests</th><th scope="col">Last deployment</th>
        </tr></thead>
        <tbody>${shown.map((s) => row(s, page)).join("") || `<tr><td colspan="7" class="muted">No service matches “${esc(term)}”.</td></tr>`}</tbody>
      </table>`,
    );
  }

  filter.addEventListener("input", render);
  Deploy.start(async () => {
    last = await Deploy.api("/api/services");
    render();
    return last;
  });
})();
