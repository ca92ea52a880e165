"""Postbox: a plain server-rendered webmail (HTML forms, tables, redirects), unlike Demo Mail in every way."""
