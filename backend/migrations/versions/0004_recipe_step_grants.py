"""recipe step grants

Revision ID: 0004
Revises: 0003

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recipe_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipe_id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipe_grant")),
    )
    with op.batch_alter_table("recipe_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recipe_grant_recipe_id"), ["recipe_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recipe_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipe_grant_recipe_id"))

    op.drop_table("recipe_grant")
