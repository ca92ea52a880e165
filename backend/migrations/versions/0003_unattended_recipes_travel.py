"""scheduled jobs, unattended tasks, recipes, seen mail, notes, trips and check-ins

Revision ID: 0003
Revises: 0002

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_mark")),
    )
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approval_id", sa.String(length=32), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_key"), ["key"], unique=False)

    op.create_table(
        "recipe",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("instruction", sa.String(), nullable=False),
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("start_url", sa.String(), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("source_task_id", sa.String(length=32), nullable=True),
        sa.Column("learned_micro_usd", sa.Integer(), nullable=False),
        sa.Column("learned_calls", sa.Integer(), nullable=False),
        sa.Column("learned_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipe")),
    )
    with op.batch_alter_table("recipe", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recipe_name"), ["name"], unique=True)

    op.create_table(
        "recipe_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipe_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("why", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipe_version")),
    )
    with op.batch_alter_table("recipe_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recipe_version_recipe_id"), ["recipe_id"], unique=False)

    op.create_table(
        "scheduled_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
        sa.Column("by", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=True),
        sa.Column("summary", sa.String(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_run")),
    )
    with op.batch_alter_table("scheduled_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_run_schedule_id"), ["schedule_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scheduled_run_started_at"), ["started_at"], unique=False)

    op.create_table(
        "seen_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=700), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("snippet", sa.String(length=400), nullable=False),
        sa.Column("unsubscribe", sa.Boolean(), nullable=False),
        sa.Column("attachment", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("suspicious", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seen_mail")),
    )
    with op.batch_alter_table("seen_mail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_mail_key"), ["key"], unique=True)

    op.create_table(
        "trip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_code", sa.String(length=8), nullable=False),
        sa.Column("airline", sa.String(length=60), nullable=False),
        sa.Column("flight", sa.String(length=8), nullable=False),
        sa.Column("departs_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("passengers", sa.JSON(), nullable=False),
        sa.Column("window_hours", sa.Integer(), nullable=False),
        sa.Column("found_in", sa.String(length=200), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip")),
        sa.UniqueConstraint("booking_code", "flight", name=op.f("uq_trip_booking_code")),
    )
    with op.batch_alter_table("trip", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trip_booking_code"), ["booking_code"], unique=False)

    op.create_table(
        "trip_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trip_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=40), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_unchecked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["trip_id"], ["trip.id"], name=op.f("fk_trip_checkin_trip_id_trip")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_checkin")),
    )
    with op.batch_alter_table("trip_checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trip_checkin_trip_id"), ["trip_id"], unique=False)

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unattended", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("unattended")

    with op.batch_alter_table("trip_checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trip_checkin_trip_id"))

    op.drop_table("trip_checkin")
    with op.batch_alter_table("trip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trip_booking_code"))

    op.drop_table("trip")
    with op.batch_alter_table("seen_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_mail_key"))

    op.drop_table("seen_mail")
    with op.batch_alter_table("scheduled_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_run_started_at"))
        batch_op.drop_index(batch_op.f("ix_scheduled_run_schedule_id"))

    op.drop_table("scheduled_run")
    with op.batch_alter_table("recipe_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipe_version_recipe_id"))

    op.drop_table("recipe_version")
    with op.batch_alter_table("recipe", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipe_name"))

    op.drop_table("recipe")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_key"))

    op.drop_table("note")
    op.drop_table("digest_mark")
