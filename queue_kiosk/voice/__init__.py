"""Voice calls for the hall: the Vietnamese announcement text, its audio and the queue that
plays one call at a time. May import: `service` and below."""
