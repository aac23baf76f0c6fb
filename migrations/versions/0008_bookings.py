"""bookings: booked slots, their capacity, and the appointment a ticket came with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from queue_kiosk.store.tables import UTCDateTime

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'booking',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('field_id', sa.Integer(), nullable=False),
        sa.Column('procedure_id', sa.Integer(), nullable=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('slot', sa.String(length=5), nullable=False),
        sa.Column('slot_start', UTCDateTime(), nullable=False),
        sa.Column('slot_end', UTCDateTime(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('changed_at', UTCDateTime(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('near_sent', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['field_id'], ['field.id']),
        sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id']),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    op.create_index('ix_booking_day', 'booking', ['site_id', 'day', 'slot_start'])
    op.create_table(
        'booking_slot',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('field_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('slot', sa.String(length=5), nullable=False),
        sa.Column('booked', sa.Integer(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.CheckConstraint('booked >= 0 AND booked <= capacity', name='ck_booking_slot_room'),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['field_id'], ['field.id']),
        sa.PrimaryKeyConstraint('site_id', 'field_id', 'day', 'slot'),
    )
    # Plain ADD COLUMNs: a batch copy of `ticket` would drop the table events refer to.
    op.add_column('ticket', sa.Column('appointment', sa.String(length=12), nullable=True))
    op.add_column('counter', sa.Column('appointment_streak', sa.Integer(), nullable=False,
                                       server_default='0'))
    # Booked citizens' lines: their heads without walking the walk-ins of the field.
    op.create_index('ix_ticket_appointment_line', 'ticket',
                    ['site_id', 'status', 'field_id', 'day', 'queue_at', 'id'],
                    sqlite_where=sa.text('appointment IS NOT NULL'),
                    postgresql_where=sa.text('appointment IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_ticket_appointment_line', table_name='ticket')
    op.drop_column('counter', 'appointment_streak')
    op.drop_column('ticket', 'appointment')
    op.drop_table('booking_slot')
    op.drop_index('ix_booking_day', table_name='booking')
    op.drop_table('booking')
