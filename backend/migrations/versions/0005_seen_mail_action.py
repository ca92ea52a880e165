"""seen mail keeps the action the reader suggested

Revision ID: 0005
Revises: 0004

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("seen_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seen_mail", schema=None) as batch_op:
        batch_op.drop_column("action")
