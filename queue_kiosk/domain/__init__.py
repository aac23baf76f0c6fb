"""The queue's pure rules and vocabulary: states and event kinds, numbering, routing (who is
called next), transitions, estimates, the clock, Vietnamese text, the frozen views handed to
callers and the typed errors. No I/O. May import: `wording` only."""
