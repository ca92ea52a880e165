"""The ledger of model calls (one append-only row per call, with usage exactly as reported), and the budget
holds of calls in flight, which every Deputy sharing the database counts before it makes a call."""

from datetime import datetime

from sqlalchemy import event
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel


class ModelCall(SQLModel, table=True):
    __tablename__ = "model_call"

    id: int | None = SQLField(default=None, primary_key=True)
    task_id: str = SQLField(index=True, max_length=32)
    step: int
    at: datetime = SQLField(index=True)
    model: str = SQLField(max_length=80)
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    latency_ms: int
    # Whole micro-dollars (1 USD = 1,000,000), exact; None: the model's price is unknown (never counted as free).
    cost_micro_usd: int | None
    stop_reason: str | None = SQLField(default=None, max_length=32)
    # Whose Deputy made the call (DEPUTY_USER_ID, DEPUTY_TEAM), for a team's shared ledger.
    user_id: str = SQLField(default="", index=True, max_length=64)
    team: str = SQLField(default="", max_length=64)


class BudgetHold(SQLModel, table=True):
    """The worst case of one call in flight, held against the budgets until the call's real cost is recorded."""

    __tablename__ = "budget_hold"

    id: int | None = SQLField(default=None, primary_key=True)
    task_id: str = SQLField(index=True, max_length=32)
    amount_micro_usd: int
    created_at: datetime
    # A Deputy that died mid-call leaves its hold behind; past this it no longer counts.
    expires_at: datetime = SQLField(index=True)


class BudgetLock(SQLModel, table=True):
    """One row every Deputy on the database locks (SELECT ... FOR UPDATE) to check and hold a budget in turn."""

    __tablename__ = "budget_lock"

    id: int = SQLField(default=1, primary_key=True)


@event.listens_for(ModelCall, "before_update")
def _append_only(*_: object) -> None:
    raise PermissionError("The ledger is append-only.")
