"""alerts: each site's alerts from raised to cleared, and the province's default thresholds

Revision ID: 0013_alerts
Revises: 0012_calendar_days
Create Date: 2026-12-07 14:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0013_alerts'
down_revision: str | None = '0012_calendar_days'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('subject', sa.String(length=120), nullable=False),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.Column('since', UTCDateTime(), nullable=False),
        sa.Column('cleared', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index('ix_alert_since', ['site_id', 'since'], unique=False)
        batch_op.create_index('ux_alert_open', ['site_id', 'kind', 'subject'], unique=True,
                              sqlite_where=sa.text('cleared IS NULL'),
                              postgresql_where=sa.text('cleared IS NULL'))
    op.create_table(
        'alert_defaults',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('config_json', sa.String(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.CheckConstraint('id = 1', name='ck_alert_defaults_one'),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('alert_defaults')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index('ux_alert_open')
        batch_op.drop_index('ix_alert_since')
    op.drop_table('alert')
