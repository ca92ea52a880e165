"""`WS /api/events`: one authenticated stream of server events per client.

The guard has checked Host and Origin before the handshake. The first frame must be
`{"type": "auth", "token": ...}` within a few seconds (AppContext.ws_auth_timeout); then the server pushes
every event.
"""

import asyncio
import contextlib
import json
import logging
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlmodel import Session

from backend.api.deps import AppContext, AuthFailure, authenticate
from backend.digest import welcome_back
from backend.models import Client

log = logging.getLogger(__name__)
router = APIRouter()

CLOSE_POLICY = 1008  # policy violation: bad or missing auth, revoked
CLOSE_TOO_SLOW = 1013  # try again later: the client fell too far behind


async def _authenticate(ctx: AppContext, websocket: WebSocket) -> Client | None:
    try:
        frame = await asyncio.wait_for(websocket.receive_text(), ctx.ws_auth_timeout)
    except (TimeoutError, WebSocketDisconnect):
        return None
    try:
        message: Any = json.loads(frame)
    except ValueError:
        message = None
    token = message.get("token") if isinstance(message, dict) and message.get("type") == "auth" else None
    host = websocket.client.host if websocket.client else "unknown"

    def check() -> Client:
        with Session(ctx.engine) as session:
            return authenticate(
                ctx,
                session,
                token if isinstance(token, str) else None,
                websocket.headers.get("origin"),
                f"auth:{host}",
            )

    try:
        return await anyio.to_thread.run_sync(check)
    except AuthFailure as failure:
        await websocket.send_json({"type": "error", "detail": failure.detail})
        return None


@router.websocket("/api/events")
async def events(websocket: WebSocket) -> None:
    ctx: AppContext = websocket.app.state.ctx
    await websocket.accept()
    client = await _authenticate(ctx, websocket)
    if client is None:
        await websocket.close(CLOSE_POLICY, "authentication failed")
        return

    closing = asyncio.Event()
    sub = ctx.bus.subscribe(on_overflow=closing.set)
    await websocket.send_json({"type": "hello", "data": {"client": client.name}})
    log.info("Event client %s connected.", client.name)
    welcome_back(ctx)  # back after a while: the digest of what ran meanwhile comes first

    async def drain_incoming() -> None:
        # Clients send nothing after auth; reading notices a disconnect promptly.
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            closing.set()

    reader = asyncio.create_task(drain_incoming())
    code, reason = 1000, "bye"
    try:
        while not closing.is_set():
            getter = asyncio.create_task(sub.queue.get())
            stopper = asyncio.create_task(closing.wait())
            done, pending = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            if getter not in done:
                break
            event = getter.result()
            if event["type"] == "client.revoked" and event["data"].get("client") == client.name:
                code, reason = CLOSE_POLICY, "client revoked"
                break
            await websocket.send_json(event)
        if sub.overflowed:
            code, reason = CLOSE_TOO_SLOW, "too far behind"
    except WebSocketDisconnect:
        pass
    finally:
        ctx.bus.unsubscribe(sub)
        reader.cancel()
        log.info("Event client %s disconnected (%s).", client.name, reason)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):  # already closed by the other side
        await websocket.close(code, reason)
