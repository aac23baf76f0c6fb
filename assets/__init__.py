"""Hall configuration and bundled assets (catalogue, fonts, sounds)."""
