"""notice outbox: the notification hook's events, written with their change, and each attempt

Revision ID: 0009_notice_outbox
Revises: 0008
Create Date: 2026-12-07 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0009_notice_outbox'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=16), nullable=False),
        sa.Column('subject', sa.String(length=12), nullable=False),
        sa.Column('payload', sa.String(length=2000), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('due_at', UTCDateTime(), nullable=True),
        sa.Column('lease', sa.String(length=32), nullable=True),
        sa.Column('lease_until', UTCDateTime(), nullable=True),
        sa.Column('done_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notice_pending', 'notice', ['status', 'id'])
    op.create_table(
        'notice_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('finished_at', UTCDateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['notice.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notice_attempt_notice_id', 'notice_attempt', ['notice_id'])


def downgrade() -> None:
    op.drop_index('ix_notice_attempt_notice_id', table_name='notice_attempt')
    op.drop_table('notice_attempt')
    op.drop_index('ix_notice_pending', table_name='notice')
    op.drop_table('notice')
