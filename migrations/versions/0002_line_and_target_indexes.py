"""index the lines by day and tickets sent to a counter by name

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:49:39.992365
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Call-next reads the head of each of today's lines and the tickets sent to its counter
    # by name on every call; issuing counts who is ahead from the index alone.
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_queue')
        batch_op.create_index('ix_ticket_line', ['site_id', 'status', 'field_id', 'day',
                                                 'queue_at', 'id', 'priority'], unique=False)
        batch_op.create_index('ix_ticket_target', ['target_counter_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_target')
        batch_op.drop_index('ix_ticket_line')
        batch_op.create_index('ix_ticket_queue', ['site_id', 'status', 'field_id', 'queue_at'],
                              unique=False)
