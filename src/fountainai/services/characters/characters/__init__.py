"""Characters: named per script (case-insensitively unique, with aliases)."""
