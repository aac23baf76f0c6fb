"""Benchmarks for queue-kiosk; run with `python -m bench [--quick] [--json]`."""
