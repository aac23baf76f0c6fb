"""numbers unique per site and day; a catalogue version on the site

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Before this revision a number block moved mid-day (1001 -> 1005) handed out 1005 and
    # 1006 a second time. Such past duplicates keep their first holder's number; the later
    # ones get a suffix (1005-2), so the database can refuse any repeat from now on.
    conn = op.get_bind()
    ticket = sa.table('ticket', sa.column('id', sa.Integer), sa.column('site_id', sa.Integer),
                      sa.column('day', sa.Date), sa.column('number', sa.String))
    seen: dict[tuple[int, object, str], int] = {}
    for row in conn.execute(sa.select(ticket.c.id, ticket.c.site_id, ticket.c.day,
                                      ticket.c.number).order_by(ticket.c.id)):
        key = (row.site_id, row.day, row.number)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            conn.execute(sa.update(ticket).where(ticket.c.id == row.id)
                         .values(number=f'{row.number}-{seen[key]}'))
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_number')
        batch_op.create_index('ux_ticket_number', ['site_id', 'day', 'number'], unique=True)
    # Every load of a hall configuration bumps it; running processes compare it with the
    # catalogue they hold, in rows they read anyway.
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('catalog_version', sa.Integer(), nullable=False,
                                      server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('catalog_version')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ux_ticket_number')
        batch_op.create_index('ix_ticket_number', ['site_id', 'day', 'number'], unique=False)
