"""Many sections and transitions created in one request, numbered by one batch call."""
