"""Contexts: key/value narrative state per story element, with every change in its history."""
