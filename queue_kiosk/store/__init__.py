"""The database: engines and SQLite's writer gate, the `Store` object (the one place that knows
the dialect), the tables, the hot-path statements, the change feed and the migrations. All SQL
lives here. May import: `config`, `domain`, `wording`."""
