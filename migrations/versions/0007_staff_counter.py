"""staff's counters as a relation

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 16:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The counters a person may use, by id rather than as a comma-separated list of codes:
    # a counter renamed in the hall file keeps its staff.
    op.create_table(
        'staff_counter',
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.ForeignKeyConstraint(['counter_id'], ['counter.id']),
        sa.PrimaryKeyConstraint('staff_id', 'counter_id'),
    )
    conn = op.get_bind()
    links = []
    for staff_id, site_id, codes in conn.execute(sa.text(
            "SELECT id, site_id, counters FROM staff WHERE counters <> ''")):
        for code in {c for c in codes.split(",") if c}:
            counter_id = conn.execute(sa.text(
                "SELECT id FROM counter WHERE site_id = :site AND code = :code"),
                {"site": site_id, "code": code}).scalar()
            if counter_id is not None:
                links.append({"staff_id": staff_id, "counter_id": counter_id})
    if links:
        conn.execute(sa.text("INSERT INTO staff_counter (staff_id, counter_id) "
                             "VALUES (:staff_id, :counter_id)"), links)
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of `staff` would drop the table that
    # tickets, events and ratings refer to, which SQLite's foreign keys refuse.
    op.drop_column('staff', 'counters')


def downgrade() -> None:
    op.add_column('staff', sa.Column('counters', sa.String(length=500), nullable=False,
                                     server_default=''))
    conn = op.get_bind()
    for staff_id, code in conn.execute(sa.text(
            "SELECT staff_counter.staff_id, counter.code FROM staff_counter "
            "JOIN counter ON counter.id = staff_counter.counter_id ORDER BY counter.position")):
        conn.execute(sa.text("UPDATE staff SET counters = CASE WHEN counters = '' THEN :code "
                             "ELSE counters || ',' || :code END WHERE id = :id"),
                     {"code": code, "id": staff_id})
    op.drop_table('staff_counter')
