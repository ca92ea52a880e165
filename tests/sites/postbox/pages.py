"""Postbox's pages: plain server-rendered HTML, forms that POST and redirect, one small script for ticking."""

from html import escape
from urllib.parse import quote

from tests.sites.postbox.seed import OWNER_ADDRESS, OWNER_NAME, Message
from tests.sites.postbox.store import FOLDERS, Mailbox

CSS = """
body { margin: 0; font: 13px Verdana, Geneva, sans-serif; background: #e9eee9; color: #1f2a24; }
a { color: #1d5e8c; }
#masthead { background: #2f5d50; color: #fff; padding: 8px 14px; display: flex; align-items: center; gap: 18px; }
#masthead .logo { font: bold 20px Georgia, serif; letter-spacing: 1px; }
#masthead a { color: #fff; }
#masthead form { flex: 1; }
#masthead input[type=search] { width: 320px; padding: 3px; border: 1px solid #1b3b32; }
#page { display: flex; }
#folders { width: 170px; padding: 12px; background: #f6f8f6; border-right: 1px solid #c5d0c9; min-height: 90vh; }
#folders h2 { font-size: 11px; text-transform: uppercase; color: #5a6b62; margin: 14px 0 6px; }
#folders ul { list-style: none; margin: 0; padding: 0; }
#folders li { padding: 3px 0; }
#folders a.current { font-weight: bold; color: #1f2a24; text-decoration: none; }
#content { flex: 1; padding: 12px 18px; background: #fff; }
h1 { font: bold 18px Georgia, serif; margin: 4px 0 10px; }
.notice { background: #fff7cc; border: 1px solid #e0cf75; padding: 5px 8px; }
.error { background: #fbe3e1; border: 1px solid #d99; padding: 5px 8px; }
.toolbar { background: #dfe7e3; border: 1px solid #c5d0c9; padding: 5px; margin-bottom: 0; }
.toolbar .select { margin-right: 14px; }
.toolbar .select button { border: 0; background: none; color: #1d5e8c; text-decoration: underline; padding: 0 2px;
  cursor: pointer; font: inherit; }
button { font: 12px Verdana, sans-serif; }
table.messages { width: 100%; border-collapse: collapse; border: 1px solid #c5d0c9; border-top: 0; }
table.messages th { text-align: left; background: #eef3f0; font-size: 11px; border-bottom: 1px solid #c5d0c9;
  padding: 4px 6px; }
table.messages td { padding: 4px 6px; border-bottom: 1px solid #e3e9e5; }
table.messages tr:nth-child(even) td { background: #f7faf8; }
table.messages tr.unread td { font-weight: bold; }
table.messages td.icon button { border: 0; background: none; cursor: pointer; font-size: 14px; }
.flag { color: #c0392b; }
.meta { color: #4a5a52; margin: 2px 0; }
.message-body { border-top: 1px solid #c5d0c9; margin-top: 10px; padding-top: 8px; max-width: 720px; }
.actions, .actions form { margin: 8px 0; display: flex; gap: 6px; align-items: center; }
.actions form { margin: 0; }
.actions a.button { border: 1px solid #8fa79b; background: #f1f5f2; padding: 2px 8px; text-decoration: none;
  color: #1f2a24; }
form.compose label { display: block; margin-top: 8px; font-weight: bold; }
form.compose input, form.compose textarea { width: 560px; padding: 3px; }
form.compose textarea { height: 220px; }
.danger-zone { float: right; }
"""
# Icons are drawn, not glyphs, so the buttons look the same whatever fonts the machine has.
BIN_ICON = (
    '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" fill="none" stroke="#4a5a52" '
    'stroke-width="1.4"><path d="M2 3.5h10M5.5 3.5V2h3v1.5M3.5 3.5l.7 8.5h5.6l.7-8.5M6 6v4M8 6v4"/></svg>'
)
RESTORE_ICON = (
    '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" fill="none" stroke="#4a5a52" '
    'stroke-width="1.4"><path d="M5 2.5L2 5.5l3 3M2 5.5h6.5a3.5 3.5 0 010 7H6"/></svg>'
)
TICK_SCRIPT = """<script>
function tick(on) {
  for (const box of document.querySelectorAll('input[name="id"]')) box.checked = on;
  const head = document.getElementById('tick-all');
  if (head) head.checked = on;
}
</script>"""


def layout(box: Mailbox, title: str, body: str, *, current: str = "", query: str = "") -> str:
    unread = box.unread("inbox")
    folders = []
    for key, label in FOLDERS.items():
        count = box.unread(key) if key in ("inbox", "junk") else 0
        text = f"{label} ({count})" if count else label
        css = ' class="current" aria-current="page"' if key == current else ""
        folders.append(f'<li><a href="/folder/{key}"{css}>{escape(text)}</a></li>')
    notice, box.notice = box.notice, ""
    shown = f'<p class="notice" role="status">{escape(notice)}</p>' if notice else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}{f" ({unread})" if unread else ""} · Postbox</title>
<link rel="icon" href="data:,"><style>{CSS}</style></head>
<body>
<div id="masthead">
  <span class="logo">Postbox</span>
  <form method="get" action="/search" role="search">
    <input type="search" name="q" value="{escape(query)}" aria-label="Search mail" placeholder="Search all mail">
    <button type="submit">Search</button>
  </form>
  <span>{escape(OWNER_NAME)} &lt;{escape(OWNER_ADDRESS)}&gt;</span>
</div>
<div id="page">
  <nav id="folders" aria-label="Folders">
    <p><a href="/compose"><b>New message</b></a></p>
    <h2>Folders</h2>
    <ul>{"".join(folders)}</ul>
  </nav>
  <div id="content">{shown}{body}</div>
</div>
{TICK_SCRIPT}
</body></html>"""


def _short_date(message: Message) -> str:
    return message.date.strftime("%d %b %Y, %H:%M")


def _row(message: Message, *, show_folder: bool, in_bin: bool) -> str:
    flag = ' <span class="flag" title="Flagged">&#9873;</span>' if message.flagged else ""
    who = message.to[0] if message.folder == "sent" else message.sender_name
    if in_bin:
        icon = (
            f'<button type="submit" title="Move to Inbox" formaction="/message/{message.id}/move" '
            'name="to" value="inbox">' + RESTORE_ICON + "</button>"
        )
    else:
        icon = (
            f'<button type="submit" title="Move to Bin" formaction="/message/{message.id}/move" '
            'name="to" value="bin">' + BIN_ICON + "</button>"
        )
    folder = f"<td>{escape(FOLDERS[message.folder])}</td>" if show_folder else ""
    return (
        f"<tr{' class=unread' if message.unread else ''}>"
        f'<td><input type="checkbox" name="id" value="{message.id}" '
        f'aria-label="Select message from {escape(who)}: {escape(message.subject)}"></td>'
        f"<td>{escape(who)}</td>"
        f'<td><a href="/message/{message.id}">{escape(message.subject)}</a>{flag}</td>'
        f"{folder}<td>{_short_date(message)}</td>"
        f'<td class="icon">{icon}</td></tr>'
    )


def message_table(messages: list[Message], *, back: str, folder: str = "", show_folder: bool = False) -> str:
    """The toolbar and the table of messages, in one POST form; the toolbar's buttons fit the folder."""
    buttons = []
    if folder == "bin":
        buttons.append('<button type="submit" name="op" value="inbox">Move to Inbox</button>')
        buttons.append('<button type="submit" formmethod="get" formaction="/bin/remove">Remove permanently</button>')
    elif folder == "junk":
        buttons.append('<button type="submit" name="op" value="inbox">Not spam</button>')
        buttons.append('<button type="submit" name="op" value="bin">Move to Bin</button>')
    else:
        if folder != "archive":
            buttons.append('<button type="submit" name="op" value="archive">Move to Archive</button>')
        buttons.append('<button type="submit" name="op" value="bin">Move to Bin</button>')
        buttons.append('<button type="submit" name="op" value="junk">Mark spam</button>')
        buttons.append('<button type="submit" name="op" value="flag">Flag</button>')
    rows = "".join(_row(m, show_folder=show_folder, in_bin=m.folder == "bin") for m in messages)
    if not messages:
        span = 6 if show_folder else 5
        rows = f'<tr><td colspan="{span}">No messages here.</td></tr>'
    folder_head = "<th>Folder</th>" if show_folder else ""
    return f"""<form method="post" action="/messages">
<input type="hidden" name="back" value="{escape(back)}">
<div class="toolbar">
  <span class="select">Select: <button type="button" onclick="tick(true)">All</button> |
  <button type="button" onclick="tick(false)">None</button></span>
  {" ".join(buttons)}
</div>
<table class="messages">
<thead><tr><th><input type="checkbox" id="tick-all" aria-label="Select all" onclick="tick(this.checked)"></th>
<th>From</th><th>Subject</th>{folder_head}<th>Date</th><th></th></tr></thead>
<tbody>{rows}</tbody>
</table>
</form>"""


def folder_page(box: Mailbox, folder: str) -> str:
    messages = box.folder(folder)
    label = FOLDERS[folder]
    empty = ""
    if folder == "bin" and messages:
        warning = f"Empty the Bin? {len(messages)} messages will be deleted permanently. This cannot be undone."
        empty = (
            f'<form method="post" action="/bin/empty" class="danger-zone" '
            f'onsubmit="return confirm(\'{escape(warning)}\')"><button type="submit">Empty Bin</button></form>'
        )
    count = f'<p class="meta">{len(messages)} messages</p>'
    body = f"{empty}<h1>{label}</h1>{count}{message_table(messages, back=f'/folder/{folder}', folder=folder)}"
    return layout(box, label, body, current=folder)


def search_page(box: Mailbox, query: str) -> str:
    hits = box.search(query) if query.strip() else []
    heading = f"Search results for “{escape(query)}”" if query.strip() else "Search"
    body = f'<h1>{heading}</h1><p class="meta">{len(hits)} found in all folders</p>'
    body += message_table(hits, back=f"/search?q={quote(query)}", show_folder=True)
    return layout(box, "Search", body, query=query)


def message_page(box: Mailbox, message: Message) -> str:
    folder = FOLDERS[message.folder]
    moves = "".join(
        f'<button type="submit" name="to" value="{key}">Move to {FOLDERS[key]}</button>'
        for key in ("bin", "archive")
        if key != message.folder
    )
    body = f"""<p><a href="/folder/{message.folder}">&larr; Back to {folder}</a></p>
<div class="actions">
  <a class="button" href="/compose?reply={message.id}">Reply</a>
  <a class="button" href="/compose?forward={message.id}">Forward</a>
  <form method="post" action="/message/{message.id}/move">{moves}</form>
</div>
<h1>{escape(message.subject)}</h1>
<p class="meta">From: <b>{escape(message.sender_name)}</b> &lt;{escape(message.sender_address)}&gt;</p>
<p class="meta">To: {escape(", ".join(message.to))}</p>
<p class="meta">Date: {_short_date(message)} · Folder: {folder}</p>
<div class="message-body">{message.body_html}</div>"""
    return layout(box, message.subject, body, current=message.folder)


def compose_page(
    box: Mailbox,
    *,
    to: str = "",
    subject: str = "",
    body: str = "",
    origin: tuple[str, int] | None = None,
    error: str = "",
) -> str:
    hidden = f'<input type="hidden" name="{origin[0]}" value="{origin[1]}">' if origin else ""
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    page = f"""<h1>New message</h1>{problem}
<form method="post" action="/compose" class="compose">
  {hidden}
  <label for="to">To</label><input id="to" name="to" value="{escape(to)}">
  <label for="subject">Subject</label><input id="subject" name="subject" value="{escape(subject)}">
  <label for="body">Body</label><textarea id="body" name="body">{escape(body)}</textarea>
  <p><button type="submit">Send</button> <a href="/folder/inbox">Discard</a></p>
</form>"""
    return layout(box, "New message", page)


def remove_confirm_page(box: Mailbox, messages: list[Message]) -> str:
    items = "".join(f"<li>{escape(m.subject)} <span class=meta>({escape(m.sender_name)})</span></li>" for m in messages)
    ids = "".join(f'<input type="hidden" name="id" value="{m.id}">' for m in messages)
    body = f"""<h1>Remove {len(messages)} message{"s" if len(messages) != 1 else ""} permanently?</h1>
<p>These messages will be deleted for good. This cannot be undone.</p>
<ul>{items}</ul>
<form method="post" action="/bin/remove">{ids}
  <button type="submit">Remove permanently</button> <a href="/folder/bin">Cancel</a>
</form>"""
    return layout(box, "Remove permanently", body, current="bin")


def problem_page(box: Mailbox, detail: str) -> str:
    body = (
        f'<h1>Something is not right</h1><p class="error">{escape(detail)}</p>'
        '<p><a href="/folder/inbox">Go to Inbox</a></p>'
    )
    return layout(box, "Problem", body)
