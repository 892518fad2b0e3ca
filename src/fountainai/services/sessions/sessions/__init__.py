"""Sessions: owned by the user who created them, with their context as a list of strings."""
