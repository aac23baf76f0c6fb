"""Alembic migrations for the queue-kiosk store."""
