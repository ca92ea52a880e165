"""Demo Mail: a Gmail-like webmail with a seeded mailbox, for trying Deputy without any real account."""
