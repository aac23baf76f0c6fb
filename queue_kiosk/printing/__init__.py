"""Provides ticket printing: layout, rendering to a 1-bit image, and ESC/POS transports."""
