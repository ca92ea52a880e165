"""Skylark, a second airline's check-in unlike Demo Air's (see README.md)."""
