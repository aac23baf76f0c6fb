"""Ticket printing: what goes on a ticket (from a ticket view and the catalogue), its rendering to
a 1-bit image or CP1258 text, and the ESC/POS transports. May import: `service` and below."""
