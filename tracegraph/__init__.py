"""tracegraph: the service shell (settings, error root, Starlette app, command line)."""

__version__ = "0.1.0"
