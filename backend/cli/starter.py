"""The newcomer's first run: a few starter mail rules, then "Triage my inbox" on Demo Mail.

Without a model key the rules sort what they cover and the rest waits for a key; with one, the reader
sorts the rest. Either way the first batch approval shows in the popup, the tray and the approvals page.
"""

import threading
import time

from rich.console import Console

from backend.api_client import LocalClient, ServerUnavailable
from backend.config import Settings

STARTER_RULES = (
    {"match": {"sender": "ShopMart"}, "action": "archive"},
    {"match": {"sender": "LaunchList"}, "action": "archive"},
    {"match": {"sender": "CodeHub"}, "action": "mark_read"},
    {"match": {"sender": "TaskTrack"}, "action": "mark_read"},
)


def start_triage_when_up(settings: Settings, mail_url: str, console: Console) -> None:
    """In the background: once the server answers, add the starter rules (if there are no mail rules yet)
    and start triage of the demo inbox."""

    def go() -> None:
        client = LocalClient.for_settings(settings)
        for _ in range(300):
            try:
                if client.health() is not None:
                    break
            except ServerUnavailable:
                pass
            time.sleep(0.2)
        try:
            rules = client.request("GET", "/api/rules").json()
            if not any(r["kind"] == "mail" for r in rules):
                for value in STARTER_RULES:
                    client.request("POST", "/api/rules", {"kind": "mail", "value": value})
            started = client.request("POST", "/api/tasks", {"instruction": "Triage my inbox", "url": mail_url})
        except ServerUnavailable as error:
            console.print(f"Could not start triage: {error}")
            return
        if started.status_code >= 400:
            console.print(f"Could not start triage: {started.detail()}")
            return
        console.print(
            f"Started [bold]Triage my inbox[/] on Demo Mail (task {started.json()['id']}): your rules sort what "
            "they cover with no model call; approve the batches in the extension's popup, the tray or the "
            f"approvals page (http://127.0.0.1:{settings.port}/approvals)."
        )
        if not settings.anthropic_api_key:
            console.print("Mail no rule covers waits for a model key: export ANTHROPIC_API_KEY=sk-ant-... and restart.")

    threading.Thread(target=go, name="starter-triage", daemon=True).start()
