"""Benchmarks for queue-kiosk; run with `python -m bench [--quick] [--json] [NAME…]`.

One module a concern; a benchmark module imports `harness` and the processes it starts, never
another benchmark. `run` the command line and the list of benchmarks; `harness` the result
row, timing, percentiles, fresh databases and the failed-operations row; `issuing` issuing a
ticket; `ticket` the print job; `calling` call-next under contention and as the line grows;
`board` the display's latency; `startup` the modes' start-up and the command line per call;
`day` the simulated day and the staffing planner; `province` many communes on one
PostgreSQL. `workers` and `pgwire` are the processes and the counting proxy the runs start."""
