"""Resumable, ordered bulk export of a paged listing to a file (or stdout), with progress.

Pages come from an SDK pager (fetched ``--concurrency`` at once, handed out strictly in page
order). Rows go to ``FILE.part`` in batches of whole pages; after each batch the byte length
and last page number are recorded in the sidecar ``FILE.part.json`` (written to a temp name,
then renamed: never torn); an interrupted run writes what it holds before it exits. A rerun
with the same arguments truncates ``FILE.part`` to the recorded length (dropping any partly
written page) and asks the pager to start at the next page, so the finished file holds every
row exactly once. At the end ``FILE.part`` is renamed to ``FILE`` and the sidecar removed.
The whole run holds an exclusive lock on ``FILE.part``: a second export to the same file is
refused (exit 6). A run that fails before saving any page removes its ``FILE.part``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import attrs
import orjson

from nudgescribe_sync import Pager
from nudgescribe_sync.cli.codecs import Codec
from nudgescribe_sync.cli.errors import CliError, ExitCode
from nudgescribe_sync.cli.output import Output
from nudgescribe_sync.cli.progress import ProgressBar
from nudgescribe_sync.cli.shield import Shield

__all__ = ["ExportResult", "export"]

T = TypeVar("T")

#: Version of the sidecar format; a sidecar of another version is ignored (fresh start).
STATE_VERSION = 1
#: Write (and checkpoint) once this much is held, or this long after the last write.
FLUSH_BYTES = 4 << 20
FLUSH_SECONDS = 1.0


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
    total_pages: int | None = None,
) -> ExportResult:
    """Write every row of the pages ``make_pager(start_page)`` yields to ``target``.

    ``target`` ``"-"`` streams to stdout (not resumable). ``identity`` names what is exported
    (command, ids, page size, format): a sidecar with another identity is not resumed.
    ``total_pages``, the listing's page count resolved at the start, joins the identity (a
    listing that grew or shrank since the interrupted run starts over) and is checked against
    the pager's own count (a listing that changes during the run stops it).
    """
    if target == "-":
        return _to_stdout(make_pager(1), codec, label)
    path = Path(target)
    part = path.with_name(path.name + ".part")
    sidecar = path.with_name(path.name + ".part.json")
    if total_pages is not None:
        identity = {**identity, "total_pages": total_pages}
    with _locked(part) as handle:
        saved = _load(part, sidecar, dict(identity), output)
        codec.restore(saved.codec)
        skipped = saved.pages

        def checkpoint() -> None:
            _save(
                sidecar,
                {
                    "version": STATE_VERSION,
                    "identity": dict(identity),
                    "pages": saved.pages,
                    "rows": saved.rows,
                    "size": saved.size,
                    "codec": codec.state(),
                },
            )

        handle.truncate(saved.size)
        handle.seek(saved.size)
        try:
            _copy(make_pager(saved.pages + 1), codec, handle, saved, label, checkpoint, total_pages)
        except BaseException:
            if saved.pages:
                output.note(
                    f"{saved.rows:,} rows ({saved.pages} pages) are safe in {part}; "
                    "run the same command again to resume."
                )
            else:  # nothing worth resuming: leave no empty FILE.part behind
                for leftover in (part, sidecar):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
            raise
        os.replace(part, path)  # still under the lock: no other run sees a half state
        with contextlib.suppress(FileNotFoundError):
            sidecar.unlink()
    return ExportResult(str(path), saved.rows, saved.pages, skipped)


@contextlib.contextmanager
def _locked(part: Path) -> Iterator[BinaryIO]:
    """``FILE.part`` opened for update (created if missing, never truncated here), held under
    an exclusive ``flock`` so that a second export to the same file is refused, not mixed in."""
    try:
        fd = os.open(part, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise CliError(f"cannot write {part}: {exc.strerror}", ExitCode.USAGE) from exc
    with os.fdopen(fd, "r+b") as handle:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CliError(
                f"another export is writing {part}; wait for it to finish", ExitCode.CONFLICT
            ) from None
        try:  # the holder may have finished (renamed it into place) between open and lock
            current: os.stat_result | None = os.stat(part)
        except FileNotFoundError:
            current = None
        if current is None or not os.path.samestat(os.fstat(fd), current):
            raise CliError(
                f"another export just finished writing {part.name[:-5]}; run again to export anew",
                ExitCode.CONFLICT,
            )
        yield handle


class _Batch:
    """Encoded pages held in memory until :meth:`flush` writes them and checkpoints.

    Writing (and checkpointing) every page would cost a GIL hand-over per system call while
    the client's loop thread decodes: batching to ``FLUSH_BYTES`` or ``FLUSH_SECONDS`` keeps
    that to a few calls per second. Pages still in memory when a run dies are simply fetched
    again by the next run. Both steps run whole (see :class:`Shield`).
    """

    def __init__(
        self, handle: BinaryIO, saved: _Checkpoint, checkpoint: Callable[[], None], shield: Shield
    ) -> None:
        self._handle = handle
        self._saved = saved
        self._checkpoint = checkpoint
        self._shield = shield
        self._chunks: list[bytes] = []
        self._size = 0
        self._pages = saved.pages
        self._rows = saved.rows
        self._last = time.monotonic()

    def add(self, number: int, data: bytes, rows: int) -> None:
        """Hold one encoded page; write the batch when it is big or old enough."""
        with self._shield.critical():
            self._chunks.append(data)
            self._size += len(data)
            self._pages, self._rows = number, self._rows + rows
        if self._size >= FLUSH_BYTES or time.monotonic() - self._last >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the held pages, then record them in the sidecar (in that order)."""
        with self._shield.critical():
            if self._chunks:
                self._handle.write(b"".join(self._chunks))
                self._handle.flush()
                self._chunks, self._size = [], 0
                saved = self._saved
                saved.pages, saved.rows = self._pages, self._rows
                saved.size = self._handle.tell()
                self._checkpoint()  # only after the bytes are out: no row is written twice
            self._last = time.monotonic()


def _copy(
    pager: Pager[T],
    codec: Codec[T],
    handle: BinaryIO,
    saved: _Checkpoint,
    label: str,
    checkpoint: Callable[[], None],
    planned: int | None,
) -> None:
    expected, rows = saved.pages + 1, saved.rows
    with Shield() as shield, ProgressBar(label) as bar, pager:
        batch = _Batch(handle, saved, checkpoint, shield)
        try:
            for page in pager.pages():
                if page.number != expected:
                    raise CliError(
                        f"page {page.number} arrived when page {expected} was due: "
                        "the listing changed during the export; run it again",
                        ExitCode.NETWORK,
                    )
                if planned is not None and pager.total_pages not in (None, planned):
                    raise CliError(
                        f"the listing changed during the export ({planned} pages at "
                        f"the start, now {pager.total_pages}); run it again",
                        ExitCode.NETWORK,
                    )
                batch.add(page.number, codec.encode(page.items), len(page.items))
                expected, rows = expected + 1, rows + len(page.items)
                bar.update(pager.total_pages, page.number, rows)
        finally:  # also on Ctrl-C: keep every whole page fetched so far
            batch.flush()


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
    if (
        not isinstance(saved, dict)
        or saved.get("version") != STATE_VERSION
        or saved.get("identity") != identity
    ):
        output.warn(f"{sidecar} belongs to another export; starting over")
        return _Checkpoint()
    try:
        checkpoint = _Checkpoint(
            pages=int(saved["pages"]),
            rows=int(saved["rows"]),
            size=int(saved["size"]),
            codec=dict(saved.get("codec") or {}),
        )
        on_disk = part.stat().st_size
    except (KeyError, TypeError, ValueError, OSError):
        output.warn(f"{sidecar} does not match {part}; starting over")
        return _Checkpoint()
    if on_disk < checkpoint.size:
        output.warn(f"{part} is shorter than recorded; starting over")
        return _Checkpoint()
    output.note(
        f"Resuming after page {checkpoint.pages} ({checkpoint.rows:,} rows already on disk)"
    )
    return checkpoint


def _save(sidecar: Path, state: dict[str, Any]) -> None:
    temp = sidecar.with_name(sidecar.name + ".tmp")
    temp.write_bytes(orjson.dumps(state))
    os.replace(temp, sidecar)
