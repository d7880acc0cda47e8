"""Resumable, ordered bulk export of a paged listing to a file (or stdout), with progress.

Pages come from an SDK pager (fetched ``--concurrency`` at once, handed out strictly in page
order). Rows go to ``FILE.part``; after each page the byte length and page number are recorded
in the sidecar ``FILE.part.json`` (written to a temp name, then renamed: never torn). A rerun
with the same arguments truncates ``FILE.part`` to the recorded length (dropping any partly
written page) and asks the pager to start at the next page, so the finished file holds every
row exactly once. At the end ``FILE.part`` is renamed to ``FILE`` and the sidecar removed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import attrs
import orjson

from nudgescribe_sync import Pager
from nudgescribe_sync.cli.codecs import Codec
from nudgescribe_sync.cli.errors import CliError, ExitCode
from nudgescribe_sync.cli.output import Output
from nudgescribe_sync.cli.progress import ProgressBar

__all__ = ["ExportResult", "export"]

T = TypeVar("T")

#: Version of the sidecar format; a sidecar of another version is ignored (fresh start).
STATE_VERSION = 1


@attrs.frozen
class ExportResult:
    """What an export did: rows and pages in the file, and how many pages this run skipped."""

    path: str
    rows: int
    pages: int
    resumed_pages: int


@attrs.define
class _Checkpoint:
    pages: int = 0
    rows: int = 0
    size: int = 0
    codec: dict[str, Any] = attrs.field(factory=dict)


def export(
    make_pager: Callable[[int], Pager[T]],
    codec: Codec[T],
    target: str,
    *,
    identity: Mapping[str, Any],
    output: Output,
    label: str,
) -> ExportResult:
    """Write every row of the pages ``make_pager(start_page)`` yields to ``target``.

    ``target`` ``"-"`` streams to stdout (not resumable). ``identity`` names what is exported
    (command, ids, page size, format): a sidecar with another identity is not resumed.
    """
    if target == "-":
        return _to_stdout(make_pager(1), codec, label)
    path = Path(target)
    part = path.with_name(path.name + ".part")
    sidecar = path.with_name(path.name + ".part.json")
    saved = _load(part, sidecar, dict(identity), output)
    codec.restore(saved.codec)
    skipped = saved.pages
    try:
        handle = part.open("r+b" if saved.pages else "wb")
    except OSError as exc:
        raise CliError(f"cannot write {part}: {exc.strerror}", ExitCode.USAGE) from exc

    def checkpoint() -> None:
        _save(sidecar, {"version": STATE_VERSION, "identity": dict(identity),
                        "pages": saved.pages, "rows": saved.rows, "size": saved.size,
                        "codec": codec.state()})

    with handle:
        handle.truncate(saved.size)
        handle.seek(saved.size)
        _copy(make_pager(saved.pages + 1), codec, handle, saved, label, checkpoint)
    os.replace(part, path)
    with contextlib.suppress(FileNotFoundError):
        sidecar.unlink()
    return ExportResult(str(path), saved.rows, saved.pages, skipped)


def _copy(pager: Pager[T], codec: Codec[T], handle: BinaryIO, saved: _Checkpoint, label: str,
          checkpoint: Callable[[], None]) -> None:
    with ProgressBar(label) as bar, pager:
        for page in pager.pages():
            if page.number != saved.pages + 1:
                raise CliError(f"page {page.number} arrived after page {saved.pages}: the "
                               "listing changed during the export; run it again",
                               ExitCode.NETWORK)
            handle.write(codec.encode(page.items))
            handle.flush()
            saved.pages, saved.rows, saved.size = page.number, saved.rows + len(page.items), \
                handle.tell()
            checkpoint()  # only after the page's bytes are out: a resume never repeats rows
            bar.update(pager.total_pages, saved.pages, saved.rows)


def _to_stdout(pager: Pager[T], codec: Codec[T], label: str) -> ExportResult:
    out = sys.stdout.buffer
    rows = pages = 0
    codec.restore({})
    with ProgressBar(label) as bar, pager:
        for page in pager.pages():
            out.write(codec.encode(page.items))
            rows, pages = rows + len(page.items), page.number
            bar.update(pager.total_pages, pages, rows)
    out.flush()
    return ExportResult("-", rows, pages, 0)


def _load(part: Path, sidecar: Path, identity: dict[str, Any], output: Output) -> _Checkpoint:
    try:
        saved = orjson.loads(sidecar.read_bytes())
    except FileNotFoundError:
        return _Checkpoint()
    except (OSError, orjson.JSONDecodeError):
        output.warn(f"ignoring unreadable {sidecar}; starting over")
        return _Checkpoint()
    if not isinstance(saved, dict) or saved.get("version") != STATE_VERSION \
            or saved.get("identity") != identity:
        output.warn(f"{sidecar} belongs to another export; starting over")
        return _Checkpoint()
    try:
        checkpoint = _Checkpoint(pages=int(saved["pages"]), rows=int(saved["rows"]),
                                 size=int(saved["size"]), codec=dict(saved.get("codec") or {}))
        on_disk = part.stat().st_size
    except (KeyError, TypeError, ValueError, OSError):
        output.warn(f"{sidecar} does not match {part}; starting over")
        return _Checkpoint()
    if on_disk < checkpoint.size:
        output.warn(f"{part} is shorter than recorded; starting over")
        return _Checkpoint()
    output.note(f"Resuming after page {checkpoint.pages} "
                f"({checkpoint.rows:,} rows already on disk)")
    return checkpoint


def _save(sidecar: Path, state: dict[str, Any]) -> None:
    temp = sidecar.with_name(sidecar.name + ".tmp")
    temp.write_bytes(orjson.dumps(state))
    os.replace(temp, sidecar)
