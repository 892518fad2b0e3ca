"""``python -m fountainai.cli``: what ``fountain up`` uses to start each service."""

from fountainai.cli.main import run

run()
