"""booking aged: the elderly flag a booking made with a card carries to its check-in

Revision ID: 0015_booking_aged
Revises: 0014_admin_changes
Create Date: 2026-12-07 14:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_booking_aged'
down_revision: str | None = '0014_admin_changes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of `booking` is not needed for a nullable column.
    op.add_column('booking', sa.Column('aged', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('booking') as batch:
        batch.drop_column('aged')
