"""Bulk export through the installed command: order, exactly-once, resume, progress, formats."""

from __future__ import annotations

import csv
import json
import os
import pty
import re
import select
import subprocess
import time
from pathlib import Path

import pytest

from nudgescribe_sync import Nudgescribe
from tests._support.cli import BIG, COMMAND, interrupt_when_saved, run_cli
from tests._support.threaded import ThreadedServer
from tests._support.worlds import CliSeed


@pytest.fixture(scope="module")
def big_ids(cli_server: ThreadedServer, cli_seed: CliSeed) -> list[str]:
    """Every customer id of the big group in the SDK's page order."""
    with Nudgescribe(**cli_server.client_kwargs()) as client:
        return [c.customer_id for c in client.customers.list(cli_seed.big_group, page_size=1000)]


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["customer_id"] for line in path.read_text().splitlines()]


def _page_numbers(server: ThreadedServer) -> list[int]:
    return sorted(int(r.json["page"]) for r in server.requests("/v1/customer", "POST"))


def test_export_20000_customers_exactly_once_in_order(
    cli_env: dict[str, str], cli_seed: CliSeed, big_ids: list[str], tmp_path: Path
) -> None:
    """`customers export` writes all 20,000 customers once each, in page order, atomically."""
    target = tmp_path / "big.jsonl"
    result = run_cli("customers", "export", cli_seed.big_group, "-o", str(target), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert len(big_ids) == BIG
    assert _ids(target) == big_ids
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["big.jsonl"]
    assert "Exported 20,000 customers (20 pages)" in result.stderr
    assert result.stdout == ""


def test_interrupted_export_resumes_with_only_the_missing_pages(
    cli_env: dict[str, str],
    cli_server: ThreadedServer,
    cli_seed: CliSeed,
    big_ids: list[str],
    tmp_path: Path,
) -> None:
    """SIGINT part way exits 130 leaving .part + sidecar; the rerun fetches only later pages."""
    target = tmp_path / "big.jsonl"
    sidecar = tmp_path / "big.jsonl.part.json"
    rule = cli_server.do(
        lambda s: s.faults.add("/v1/customer", kind="latency", seconds=0.03, times=None)
    )
    args = (
        "customers",
        "export",
        cli_seed.big_group,
        "-o",
        str(target),
        "--page-size",
        "100",
        "--concurrency",
        "2",
    )
    status, err = interrupt_when_saved(args, cli_env, sidecar, pages=20)
    cli_server.do(lambda s: s.faults.remove(rule))
    assert status == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert "run the same command again to resume" in err
    assert not target.exists()
    done = json.loads(sidecar.read_text())["pages"]
    assert 20 <= done < 200
    time.sleep(0.3)  # let the server finish requests the first run abandoned
    cli_server.do(lambda s: s.clear_requests())

    resumed = run_cli(*args, env=cli_env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"Resuming after page {done} " in resumed.stderr
    assert _page_numbers(cli_server) == list(range(done + 1, 201))
    assert _ids(target) == big_ids
    assert not sidecar.exists() and not (tmp_path / "big.jsonl.part").exists()


def test_a_torn_page_after_the_checkpoint_is_dropped_on_resume(
    cli_env: dict[str, str], cli_seed: CliSeed, tmp_path: Path
) -> None:
    """Bytes written after the last checkpoint (a crash mid-page) are cut before resuming."""
    target = tmp_path / "small.jsonl"
    args = ("customers", "export", cli_seed.small_group, "-o", str(target), "--page-size", "50")
    assert run_cli(*args, env=cli_env).returncode == 0
    whole = target.read_bytes()
    lines = whole.splitlines(keepends=True)
    assert len(lines) == 250
    part = tmp_path / "small.jsonl.part"
    kept = b"".join(lines[:100])
    part.write_bytes(kept + lines[100][:40])  # two pages, then half a row
    sidecar = tmp_path / "small.jsonl.part.json"
    identity = {
        "command": "customers export",
        "group": cli_seed.small_group,
        "page_size": 50,
        "format": "jsonl",
        "base_url": cli_env["NUDGESCRIBE_BASE_URL"],
        "total_pages": 5,
    }
    sidecar.write_text(
        json.dumps(
            {
                "version": 1,
                "identity": identity,
                "pages": 2,
                "rows": 100,
                "size": len(kept),
                "codec": {},
            }
        )
    )
    target.unlink()
    resumed = run_cli(*args, env=cli_env)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming after page 2 " in resumed.stderr
    assert target.read_bytes() == whole


def _export_with_stderr_on_a_pty(env: dict[str, str], group: str, *extra: str) -> tuple[str, bytes]:
    """Run an export to stdout (a pipe) with stderr on a pty; return (terminal text, stdout)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [COMMAND, "customers", "export", group, "-o", "-", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    assert proc.stdout is not None
    received = {master: b"", proc.stdout.fileno(): b""}
    open_fds = set(received)
    deadline = time.monotonic() + 60
    while open_fds:  # drain both together: a full pty must not block the child's stdout
        assert time.monotonic() < deadline, "the export did not finish"
        ready, _, _ = select.select(list(open_fds), [], [], 5)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the pty's other side closed (EIO on Linux)
                chunk = b""
            if chunk:
                received[fd] += chunk
            else:
                open_fds.discard(fd)
    out = received[proc.stdout.fileno()]
    os.close(master)
    assert proc.wait(timeout=20) == 0
    proc.stdout.close()
    return received[master].decode(errors="replace"), out


COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7])[0-9;]*m")


def test_progress_bar_on_a_terminal_only(cli_env: dict[str, str], cli_seed: CliSeed) -> None:
    """With stderr on a pty the bar shows pages and rows; stdout (a pipe) holds JSON only."""
    text, out = _export_with_stderr_on_a_pty(cli_env, cli_seed.big_group, "--page-size", "500")
    assert "40/40" in text and "pages" in text and "20,000 rows" in text and "rows/s" in text
    assert COLOUR.search(text)
    lines = out.decode().splitlines()
    assert len(lines) == BIG and b"\x1b" not in out
    assert all(line.startswith('{"customer_id"') for line in lines)

    piped = run_cli("customers", "export", cli_seed.small_group, "-o", "-", env=cli_env)
    assert piped.returncode == 0 and piped.stderr == ""
    assert len(piped.stdout.splitlines()) == 250


def test_no_color_keeps_the_bar_plain(cli_env: dict[str, str], cli_seed: CliSeed) -> None:
    """NO_COLOR: the progress bar still shows on a terminal, without colour codes."""
    text, _ = _export_with_stderr_on_a_pty(
        {**cli_env, "NO_COLOR": "1"}, cli_seed.small_group, "--page-size", "50"
    )
    assert "5/5" in text and "250 rows" in text
    assert not COLOUR.search(text)


def test_csv_export_by_suffix(cli_env: dict[str, str], cli_seed: CliSeed, tmp_path: Path) -> None:
    """A .csv target gets a header of customer and profile columns and one row per customer."""
    target = tmp_path / "small.csv"
    result = run_cli(
        "customers", "export", cli_seed.small_group, "-o", str(target), "--json", env=cli_env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 250
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 250 and len({r["customer_id"] for r in rows}) == 250
    assert {"customer_id", "unique_value", "email", "tier", "joined"} <= set(rows[0])


def test_messages_download_json_and_csv(
    cli_env: dict[str, str], cli_server: ThreadedServer, cli_seed: CliSeed, tmp_path: Path
) -> None:
    """`messages download` writes every exported row of every file, in order, as JSONL or CSV."""
    with Nudgescribe(**cli_server.client_kwargs()) as client:
        expected = [m.message_id for m in client.messages.list(cli_seed.campaign_id)]
    assert len(expected) == 250
    as_json = run_cli(
        "messages",
        "download",
        cli_seed.campaign_id,
        "-o",
        str(tmp_path / "out"),
        "--concurrency",
        "2",
        env=cli_env,
    )
    assert as_json.returncode == 0, as_json.stderr
    jsonl = tmp_path / "out" / f"{cli_seed.campaign_id}.jsonl"
    assert [json.loads(x)["message_id"] for x in jsonl.read_text().splitlines()] == expected
    as_csv = run_cli(
        "messages",
        "download",
        cli_seed.campaign_id,
        "-o",
        str(tmp_path / "out"),
        "--format",
        "csv",
        "--run",
        "1",
        env=cli_env,
    )
    assert as_csv.returncode == 0, as_csv.stderr
    with (tmp_path / "out" / f"{cli_seed.campaign_id}-run1.csv").open(newline="") as handle:
        assert [r["message_id"] for r in csv.DictReader(handle)] == expected
