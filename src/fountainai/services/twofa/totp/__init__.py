"""TOTP enrolment, confirmation, disabling, and recovery codes."""
