"""Running a centre: its sites (list, remove, the bundled one replaced), screens' heartbeats,
backups on schedule, the log file and `doctor`'s checks. Called by the command line, the
screens and the server; above printing and voice, which `doctor` checks. May import:
`reports`, `printing`, `voice`, `service` and below; never the screens or the web pages."""
