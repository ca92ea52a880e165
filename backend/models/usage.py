"""The ledger of model calls: one append-only row per call, with usage exactly as reported."""

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


@event.listens_for(ModelCall, "before_update")
def _append_only(*_: object) -> None:
    raise PermissionError("The ledger is append-only.")
