"""Deputy: a local web agent that asks before anything consequential."""

__version__ = "0.1.0"
