"""The audit trail: every write with its comment, request ID and actor."""
