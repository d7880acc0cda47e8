"""Every ```python block of README.md runs here, against the reference server.

Conventions for README authors (the test fails on a block that breaks them):

* Each fenced block tagged ``python`` is one test (id ``README.md:<line of the fence>``). Other
  languages (``bash``, ``console``, plain fences) never run.
* Each block runs on its own fresh ``ReferenceServer(seed="demo")`` (the demo dataset, jobs
  finish on the next loop turn), served from a background thread, with the ``NUDGESCRIBE_*``
  environment variables pointing at it: ``AsyncNudgescribe()`` and ``Nudgescribe()`` with no
  arguments connect to it. Blocks are independent: nothing carries over from one to the next.
* Names every block starts with:
  - the names defined by the README's demo-ids block (marked ``<!-- readme: prelude -->``):
    ``workspace_id``, ``group_id``, ``campaign_id``, ...;
  - ``server``: that server, a ``nudgescribe_sync.testing.SyncReferenceServer`` (its controls
    are the ``ReferenceServer`` ones: ``server.seed_workspace(...)``, ``server.faults.add(...)``);
  - ``client``: an ``AsyncNudgescribe`` when the block uses top-level ``await`` / ``async for``
    / ``async with`` (it then runs under ``asyncio.run``), otherwise a blocking ``Nudgescribe``.
    Either is connected to the server as the demo account and closed after the block.
* An HTML comment on the line just above the fence changes how the block is run:
  - ``<!-- readme: no-run (why) -->`` -- not run; the reason is required (production hosts,
    placeholder credentials). Keep these few.
  - ``<!-- readme: prelude -->`` -- the demo ids block (run, and its names given to every block).
  - ``<!-- readme: pytest -->`` -- a test module: it runs with pytest in a fresh project that has
    no pytest configuration at all (no ``asyncio_mode``), and every test in it must pass.
"""

from __future__ import annotations

import ast
import asyncio
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_sync import Nudgescribe
from nudgescribe_sync.testing import SyncReferenceServer

README = Path(__file__).resolve().parent.parent / "README.md"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[ \t]*$")
_MARK = re.compile(r"^\s*<!--\s*readme:\s*(?P<kind>[\w-]+)\s*(?P<why>.*?)\s*-->\s*$")
_KINDS = {"no-run", "prelude", "pytest"}


@dataclass(frozen=True)
class Block:
    """One fenced code block of the README."""

    line: int
    lang: str
    code: str
    mark: str | None
    why: str


def readme_blocks(text: str) -> list[Block]:
    """Return every fenced block of ``text`` with its language and ``readme:`` mark."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        start = index
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            index += 1
        previous = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        mark = _MARK.match(previous)
        code = textwrap.dedent("\n".join(lines[start + 1 : index]))
        blocks.append(
            Block(
                start + 1,
                opening["lang"],
                code,
                mark["kind"] if mark else None,
                mark["why"] if mark else "",
            )
        )
        index += 1
    return blocks


BLOCKS = [b for b in readme_blocks(README.read_text(encoding="utf-8")) if b.lang == "python"]
PRELUDE = [b for b in BLOCKS if b.mark == "prelude"]


def _prelude_names() -> dict[str, Any]:
    names: dict[str, Any] = {}
    for block in PRELUDE:
        exec(compile(block.code, f"README.md:{block.line}", "exec"), names)
    names.pop("__builtins__", None)
    return names


def _compile(block: Block) -> Any:
    return compile(
        block.code,
        f"README.md:{block.line}",
        "exec",
        flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
        dont_inherit=True,
    )


def _is_async(code: Any) -> bool:
    return bool(code.co_flags & 0x80)  # CO_COROUTINE: top-level await / async for / async with


@pytest.fixture
def demo_server(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh demo server on its own thread, with the environment pointing at it."""
    with SyncReferenceServer(seed="demo") as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        yield server


def test_readme_has_python_blocks_and_only_known_marks() -> None:
    """The runner finds the README's python blocks, and every mark is a known one with reasons."""
    assert len(BLOCKS) >= 10
    assert len(PRELUDE) == 1
    for block in readme_blocks(README.read_text(encoding="utf-8")):
        if block.mark is not None:
            assert block.mark in _KINDS, f"README.md:{block.line}: unknown mark {block.mark}"
            assert block.lang == "python", f"README.md:{block.line}: mark on a non-python block"
        if block.mark == "no-run":
            assert block.why, f"README.md:{block.line}: no-run needs a reason"


def test_readme_demo_ids_exist_in_the_demo_dataset(demo_server: Any) -> None:
    """Every id the README lists for the demo dataset names a real object of that dataset."""
    state = demo_server.server.state
    known = {*state.workspaces, *state.groups, *state.campaigns}
    ids = {k: v for k, v in _prelude_names().items() if k.endswith("_id")}
    assert ids
    for name, value in ids.items():
        assert demo_server.call(known.__contains__, value), f"{name} = {value!r} is not demo data"


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.mark in (None, "prelude")], ids=lambda b: f"line{b.line}"
)
def test_readme_python_block_runs(block: Block, demo_server: Any) -> None:
    """A README python block runs as written against the demo reference server."""
    code = _compile(block)
    namespace: dict[str, Any] = {**_prelude_names(), "server": demo_server}
    kwargs = demo_server.client_kwargs()
    if _is_async(code):

        async def main() -> None:
            async with AsyncNudgescribe(**kwargs) as client:
                namespace["client"] = client
                await eval(code, namespace)

        asyncio.run(main())
    else:
        with Nudgescribe(**kwargs) as client:
            namespace["client"] = client
            exec(code, namespace)


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.mark == "pytest"], ids=lambda b: f"line{b.line}"
)
def test_readme_pytest_example_passes_in_a_bare_project(
    block: Block, pytester: pytest.Pytester
) -> None:
    """A README test example passes in a fresh project with no pytest configuration."""
    pytester.makepyfile(test_readme_example=block.code)
    # Warnings are errors, except pytest-asyncio's own notice that a bare project leaves
    # asyncio_default_fixture_loop_scope unset (a user's configuration, not the example's).
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-W", "error", "-W", "ignore::pytest.PytestDeprecationWarning"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 1, result.stdout.str()
    assert set(outcomes) <= {"passed"}, result.stdout.str()
