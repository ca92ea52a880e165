"""Heron: a script-drawn webmail of cards, a folder tree and a preview pane, unlike Demo Mail and Postbox."""
