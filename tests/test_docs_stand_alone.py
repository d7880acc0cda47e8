"""The repository stands alone: nothing cites documents that are not in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Documents of the team that wrote the SDK, which users do not have.
_OUTSIDE = re.compile(r"design\.md|api-contract\.md|\bnotes/|\.\./shared")
_SCANNED = ("nudgescribe_async", "nudgescribe_sync", "benchmarks", "scripts", "tests", "docs")


def _text_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "CONTRIBUTING.md"]
    files += [ROOT / "pyproject.toml"]
    files += [p for p in (ROOT / ".ci").iterdir() if p.is_file()]  # not CI's venvs below it
    for folder in _SCANNED:
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
            and p.suffix in {".py", ".md", ".toml", ".txt", ".cfg", ""}
            and "venv" not in p.parts
            and "__pycache__" not in p.parts
        ]
    return [p for p in files if p != Path(__file__).resolve()]


def test_no_file_cites_documents_outside_the_repository() -> None:
    """No README, docstring or comment points at design.md, api-contract.md or notes/."""
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _text_files()
        for n, line in enumerate(p.read_text(errors="replace").splitlines(), 1)
        if _OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_contract_the_docs_cite_is_in_the_repository() -> None:
    """docs/contract.md exists and has the sections (1-8) that docstrings cite as "contract §N"."""
    text = (ROOT / "docs" / "contract.md").read_text()
    for number in range(1, 9):
        assert re.search(rf"^## {number}\. ", text, re.M), number
    assert "**DOC**" in text and "**CHOSEN**" in text
