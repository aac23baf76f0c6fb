"""screen heartbeats: which screen processes are alive, and when each was last seen

Revision ID: 0010_screen_heartbeats
Revises: 0009_notice_outbox
Create Date: 2026-12-07 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0010_screen_heartbeats'
down_revision: str | None = '0009_notice_outbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'screen_heartbeat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('counter', sa.String(length=32), nullable=False),
        sa.Column('host', sa.String(length=100), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('pid', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('seen_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('site_id', 'role', 'counter', 'host', 'client',
                            name='ux_screen_heartbeat'),
    )


def downgrade() -> None:
    op.drop_table('screen_heartbeat')
