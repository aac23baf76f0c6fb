"""shipping: the commune's change log, the province's ingest state and id map

Revision ID: 0017_shipping
Revises: 0016_province_grants
Create Date: 2026-12-07 14:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0017_shipping'
down_revision: str | None = '0016_province_grants'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The capture triggers are not made here: only a commune that ships wants them (see
    # queue_kiosk/store/shiplog.py, installed by `queue-kiosk ship`).
    op.create_table(
        'ship_log',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('tbl', sa.String(length=32), nullable=False),
        sa.Column('op', sa.String(length=1), nullable=False),
        sa.Column('row', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('seq'),
        sqlite_autoincrement=True,
    )
    op.create_table(
        'ship_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('acked', sa.Integer(), nullable=False),
        sa.Column('capture', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'ship_site',
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('applied', sa.Integer(), nullable=False),
        sa.Column('heard_at', UTCDateTime(), nullable=True),
        sa.Column('applied_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('code'),
    )
    op.create_table(
        'ship_map',
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('tbl', sa.String(length=32), nullable=False),
        sa.Column('local_id', sa.Integer(), nullable=False),
        sa.Column('province_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('code', 'tbl', 'local_id'),
    )
    op.create_index('ix_ship_map_province', 'ship_map', ['code', 'tbl', 'province_id'])


def downgrade() -> None:
    for table in ('ship_map', 'ship_site', 'ship_state', 'ship_log'):
        op.execute(f'DROP TABLE IF EXISTS {table}')
