"""calendar days: the days an administrator closed or opened, per site

Revision ID: 0012_calendar_days
Revises: 0011_identity
Create Date: 2026-12-07 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0012_calendar_days'
down_revision: str | None = '0011_identity'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'calendar_day',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('open', sa.Boolean(), nullable=False),
        sa.Column('hours', sa.String(length=100), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('changed_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('site_id', 'day'),
    )


def downgrade() -> None:
    op.drop_table('calendar_day')
