"""`deputy run` and `deputy costs` as a person uses them in a terminal."""

from tests.cli import Result, deputy_cli
from tests.integration.agent.conftest import find_ref, fresh_mailbox, mail_changes
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, text, tool_use


def cli(deputy: Deputy, args: list[str], stdin: str = "") -> Result:
    common = ["--port", str(deputy.port), "--data-dir", str(deputy.settings.data_dir)]
    return deputy_cli(*args, *common, env={"COLUMNS": "160"}, input=stdin)


def test_run_answers_an_approval_inline_and_reports_the_cost(agent: Deputy, model: ModelServer, mail_server) -> None:
    box = fresh_mailbox(mail_server.url)

    def tick(req: ModelRequest):
        return tool_use("check", {"ref": find_ref(req, "checkbox", "Select")})

    def archive(req: ModelRequest):
        return text("Archiving it.") + tool_use("click", {"ref": find_ref(req, "button", "Archive")})

    model.set_script([tick, archive, tool_use("finish_task", {"summary": "Archived the newest message."})])
    result = cli(agent, ["run", "Archive the newest message.", "--url", box, "--budget", "1"], stdin="y\n")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Approval needed" in output and "Archive" in output
    assert "finished" in output and "Done: Archive" in output
    assert "Spent $" in output
    assert [c["what"] for c in mail_changes(box)] == ["archive"]

    costs = cli(agent, ["costs", "--period", "week"])
    assert costs.returncode == 0, costs.stderr
    assert "Spend this week" in costs.stdout
    assert "actions done" in costs.stdout
    bad = cli(agent, ["costs", "--period", "year"])
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_run_rejection_with_a_reason(agent: Deputy, model: ModelServer, mail_server) -> None:
    box = fresh_mailbox(mail_server.url)

    def archive(req: ModelRequest):
        return tool_use("click", {"ref": find_ref(req, "button", "Archive")})

    def tick(req: ModelRequest):
        return tool_use("check", {"ref": find_ref(req, "checkbox", "Select")})

    model.set_script([tick, archive, tool_use("finish_task", {"summary": "Left it.", "success": False})])
    result = cli(agent, ["run", "Archive the newest message.", "--url", box], stdin="n\nkeep it\n")
    assert result.returncode == 1
    assert mail_changes(box) == []
    told = str(model.message_requests[-1].body["messages"][-1])
    assert "keep it" in told
