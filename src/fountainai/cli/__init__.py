"""The ``fountain`` command line (Typer + Rich)."""
