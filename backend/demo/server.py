"""Serve the three demo sites (mail, air, deploy) on loopback ports."""

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from backend.clock import Clock, SystemClock
from backend.servers import ThreadedServer


@dataclass(frozen=True)
class DemoSite:
    name: str
    title: str
    default_port: int
    factory: Callable[[Clock], object]


def _mail(clock: Clock) -> object:
    from backend.demo.mail.app import create_app

    return create_app(clock)


def _air(clock: Clock) -> object:
    from backend.demo.air.app import create_app

    return create_app(clock)


def _deploy(clock: Clock) -> object:
    from backend.demo.deploy.app import create_app

    return create_app(clock)


DEMO_SITES: list[DemoSite] = [
    DemoSite("mail", "Demo Mail (webmail)", 8751, _mail),
    DemoSite("air", "Demo Air (airline check-in)", 8752, _air),
    DemoSite("deploy", "Demo Deploy (deploy dashboard)", 8753, _deploy),
]


def start_demo_sites(stack: ExitStack, clock: Clock | None = None, any_port: bool = False) -> dict[str, ThreadedServer]:
    """Start every demo site; each server stops when `stack` closes.

    Default ports are tried first so addresses stay the same between runs; a taken port falls back to a
    free one (or every port is free-picked with `any_port`).
    """
    clock = clock or SystemClock()
    servers: dict[str, ThreadedServer] = {}
    for site in DEMO_SITES:
        app = site.factory(clock)
        try:
            server = ThreadedServer(app, 0 if any_port else site.default_port)
        except OSError:
            server = ThreadedServer(app, 0)
        servers[site.name] = stack.enter_context(server)
    return servers
