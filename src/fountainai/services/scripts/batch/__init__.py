"""Many sections, transitions and markup elements created in one request, numbered by one
batch call."""
