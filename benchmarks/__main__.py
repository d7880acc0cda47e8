"""``python -m benchmarks [--quick] [--json PATH]``: run the benchmark suite (see run.py)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # a sibling module, importable once the directory is on the path

sys.exit(run.main())
