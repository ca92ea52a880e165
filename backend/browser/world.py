"""Deputy's own JavaScript world in each frame, which the page's scripts can neither see nor patch.

Chromium gives a frame one isolated world per name (CDP `Page.createIsolatedWorld`): the same DOM, but
separate globals and prototypes. A page that replaces `getBoundingClientRect`, `getComputedStyle`,
`JSON.stringify` or `addEventListener` changes its own world only, and Deputy's walk never runs there.
What Deputy keeps between snapshots (which element holds which ref) lives in that world too.

The listener census asks the browser, not the page, which nodes have pointer listeners
(`DOMDebugger.getEventListeners` over the whole document, shadow roots included) and hands those nodes to
the frame's world, so an element clickable only through a script's listener still gets a ref.
"""

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import CDPSession, Error, Page

WORLD_NAME = "deputy"
# Listeners that make an element respond to a person's click or tap.
POINTER_EVENTS = frozenset(
    {"click", "dblclick", "auxclick", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart", "touchend"}
)
_GROUP = "deputy-census"
# A page with thousands of listener nodes is resolved in parts, so one snapshot's census stays bounded.
_MAX_NEW_NODES = 400


class WorldGone(Exception):
    """The frame's document went away (a navigation, a removed iframe) while Deputy was reading it."""


@dataclass
class World:
    """One frame's isolated world: the CDP session that reaches the frame, and the world's context."""

    session: CDPSession
    frame_id: str
    context_id: int
    # Nodes already handed to this world by the census (backend node ids), so each is resolved once.
    seen: set[int] = field(default_factory=set)


@dataclass
class Worlds:
    """The worlds of one page: its main session, and a session for each out-of-process iframe."""

    page: Page
    main: CDPSession | None = None
    oopif: dict[str, CDPSession] = field(default_factory=dict)
    by_context: dict[tuple[int, int], World] = field(default_factory=dict)

    async def main_session(self) -> CDPSession:
        if self.main is None:
            self.main = await self.page.context.new_cdp_session(self.page)
        return self.main

    async def top(self) -> World:
        session = await self.main_session()
        tree = await session.send("Page.getFrameTree")
        return await self.open(session, tree["frameTree"]["frame"]["id"])

    async def open(self, session: CDPSession, frame_id: str) -> World:
        """The frame's world, made if needed (same name, same world: its state survives between snapshots)."""
        try:
            created = await session.send("Page.createIsolatedWorld", {"frameId": frame_id, "worldName": WORLD_NAME})
        except Error as error:
            raise WorldGone(str(error)) from None
        key = (id(session), int(created["executionContextId"]))
        world = self.by_context.get(key)
        if world is None:
            # A new context for this frame means a new document: the old world's nodes are gone with it.
            for old, stale in list(self.by_context.items()):
                if stale.frame_id == frame_id:
                    del self.by_context[old]
            world = World(session, frame_id, key[1])
            self.by_context[key] = world
        return world

    async def child(self, parent: World, frame_element: str) -> World | None:
        """The world of the iframe that `frame_element` (an expression in the parent's world) evaluates to."""
        handle = await _call(parent, frame_element, by_value=False)
        if handle.get("subtype") != "node":
            return None
        try:
            node = await parent.session.send("DOM.describeNode", {"objectId": handle["objectId"]})
        finally:
            await _release(parent)
        frame_id = node["node"].get("frameId")
        if not frame_id:
            return None
        try:
            return await self.open(parent.session, frame_id)
        except WorldGone:
            pass
        # Not in the parent's process: a cross-site iframe has a session of its own.
        session = await self._oopif_session(frame_id)
        return await self.open(session, frame_id) if session is not None else None

    async def _oopif_session(self, frame_id: str) -> CDPSession | None:
        if frame_id in self.oopif:
            return self.oopif[frame_id]
        for frame in self.page.frames:
            if frame is self.page.main_frame:
                continue
            try:
                session = await self.page.context.new_cdp_session(frame)
            except Error:
                continue  # part of its parent's process: reached through the parent's session
            tree = await session.send("Page.getFrameTree")
            root = tree["frameTree"]["frame"]["id"]
            if root in self.oopif:
                await session.detach()
                continue
            self.oopif[root] = session
        return self.oopif.get(frame_id)

    def forget(self, world: World) -> None:
        self.by_context.pop((id(world.session), world.context_id), None)
        for frame_id, session in list(self.oopif.items()):
            if session is world.session:
                del self.oopif[frame_id]


async def run(world: World, script: str, args: dict[str, Any]) -> Any:
    """Call the function expression `script` with `args` in the world; its result must be a JSON string."""
    expression = f"({script.strip().rstrip(';')})({json.dumps(args)})"
    result = await _call(world, expression, by_value=True)
    return json.loads(result["value"])


async def changes(world: World, since: int | None, timeout_s: float) -> tuple[bool, int]:
    """Whether the frame's document changed (a node, an attribute or a text, not Deputy's own marks) since
    it was at version `since`, waiting up to `timeout_s` for a change; and its version now. A document that
    went away, or is not the one `since` was read from, has changed."""
    args = json.dumps({"since": since, "ms": round(max(0.0, timeout_s) * 1000)})
    params = {
        "expression": f"({_CHANGES})({args})",
        "contextId": world.context_id,
        "returnByValue": True,
        "awaitPromise": True,
    }
    try:
        async with asyncio.timeout(timeout_s + 2.0):
            reply = await world.session.send("Runtime.evaluate", params)
        value = reply["result"]["value"]
    except TimeoutError:
        return False, since if since is not None else -1
    except (Error, KeyError, TypeError):
        return True, -1  # the document went away with the world: a navigation is a change
    return bool(value["changed"]), int(value["version"])


# Runs in Deputy's world: one observer per document counts its changes, leaving out the marks Deputy puts
# on elements; a call resolves at once if the count moved past `since`, else at the next change or after `ms`.
_CHANGES = """(args) => new Promise((done) => {
  const W = (globalThis.__deputy ??= {});
  let fresh = false;
  if (!W.changes) {
    fresh = true;
    const changes = (W.changes = { version: 0, waiters: new Set() });
    new MutationObserver((records) => {
      if (records.every((r) => r.type === "attributes" && r.attributeName.startsWith("data-deputy-"))) return;
      changes.version += 1;
      for (const wake of [...changes.waiters]) wake();
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }
  const changes = W.changes;
  const answer = (changed) => done({ changed, version: changes.version });
  if (args.since !== null && (fresh || changes.version !== args.since)) return answer(true);
  if (args.ms <= 0) return answer(false);
  const wake = () => finish(true);
  const timer = setTimeout(() => finish(false), args.ms);
  function finish(changed) { changes.waiters.delete(wake); clearTimeout(timer); answer(changed); }
  changes.waiters.add(wake);
})"""


async def census(world: World) -> None:
    """Tell the world which of its nodes have pointer listeners, from any world (the page's included)."""
    try:
        # The question is asked about the session's top document as the page's own world holds it: the
        # browser answers it, and no page script runs. (Asked through Deputy's world, Chromium can stop
        # answering evaluations in the page afterwards.) `document` is unforgeable, so the page cannot
        # hand over another object.
        top = await world.session.send("Runtime.evaluate", {"expression": "document", "objectGroup": _GROUP})
        found = await world.session.send(
            "DOMDebugger.getEventListeners", {"objectId": top["result"]["objectId"], "depth": -1, "pierce": True}
        )
        ids = sorted(
            {
                int(listener["backendNodeId"])
                for listener in found["listeners"]
                if listener["type"] in POINTER_EVENTS and listener.get("backendNodeId")
            }
        )
        new = [node for node in ids if node not in world.seen][:_MAX_NEW_NODES]
        resolved = await asyncio.gather(
            *(
                world.session.send(
                    "DOM.resolveNode",
                    {"backendNodeId": node, "executionContextId": world.context_id, "objectGroup": _GROUP},
                )
                for node in new
            ),
            return_exceptions=True,
        )
        handed = [(node, r["object"]["objectId"]) for node, r in zip(new, resolved, strict=True) if isinstance(r, dict)]
        # A node that lost its listeners is forgotten, so it is resolved again if it gains one.
        world.seen = (world.seen | set(new)) & set(ids)
        await world.session.send(
            "Runtime.callFunctionOn",
            {
                "executionContextId": world.context_id,
                "functionDeclaration": _ADOPT,
                "arguments": [{"value": ids}, {"value": [node for node, _ in handed]}]
                + [{"objectId": object_id} for _, object_id in handed],
            },
        )
    except Error as error:
        raise WorldGone(str(error)) from None
    finally:
        await _release(world)


# Runs in Deputy's world: keeps the nodes by backend id, and the set of those listened on right now.
_ADOPT = """function (current, ids, ...nodes) {
  const state = (globalThis.__deputy ??= {});
  state.nodes ??= new Map();
  // Nodes of other frames come with the answer; each frame's world keeps its own.
  ids.forEach((id, i) => {
    if ((nodes[i].ownerDocument || nodes[i]) === document) state.nodes.set(id, new WeakRef(nodes[i]));
  });
  const now = new Set(current);
  const listened = new WeakSet();
  for (const [id, ref] of state.nodes) {
    const node = ref.deref();
    if (node && now.has(id)) listened.add(node);
    else state.nodes.delete(id);
  }
  state.listened = listened;
}"""


async def _call(world: World, expression: str, *, by_value: bool) -> dict[str, Any]:
    params: dict[str, Any] = {"expression": expression, "contextId": world.context_id, "returnByValue": by_value}
    if not by_value:
        params["objectGroup"] = _GROUP
    try:
        reply = await world.session.send("Runtime.evaluate", params)
    except Error as error:
        raise WorldGone(str(error)) from None
    if "exceptionDetails" in reply:
        details = reply["exceptionDetails"]
        raise RuntimeError(f"Deputy's page script failed: {details.get('exception', {}).get('description', details)}")
    return reply["result"]


async def _release(world: World) -> None:
    with contextlib.suppress(Error):  # a context that is gone took its objects with it
        await world.session.send("Runtime.releaseObjectGroup", {"objectGroup": _GROUP})
