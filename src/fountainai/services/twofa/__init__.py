"""The two-factor service: TOTP, one-time codes, recovery codes, and step-up tokens (port 8004)."""
