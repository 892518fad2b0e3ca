"""Per-service API keys: shown once, stored hashed, scoped, expiring, rotated with overlap."""
