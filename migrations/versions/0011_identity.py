"""identity: keyed hashes of the CCCD numbers tickets were taken with, and the per-person
counts the hall's limits guard (both emptied at close-day); a ticket's "identity" flag;
a booking's person (one live booking per person, field and day)

Revision ID: 0011_identity
Revises: 0010_screen_heartbeats
Create Date: 2026-12-07 12:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

BOOKING_HELD = "person IS NOT NULL AND status IN ('booked', 'checked_in')"

revision: str = '0011_identity'
down_revision: str | None = '0010_screen_heartbeats'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'identity_use',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('person', sa.String(length=64), nullable=False),
        sa.Column('scope', sa.String(length=32), nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        sa.CheckConstraint('used >= 0', name='ck_identity_use_used'),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('site_id', 'day', 'person', 'scope'),
    )
    op.create_table(
        'identity_ticket',
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('person', sa.String(length=64), nullable=False),
        sa.Column('field_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id']),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['field_id'], ['field.id']),
        sa.PrimaryKeyConstraint('ticket_id'),
    )
    op.create_index('ix_identity_ticket_person', 'identity_ticket', ['site_id', 'day', 'person'])
    # Plain ADD COLUMNs: a batch copy of `ticket` would drop the table events refer to.
    op.add_column('ticket', sa.Column('identity', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.add_column('booking', sa.Column('person', sa.String(length=64), nullable=True))
    op.create_index('ux_booking_person', 'booking', ['site_id', 'day', 'field_id', 'person'],
                    unique=True, sqlite_where=sa.text(BOOKING_HELD),
                    postgresql_where=sa.text(BOOKING_HELD))


def downgrade() -> None:
    op.drop_index('ux_booking_person', table_name='booking')
    op.drop_column('booking', 'person')
    op.drop_column('ticket', 'identity')
    op.drop_index('ix_identity_ticket_person', table_name='identity_ticket')
    op.drop_table('identity_ticket')
    op.drop_table('identity_use')
