"""failed sign-ins per client and code

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Sign-in failures counted per client (a browser's address, or "local") and per code,
    # shared by every process: served screens run one process per browser session.
    op.create_table(
        'sign_in_guard',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('blocked_until', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('site_id', 'client', 'code'),
    )


def downgrade() -> None:
    op.drop_table('sign_in_guard')
