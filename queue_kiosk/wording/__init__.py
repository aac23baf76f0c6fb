"""Every user-facing text of the product in Vietnamese and English, one catalogue file per area,
behind one lookup, `say`. The lowest layer: imports nothing of the package."""
