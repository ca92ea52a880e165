"""Debian packages: dovecot-imapd php-cli php-horde-imp

A real open-source webmail, Horde IMP as Debian packages it, over a real IMAP server (Dovecot) on loopback
ports, with a Maildir the tests seed and read. Unlike the hand-written sites next to it, nothing here was
written for Deputy: the list is Horde's own script-drawn rows, toolbar and folder tree.
"""
