"""Security events: recorded with actor, target, IP and request ID; queryable by admins."""
