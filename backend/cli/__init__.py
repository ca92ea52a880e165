"""`deputy`: start Deputy, run tasks, answer approvals, pair clients, check the machine.

Errors a person can cause print a readable message, never a traceback.
"""

from backend.cli import (  # noqa: F401  (each module adds its commands to `app`)
    clients,
    database,
    dreams,
    profile,
    recipes,
    report,
    schedule,
    server,
    trips,
    work,
)
from backend.cli.app import app, main

__all__ = ["app", "main"]
