"""Triage against real sites: Deputy's server, its Chromium, and the webmail's own change log."""

from typing import Any

from tests.live import Deputy


def add_rule(deputy: Deputy, value: dict[str, Any]) -> dict[str, Any]:
    response = deputy.post("/api/rules", {"kind": "mail", "value": value}, token=deputy.local_token)
    assert response.status_code == 201, response.text
    return response.json()


def triage(deputy: Deputy, url: str) -> str:
    response = deputy.post("/api/tasks", {"instruction": "Triage my inbox", "url": url}, token=deputy.local_token)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def batches(deputy: Deputy, task_id: str, count: int, within: float = 90) -> list[dict[str, Any]]:
    """The task's pending batch approvals, once `count` of them are there."""

    def found() -> Any:
        pending = deputy.get(f"/api/approvals?status=pending&task_id={task_id}", token=deputy.local_token).json()
        mine = [a for a in pending if a["kind"] == "batch"]
        return mine if len(mine) >= count else None

    return deputy.wait(found, within, f"{count} batch approval(s) of task {task_id}")


def task_of(deputy: Deputy, task_id: str) -> dict[str, Any]:
    return deputy.get(f"/api/tasks/{task_id}", token=deputy.local_token).json()


def ended(deputy: Deputy, task_id: str, within: float = 120) -> dict[str, Any]:
    return deputy.wait(
        lambda: (t := task_of(deputy, task_id))["status"] in ("finished", "failed", "cancelled") and t,
        within,
        f"task {task_id} to end",
    )
