"""Runs the queue-kiosk command line: `python -m queue_kiosk`."""

from queue_kiosk.cli.launch import main

raise SystemExit(main())
