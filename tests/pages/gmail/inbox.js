// The inbox of the page set: ten rows a page, Gmail's row structure and names; changes POST to the page
// set's server, which logs them.
const PER_PAGE = 10;
let mail = [];
let page = 0;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

function row(m) {
  const unread = m.unread ? '<span class="vh">unread, </span>' : '';
  const star = m.starred ? 'Starred' : 'Not starred';
  return `<tr class="zA ${m.unread ? 'zE' : 'yO'}" role="row" data-id="${m.id}">` +
    `<td class="oZ-x3"><div role="checkbox" aria-checked="false" tabindex="-1" data-id="${m.id}"></div></td>` +
    `<td class="apU"><span class="T-KT" role="button" aria-label="${star}" data-id="${m.id}">&#9734;</span></td>` +
    `<td class="yX">${unread}<span class="zF" email="${esc(m.address)}" name="${esc(m.sender)}">${esc(m.sender)}</span></td>` +
    `<td class="xY"><div class="xS" role="link" tabindex="-1"><span class="bog">${esc(m.subject)}</span></div></td>` +
    `<td class="y2">${esc(m.snippet)}</td>` +
    `<td class="xW"><span title="${esc(m.full_date)}">${esc(m.date)}</span></td></tr>`;
}

function draw() {
  const shown = mail.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
  $('rows').innerHTML = shown.map(row).join('');
  $('range').textContent = `${page * PER_PAGE + 1}–${page * PER_PAGE + shown.length} of ${mail.length}`;
  $('newer').setAttribute('aria-disabled', String(page === 0));
  $('older').setAttribute('aria-disabled', String((page + 1) * PER_PAGE >= mail.length));
  selection();
}

const ticked = () => [...document.querySelectorAll('#rows [role=checkbox][aria-checked=true]')].map((b) => Number(b.dataset.id));
function selection() { $('bar').classList.toggle('some', ticked().length > 0); }

async function load() {
  mail = (await (await fetch('api/inbox')).json()).messages;
  page = Math.min(page, Math.max(0, Math.ceil(mail.length / PER_PAGE) - 1));
  draw();
}

async function act(op, ids) {
  await fetch('api/act', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ op, ids }) });
  await load();
}

document.addEventListener('click', (e) => {
  const box = e.target.closest('[role=checkbox]');
  if (box && box.id !== 'all') {
    box.setAttribute('aria-checked', String(box.getAttribute('aria-checked') !== 'true'));
    return selection();
  }
  const star = e.target.closest('.T-KT');
  if (star) return act(star.getAttribute('aria-label') === 'Starred' ? 'unstar' : 'star', [Number(star.dataset.id)]);
  const tool = e.target.closest('[data-op]');
  if (tool) return act(tool.dataset.op, ticked());
  if (e.target.closest('#older') && $('older').getAttribute('aria-disabled') !== 'true') { page += 1; return draw(); }
  if (e.target.closest('#newer') && $('newer').getAttribute('aria-disabled') !== 'true') { page -= 1; return draw(); }
});
load();
