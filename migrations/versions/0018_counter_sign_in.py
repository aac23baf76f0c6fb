"""counter sign-in: which official works at each counter now, and from which screen

Revision ID: 0018_counter_sign_in
Revises: 0017_shipping
Create Date: 2026-12-07 14:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0018_counter_sign_in'
down_revision: str | None = '0017_shipping'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'counter_sign_in',
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('session', sa.String(length=32), nullable=False),
        sa.Column('since', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['counter_id'], ['counter.id']),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('counter_id'),
    )


def downgrade() -> None:
    op.drop_table('counter_sign_in')
