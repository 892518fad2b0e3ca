"""Per-script reading order: allocate, batch, reorder, delete."""
