"""Many characters, actions or lines created in one request (a screenplay import), numbered by
one batch call."""
