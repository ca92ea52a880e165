"""SQLModel tables and API schemas, one module per thing. Importing this package registers every table."""

from sqlmodel import SQLModel

# Named constraints let a migration tool (Alembic) take over the schema later without guessing names.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from backend.models.approval import (  # noqa: E402
    Approval,
    ApprovalPublic,
    ApprovalStatus,
    ApproveBody,
    RejectBody,
)
from backend.models.audit import AuditPublic, AuditRecord  # noqa: E402
from backend.models.client import Client, ClientPublic, PairingCode, PairRequest, PairResponse  # noqa: E402
from backend.models.note import Note  # noqa: E402
from backend.models.recipe import Recipe, RecipeGrant, RecipeVersion  # noqa: E402
from backend.models.rule import PlainRule, RuleCreate, RuleKind, RulePatch, RulePublic, UserRule  # noqa: E402
from backend.models.schedule import DigestMark, ScheduledRun  # noqa: E402
from backend.models.seen_mail import SeenMail  # noqa: E402
from backend.models.state import AppState, StatePublic, StateUpdate  # noqa: E402
from backend.models.task import Task, TaskCreate, TaskPublic, TaskStatus  # noqa: E402
from backend.models.trip import Trip, TripCheckin, TripPublic  # noqa: E402
from backend.models.usage import BudgetHold, BudgetLock, ModelCall  # noqa: E402

__all__ = [
    "AppState",
    "Approval",
    "ApprovalPublic",
    "ApprovalStatus",
    "ApproveBody",
    "AuditPublic",
    "AuditRecord",
    "BudgetHold",
    "BudgetLock",
    "Client",
    "ClientPublic",
    "DigestMark",
    "ModelCall",
    "Note",
    "PairRequest",
    "PairResponse",
    "PairingCode",
    "PlainRule",
    "Recipe",
    "RecipeGrant",
    "RecipeVersion",
    "RejectBody",
    "RuleCreate",
    "RuleKind",
    "RulePatch",
    "RulePublic",
    "ScheduledRun",
    "SeenMail",
    "StatePublic",
    "StateUpdate",
    "Task",
    "TaskCreate",
    "TaskPublic",
    "TaskStatus",
    "Trip",
    "TripCheckin",
    "TripPublic",
    "UserRule",
]
