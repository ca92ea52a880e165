"""Deputy's tray icon: state at a glance and the menu, as a client of the server's authenticated API.

It imports nothing from the server's internals: everything it shows and does goes through HTTP and the
event socket with the local token, like the CLI.
"""
