"""Bringing a network in from files people have: parsers, matching, batches and their undo."""
