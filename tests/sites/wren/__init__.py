"""Wren: a desktop-style webmail test site whose rows are selected by clicking them."""
