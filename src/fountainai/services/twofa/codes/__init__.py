"""Second factors: TOTP, recovery and one-time codes, and the attempt counter they share."""
