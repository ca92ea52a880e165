"""Harbor: a plain server-rendered release board, unlike Demo Deploy in every way the watch could lean on."""
