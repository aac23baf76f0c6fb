"""The queue as every screen and command uses it: the `QueueService` facade, its read and write
sides, the site's catalogue, bookings, staff accounts, notices and the end of a day.
May import: `store`, `config`, `domain`, `wording`."""
