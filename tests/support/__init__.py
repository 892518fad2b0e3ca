"""Helpers several test packages share."""
