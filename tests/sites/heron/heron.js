const FLAG = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="#8b8270" ' +
  'stroke-width="1.5"><path d="M3 14V2.5h8l-1.5 3 1.5 3H3"/></svg>';
const state = { folder: 'inbox', cards: [], total: 0, open: null };
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const post = (path, body) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body || {}) }).then((r) => r.json());

async function loadTree() {
  const { folders } = await (await fetch('/api/folders')).json();
  const kids = (parent) => folders.filter((f) => f.parent === parent);
  const item = (f, level) => {
    const sub = kids(f.key);
    const count = f.unread ? `<span class="count">${f.unread}</span>` : '';
    const group = sub.length ? `<ul role="group">${sub.map((s) => item(s, level + 1)).join('')}</ul>` : '';
    const open = sub.length ? ' aria-expanded="true"' : '';
    return `<li role="treeitem" aria-level="${level}" data-key="${f.key}" aria-selected="${f.key === state.folder}"${open}>` +
      `<span class="label">${esc(f.name)}${count}</span>${group}</li>`;
  };
  $('tree').innerHTML = kids('').map((f) => item(f, 1)).join('');
}

function cardHtml(c) {
  const initials = c.sender.split(' ').map((w) => w[0]).join('').slice(0, 2);
  const chips = c.chips.length ? `<div class="chips">${c.chips.map((x) => `<span>${esc(x)}</span>`).join('')}</div>` : '';
  const name = `${c.unread ? 'Unread, ' : ''}${c.sender}, ${c.subject}`;
  return `<li class="card${c.unread ? ' unread' : ''}${state.open === c.id ? ' open' : ''}" tabindex="0" data-id="${c.id}" aria-label="${esc(name)}">` +
    `<span class="pick"><input type="checkbox" class="vh" id="pick-${c.id}" data-id="${c.id}">` +
    `<label for="pick-${c.id}" class="tick"><span class="vh">Select</span></label></span>` +
    `<div class="avatar" aria-hidden="true">${esc(initials)}</div>` +
    `<div><div class="top"><span class="sender">${esc(c.sender)}</span><span class="when">${esc(c.date)}</span></div>` +
    `<div class="subject">${esc(c.subject)}</div>${chips}<div class="snippet">${esc(c.snippet)}</div></div>` +
    `<button type="button" class="flag" aria-label="Flag" aria-pressed="${c.flagged}">${FLAG}</button></li>`;
}

function drawList() {
  const ticked = new Set(picked());
  $('cards').innerHTML = state.cards.length ? state.cards.map(cardHtml).join('') : '<li class="empty">Nothing here.</li>';
  for (const id of ticked) { const box = $(`pick-${id}`); if (box) box.checked = true; }
  $('more-wrap').innerHTML = state.cards.length < state.total ? '<button type="button" id="load-more">Load more</button>' : '';
}

async function loadList(reset) {
  if (reset) state.cards = [];
  const url = `/api/conversations?folder=${encodeURIComponent(state.folder)}&offset=${state.cards.length}`;
  const { items, total } = await (await fetch(url)).json();
  state.cards = state.cards.concat(items);
  state.total = total;
  drawList();
}

const picked = () => [...document.querySelectorAll('#cards input[type=checkbox]:checked')].map((b) => Number(b.dataset.id));

async function openCard(id) {
  const c = await (await fetch(`/api/conversations/${id}`)).json();
  state.open = id;
  $('preview').innerHTML = `<h2>${esc(c.subject)}</h2><div class="from">${esc(c.sender)} &lt;${esc(c.address)}&gt; · ${esc(c.date)}</div>` +
    `<p><button type="button" id="reply">Reply</button> <button type="button" id="bin-one">Move to bin</button></p>` +
    `<div class="text">${esc(c.body)}</div>`;
  $('reply').onclick = () => compose(c);
  $('bin-one').onclick = () => act('bin', [id]);
  if (c.unread) {
    await post(`/api/conversations/${id}/open`);
    const shown = state.cards.find((x) => x.id === id);
    if (shown) shown.unread = false;
    loadTree();
  }
  drawList();
}

function compose(c) {
  $('preview').innerHTML = `<h2>Reply</h2><form id="compose"><label for="to">To</label><input id="to" value="${esc(c.address)}">` +
    `<label for="subj">Subject</label><input id="subj" value="Re: ${esc(c.subject)}">` +
    `<label for="text">Message</label><textarea id="text" rows="8"></textarea><p><button type="submit">Send</button></p></form>`;
  $('compose').onsubmit = async (e) => {
    e.preventDefault();
    await post('/api/send', { to: $('to').value, subject: $('subj').value, body: $('text').value });
    $('preview').innerHTML = '<p class="empty">Sent.</p>';
  };
}

async function act(op, ids) {
  if (!ids.length) return;
  const moves = { archive: 'archive', junk: 'junk', bin: 'bin' };
  if (moves[op]) {
    await post('/api/conversations/move', { ids, to: moves[op] });
    state.cards = state.cards.filter((c) => !ids.includes(c.id));
    state.total -= ids.length;
  } else {
    await post('/api/conversations/read', { ids, read: op === 'read' });
    for (const c of state.cards) if (ids.includes(c.id)) c.unread = op !== 'read';
  }
  for (const box of document.querySelectorAll('#cards input:checked')) box.checked = false;
  $('pick-all').checked = false;
  drawList();
  loadTree();
}

function closeMenu() { $('menu').hidden = true; $('more').setAttribute('aria-expanded', 'false'); }

$('tree').addEventListener('click', (e) => {
  const item = e.target.closest('[role=treeitem]');
  if (!item) return;
  e.stopPropagation();
  state.folder = item.dataset.key;
  state.open = null;
  loadTree();
  loadList(true);
});
$('refresh').addEventListener('click', () => loadList(true));
$('more').addEventListener('click', () => {
  const open = $('menu').hidden;
  $('menu').hidden = !open;
  $('more').setAttribute('aria-expanded', String(open));
});
$('menu').addEventListener('click', (e) => {
  const item = e.target.closest('[role=menuitem]');
  if (!item) return;
  closeMenu();
  act(item.dataset.op, picked());
});
$('pick-all').addEventListener('change', (e) => {
  for (const box of document.querySelectorAll('#cards input[type=checkbox]')) box.checked = e.target.checked;
});
$('scroll').addEventListener('click', (e) => {
  if (e.target.closest('#load-more')) return loadList(false);
  if (e.target.closest('.pick')) return;  // ticking a card never opens it
  const flag = e.target.closest('.flag');
  const li = e.target.closest('li.card');
  if (!li) return;
  const id = Number(li.dataset.id);
  if (flag) {
    const on = flag.getAttribute('aria-pressed') !== 'true';
    post('/api/conversations/flag', { ids: [id], flagged: on }).then(() => {
      const c = state.cards.find((x) => x.id === id);
      if (c) c.flagged = on;
      drawList();
    });
    return;
  }
  openCard(id);
});
loadTree();
loadList(true);
