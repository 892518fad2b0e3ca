"""What every story element of this service shares: numbering, versions, outbox rows."""
