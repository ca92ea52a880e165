"""Shared budget holds; who took each task and made each call

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 00:00:33.383911
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows written before this revision belong to nobody in particular: their user and team are empty.
    op.create_table(
        "budget_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("amount_micro_usd", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_hold")),
    )
    with op.batch_alter_table("budget_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_hold_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_budget_hold_task_id"), ["task_id"], unique=False)

    op.create_table(
        "budget_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lock")),
    )
    with op.batch_alter_table("model_call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("team", sa.String(length=64), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_model_call_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("team", sa.String(length=64), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_task_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_user_id"))
        batch_op.drop_column("team")
        batch_op.drop_column("user_id")

    with op.batch_alter_table("model_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_call_user_id"))
        batch_op.drop_column("team")
        batch_op.drop_column("user_id")

    op.drop_table("budget_lock")
    with op.batch_alter_table("budget_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_hold_task_id"))
        batch_op.drop_index(batch_op.f("ix_budget_hold_expires_at"))

    op.drop_table("budget_hold")
