"""A page set that copies Gmail's inbox structure and accessible names, to test triage's Gmail profile."""
