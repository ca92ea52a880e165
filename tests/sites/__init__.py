"""Test sites that look nothing like Deputy's demo sites, so checks also hold on pages Deputy never saw."""
