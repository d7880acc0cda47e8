"""The SDK's benchmarks: ``python -m benchmarks`` runs every target side by side (see run.py)."""
