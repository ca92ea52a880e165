"""`ask_user` waits for the person's answer (popup, CLI, tray: any surface that answers an approval) and hands
it to the model; meanwhile the task is "waiting for you"."""

from tests.integration.agent.conftest import fresh_mailbox, start_task, task_state, wait_ended, wait_pending
from tests.live import Deputy
from tests.model_server import ModelRequest, ModelServer, tool_use


def test_the_answer_reaches_the_model(agent: Deputy, model: ModelServer, mail_server) -> None:
    seen: list[str] = []

    def after_answer(req: ModelRequest):
        seen.append(req.tool_results[-1].text)
        return tool_use("finish_task", {"summary": "Used the folder the user chose."})

    model.set_script([tool_use("ask_user", {"question": "Which folder should receipts go to?"}), after_answer])
    task_id = start_task(agent, "File my receipts.", url=fresh_mailbox(mail_server.url))
    question = wait_pending(agent, task_id)
    assert question["kind"] == "question" and question["editable"] == ["answer"]
    assert "Which folder should receipts go to?" in question["summary"]
    assert task_state(agent, task_id)["status"] == "waiting"
    token = agent.local_token
    # An answer must be text; approving without one is refused and changes nothing.
    assert agent.post(f"/api/approvals/{question['id']}/approve", {}, token=token).status_code == 422
    bad = agent.post(f"/api/approvals/{question['id']}/approve", {"edits": {"answer": 5}}, token=token)
    assert bad.status_code == 422
    answered = agent.post(
        f"/api/approvals/{question['id']}/approve", {"edits": {"answer": "Receipts 2026"}}, token=token
    )
    assert answered.status_code == 200, answered.text
    ended = wait_ended(agent, task_id)
    assert ended["status"] == "finished"
    assert seen == ["The user answered: Receipts 2026"]
    stored = agent.get(f"/api/approvals/{question['id']}", token=token).json()
    assert stored["status"] == "executed"


def test_a_declined_question_tells_the_model_and_the_task_goes_on(
    agent: Deputy, model: ModelServer, mail_server
) -> None:
    seen: list[str] = []

    def after_decline(req: ModelRequest):
        seen.append(req.tool_results[-1].text)
        return tool_use("finish_task", {"summary": "Finished without an answer."})

    model.set_script([tool_use("ask_user", {"question": "Delete the old receipts too?"}), after_decline])
    task_id = start_task(agent, "File my receipts.", url=fresh_mailbox(mail_server.url))
    question = wait_pending(agent, task_id)
    token = agent.local_token
    assert agent.post(f"/api/approvals/{question['id']}/reject", {"reason": "Not now"}, token=token).status_code == 200
    assert wait_ended(agent, task_id)["status"] == "finished"
    assert len(seen) == 1 and "did not answer" in seen[0] and "Not now" in seen[0]
