"""Sessions & Context service (port 8007): users' working sessions and shared narrative state."""
