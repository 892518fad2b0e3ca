"""The API gateway (issue 7): the single entry point in front of every service. ``app`` builds
it; see ``README.md`` in this folder for what each module does."""
