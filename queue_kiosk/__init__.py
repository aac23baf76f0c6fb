"""queue-kiosk: queue ticketing for Vietnamese commune service centres."""
