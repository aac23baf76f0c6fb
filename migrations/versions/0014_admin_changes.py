"""admin changes: the audit log of the administration screen

Revision ID: 0014_admin_changes
Revises: 0013_alerts
Create Date: 2026-12-07 14:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0014_admin_changes'
down_revision: str | None = '0013_alerts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'admin_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('staff', sa.String(length=32), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('summary', sa.String(length=2000), nullable=False),
        sa.Column('before', sa.String(), nullable=False),
        sa.Column('after', sa.String(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_admin_change_site', 'admin_change', ['site_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_admin_change_site', table_name='admin_change')
    op.drop_table('admin_change')
