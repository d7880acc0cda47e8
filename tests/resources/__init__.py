"""Tests of the resource classes: wire level (aioresponses) and end to end (reference server)."""
