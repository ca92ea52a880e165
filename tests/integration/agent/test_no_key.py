from pathlib import Path

from tests.live import start_deputy


def test_without_a_key_tasks_refuse_and_say_how_to_fix_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with start_deputy(tmp_path / "data") as deputy:
        response = deputy.post("/api/tasks", {"instruction": "Triage my inbox"}, token=deputy.local_token)
        assert response.status_code == 409
        assert "ANTHROPIC_API_KEY" in response.json()["detail"]
        # Everything else still works.
        assert deputy.get("/api/approvals", token=deputy.local_token).status_code == 200
        assert deputy.get("/api/usage", token=deputy.local_token).json()["spend_usd"] == 0
