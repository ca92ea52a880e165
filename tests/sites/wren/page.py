"""Wren's one page and its script: the list is drawn by the script from GET /api/list, ten rows a page."""

SHELL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wren Mail :: Inbox</title>
<style>
body { font: 14px sans-serif; margin: 0; display: flex; }
#folders { width: 160px; padding: 8px; background: #f4f4f4; }
#folders div { padding: 4px; cursor: default; }
#main { flex: 1; padding: 8px; }
#toolbar a { display: inline-block; padding: 6px 10px; margin-right: 4px; color: #223; text-decoration: none; }
#toolbar a[aria-disabled=true] { opacity: .45; }
#moremenu { position: absolute; background: #fff; border: 1px solid #ccc; list-style: none; padding: 4px; }
#moremenu a { display: block; padding: 4px 12px; color: #223; text-decoration: none; }
table { border-collapse: collapse; width: 100%; }
td { padding: 6px 8px; border-bottom: 1px solid #eee; }
tr.message { cursor: default; }
tr.message td a { color: inherit; text-decoration: none; }
tr.unread td { font-weight: bold; }
tr.selected td { background: #d7e6fb; }
.msgicon { display: inline-block; width: 10px; height: 10px; }
.msgicon.unread { background: #2a6ed4; border-radius: 5px; }
#pager { margin-top: 8px; }
#pager a { display: inline-block; padding: 2px 8px; color: #223; text-decoration: none; }
#preview { margin-top: 12px; padding: 8px; border-top: 1px solid #ccc; min-height: 40px; }
</style></head>
<body>
<div id="folders"><div title="Inbox">Inbox</div><div title="Archive">Archive</div><div title="Trash">Trash</div></div>
<div id="main">
  <div id="toolbar" role="menubar" aria-label="Message actions">
    <a href="#" role="menuitem" id="archive" class="button archive" aria-disabled="true">Archive</a>
    <a href="#" role="menuitem" id="delete" class="button delete" aria-disabled="true">Delete</a>
    <a href="#" role="menuitem" id="more" aria-haspopup="true" aria-expanded="false">More</a>
    <a href="#" role="menuitem" id="selection" aria-disabled="true" title="Show the selection column">Selection</a>
  </div>
  <ul role="menu" id="moremenu" hidden>
    <li role="none"><a href="#" role="menuitem" id="markread">Mark as read</a></li>
    <li role="none"><a href="#" role="menuitem" id="markunread">Mark as unread</a></li>
  </ul>
  <table id="messagelist"><tbody id="rows"></tbody></table>
  <div id="pager">
    <span id="count"></span>
    <a href="#" role="button" id="first" title="Show first page">\u00ab</a>
    <a href="#" role="button" id="prev" title="Show previous page">\u2039</a>
    <a href="#" role="button" id="next" title="Show next page">\u203a</a>
  </div>
  <div id="preview"></div>
</div>
<script src="/mail/wren.js"></script>
</body></html>
"""

SCRIPT = r"""
(() => {
  const $ = (id) => document.getElementById(id);
  const PER_PAGE = 10;
  let page = 0, total = 0, items = [], showBoxes = false;
  let selected = new Set();
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  async function load() {
    const answer = await fetch(`/api/list?page=${page}`);
    const body = await answer.json();
    items = body.items;
    total = body.total;
    selected = new Set([...selected].filter((id) => items.some((m) => m.id === id)));
    draw();
  }

  function draw() {
    const rows = $('rows');
    rows.textContent = '';
    for (const m of items) {
      const on = selected.has(m.id);
      const tr = document.createElement('tr');
      tr.className = `message${m.unread ? ' unread' : ''}${on ? ' selected' : ''}`;
      tr.setAttribute('aria-selected', String(on));
      const box = `<input type="checkbox"${on ? ' checked' : ''}>`;
      tr.innerHTML = `<td class="selection"${showBoxes ? '' : ' hidden'}>${box}</td>`
        + `<td class="status"><span class="msgicon status${m.unread ? ' unread' : ''}"></span></td>`
        + `<td class="fromto"><span class="adr"><span title="${esc(m.address)}">${esc(m.sender)}</span></span></td>`
        + `<td class="subject"><a href="/mail/message/${m.id}" tabindex="-1">${esc(m.subject)}</a></td>`
        + `<td class="date">${esc(m.date)}</td>`;
      tr.addEventListener('click', (event) => pick(event, m.id));
      rows.append(tr);
    }
    const last = Math.min(total, (page + 1) * PER_PAGE);
    $('count').textContent = total ? `Messages ${page * PER_PAGE + 1} to ${last} of ${total}` : 'The list is empty';
    $('next').setAttribute('aria-disabled', String(last >= total));
    $('prev').setAttribute('aria-disabled', String(page === 0));
    $('first').setAttribute('aria-disabled', String(page === 0));
    for (const id of ['archive', 'delete']) $(id).setAttribute('aria-disabled', String(selected.size === 0));
  }

  // As desktop webmails do: a click selects the row alone and opens it below (which marks it read);
  // Ctrl or Cmd adds or removes the row without opening it; the subject's link selects like the row.
  function pick(event, id) {
    event.preventDefault();
    if (event.target.closest('input[type=checkbox]') || event.ctrlKey || event.metaKey) {
      if (selected.has(id)) selected.delete(id); else selected.add(id);
      mark();
      return;
    }
    selected = new Set([id]);
    mark();
    preview(id);
  }

  // Selection redraws no row: it only restyles them, as list widgets do.
  function mark() {
    [...$('rows').children].forEach((tr, n) => {
      const on = selected.has(items[n].id);
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
      tr.querySelector('input[type=checkbox]').checked = on;
    });
    for (const id of ['archive', 'delete']) $(id).setAttribute('aria-disabled', String(selected.size === 0));
  }

  async function preview(id) {
    const answer = await fetch(`/api/message/${id}`);
    const m = await answer.json();
    $('preview').textContent = `${m.sender}: ${m.subject}`;
    await load();
  }

  async function act(url, extra) {
    if (!selected.size) return;
    await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                       body: JSON.stringify({ ids: [...selected], ...extra }) });
    selected.clear();
    await load();
  }

  const on = (id, handler) => $(id).addEventListener('click', (event) => { event.preventDefault(); handler(); });
  // Marked aria-disabled while nothing is selected, yet still answering clicks, as real webmails leave them.
  on('archive', () => act('/api/move', { to: 'archive' }));
  on('delete', () => act('/api/move', { to: 'trash' }));
  on('selection', () => { showBoxes = !showBoxes; draw(); });
  on('more', () => {
    const menu = $('moremenu');
    menu.hidden = !menu.hidden;
    $('more').setAttribute('aria-expanded', String(!menu.hidden));
  });
  on('markread', () => act('/api/read', { read: true }));
  on('markunread', () => act('/api/read', { read: false }));
  on('next', () => { if ((page + 1) * PER_PAGE < total) { page += 1; selected.clear(); load(); } });
  on('prev', () => { if (page > 0) { page -= 1; selected.clear(); load(); } });
  on('first', () => { page = 0; selected.clear(); load(); });
  load();
})();
"""
