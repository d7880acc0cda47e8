"""Fail when a package's public type completeness falls below the floor.

Runs ``basedpyright --verifytypes PACKAGE --ignoreexternal --outputjson`` for each package and
reads ``typeCompleteness.completenessScore``. Below the floor it lists the symbols pyright flags
(the same list ``basedpyright --verifytypes PACKAGE --ignoreexternal`` prints).

Usage: python .ci/verifytypes.py [--floor 0.99] PACKAGE...
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any


def completeness(package: str) -> dict[str, Any]:
    """The ``typeCompleteness`` report of ``package`` as the running interpreter imports it."""
    command = [sys.executable, "-m", "basedpyright", "--pythonpath", sys.executable]
    command += ["--verifytypes", package, "--ignoreexternal", "--outputjson"]
    # The exit status is non-zero whenever any symbol is incomplete; the score decides here.
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report: dict[str, Any] = json.loads(result.stdout)["typeCompleteness"]
    except (ValueError, KeyError):
        sys.exit(f"{package}: no --verifytypes report\n{result.stdout}\n{result.stderr}")
    return report


def flagged(report: dict[str, Any]) -> list[str]:
    """One line per symbol pyright flags (unknown or ambiguous type), with its first reason."""
    lines = []
    for symbol in report["symbols"]:
        if symbol.get("isTypeKnown", True) and not symbol.get("isTypeAmbiguous", False):
            continue
        reasons = [d["message"].splitlines()[0] for d in symbol.get("diagnostics", [])]
        lines.append(f"  {symbol['category']} {symbol['name']}: {'; '.join(reasons[:1])}")
    return lines


def main() -> int:
    """Check every package named on the command line; non-zero if any is below the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, default=0.99)
    parser.add_argument("packages", nargs="+")
    args = parser.parse_args()
    failed = False
    for package in args.packages:
        report = completeness(package)
        counts = report["exportedSymbolCounts"]
        score = report["completenessScore"]
        total = sum(counts.values())
        out = f"{package}: {score:.1%} of {total} exported symbols typed (floor {args.floor:.0%})"
        if total == 0 or score < args.floor:
            failed = True
            out += "\n" + ("\n".join(flagged(report)) or "  (none flagged: is it installed?)")
        sys.stdout.write(out + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
