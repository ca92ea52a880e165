"""Heron's one page: a folder tree, a list of conversation cards and a preview pane, drawn by heron.js.

What a person sees differs from the other test webmails on purpose: ticking is a round label over a
visually hidden checkbox, bulk actions hide in a "More" menu, the list grows with "Load more", unread mail
is bold with the card's accessible name starting "Unread", and opening a card in the preview pane marks it
read (a POST the change log records).
"""

from pathlib import Path

SHELL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Heron Mail</title><link rel="icon" href="data:,">
<style>
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 "Trebuchet MS", Helvetica, sans-serif; background: #f4f1ea; color: #23201b; }
.vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); border: 0; white-space: nowrap; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 18px; background: #23404a; color: #f4f1ea; }
header .brand { font: italic bold 22px Georgia, serif; }
header .who { margin-left: auto; font-size: 12px; opacity: .85; }
#app { display: grid; grid-template-columns: 210px 420px 1fr; height: calc(100vh - 48px); }
nav { padding: 12px 8px; border-right: 1px solid #d8d0c0; overflow: auto; }
[role=tree], [role=group] { list-style: none; margin: 0; padding: 0; }
[role=group] { padding-left: 14px; }
[role=treeitem] > .label { display: flex; justify-content: space-between; padding: 4px 8px; border-radius: 6px;
  cursor: pointer; }
[role=treeitem][aria-selected=true] > .label { background: #23404a; color: #fff; }
.count { font-size: 12px; font-weight: bold; }
#list { display: flex; flex-direction: column; border-right: 1px solid #d8d0c0; min-height: 0; }
.bar { display: flex; align-items: center; gap: 8px; padding: 8px 10px; border-bottom: 1px solid #d8d0c0;
  position: relative; }
.bar button { border: 1px solid #b9ae98; background: #fffdf7; border-radius: 14px; padding: 3px 12px;
  cursor: pointer; }
.tick { display: inline-block; width: 18px; height: 18px; border-radius: 50%; border: 2px solid #8b8270;
  cursor: pointer; flex: none; }
input:checked + .tick { background: #23404a; border-color: #23404a; box-shadow: inset 0 0 0 3px #fff; }
[role=menu] { position: absolute; top: 38px; left: 80px; background: #fff; border: 1px solid #b9ae98;
  border-radius: 8px; box-shadow: 0 6px 18px rgba(0,0,0,.15); padding: 4px 0; z-index: 5; min-width: 190px; }
[role=menu][hidden] { display: none; }
[role=menuitem] { padding: 6px 14px; cursor: pointer; }
[role=menuitem]:hover { background: #efe9dc; }
#scroll { overflow: auto; flex: 1; }
ul.cards { list-style: none; margin: 0; padding: 8px; display: flex; flex-direction: column; gap: 8px; }
li.card { display: grid; grid-template-columns: 22px 36px 1fr 26px; gap: 8px; align-items: start;
  background: #fffdf7; border: 1px solid #e1d9c8; border-radius: 10px; padding: 10px; cursor: pointer; }
li.card.unread { font-weight: 700; border-left: 4px solid #c8663b; }
li.card.open { outline: 2px solid #23404a; }
.avatar { width: 34px; height: 34px; border-radius: 50%; background: #c9d8d2; display: grid; place-items: center;
  font-size: 12px; font-weight: 400; }
.top { display: flex; justify-content: space-between; gap: 6px; }
.when { font-size: 12px; color: #6f6757; font-weight: 400; }
.subject { margin-top: 1px; }
.snippet { color: #6f6757; font-weight: 400; font-size: 13px; }
.chips span { display: inline-block; font-size: 11px; font-weight: 400; background: #e8e0ce; border-radius: 8px;
  padding: 0 6px; margin-right: 4px; }
.flag { border: 0; background: none; cursor: pointer; padding: 2px; }
.flag[aria-pressed=true] svg { fill: #c8663b; }
#more-wrap { padding: 10px; text-align: center; }
#more-wrap button { border: 1px solid #b9ae98; background: #fffdf7; border-radius: 14px; padding: 4px 16px; }
#preview { padding: 18px 24px; overflow: auto; }
#preview h2 { font: bold 20px Georgia, serif; margin: 0 0 6px; }
#preview .from { color: #6f6757; }
#preview .text { margin-top: 14px; max-width: 620px; }
#preview form label { display: block; margin-top: 8px; font-weight: bold; }
#preview form input, #preview form textarea { width: 100%; max-width: 560px; padding: 4px; }
.empty { color: #6f6757; padding: 40px 10px; text-align: center; }
</style></head>
<body>
<header><span class="brand">Heron</span><span class="who">__OWNER__</span></header>
<div id="app">
  <nav aria-label="Mail folders"><ul role="tree" id="tree" aria-label="Folders"></ul></nav>
  <section id="list" aria-label="Conversations">
    <div class="bar" role="toolbar" aria-label="Conversation actions">
      <input type="checkbox" class="vh" id="pick-all">
      <label for="pick-all" class="tick"><span class="vh">Select all</span></label>
      <button type="button" id="refresh">Refresh</button>
      <button type="button" id="more" aria-haspopup="menu" aria-expanded="false" aria-controls="menu">More</button>
      <div role="menu" id="menu" aria-label="Bulk actions" hidden>
        <div role="menuitem" tabindex="-1" data-op="archive">Move to archive</div>
        <div role="menuitem" tabindex="-1" data-op="read">Mark as read</div>
        <div role="menuitem" tabindex="-1" data-op="unread">Mark as unread</div>
        <div role="menuitem" tabindex="-1" data-op="junk">Move to junk</div>
        <div role="menuitem" tabindex="-1" data-op="bin">Move to bin</div>
      </div>
    </div>
    <div id="scroll"><ul class="cards" id="cards"></ul><div id="more-wrap"></div></div>
  </section>
  <section id="preview" aria-label="Preview"><p class="empty">Choose a conversation to read it here.</p></section>
</div>
<script src="/mail/heron.js"></script>
</body></html>
"""


def script() -> str:
    return (Path(__file__).parent / "heron.js").read_text(encoding="utf-8")
