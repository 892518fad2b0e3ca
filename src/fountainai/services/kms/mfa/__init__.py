"""Two-factor login (tickets, the client of the 2FA service) and the endpoints 2FA calls."""
