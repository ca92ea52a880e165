"""Dreaming: a nightly look back at what the person did, proposing (never applying) rules and notes."""
