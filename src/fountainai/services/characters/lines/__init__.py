"""Lines (spoken words): dialogue, grouped in speeches (dialogue blocks) of one character."""
