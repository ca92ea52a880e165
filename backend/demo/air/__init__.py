"""Demo Air: an airline's online check-in that Deputy (and its tests) can use with no account anywhere."""
