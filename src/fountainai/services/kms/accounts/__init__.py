"""Accounts: registration, password login, refresh-token rotation, logout, user admin."""
