"""What a centre and a machine are configured with: the hall file (TOML, validated strictly),
the per-machine settings from QUEUE_KIOSK_* variables, the platform paths and the printer's URL.
May import: `domain`, `wording`."""
