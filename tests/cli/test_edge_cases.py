"""The installed ``nudgescribe`` command at its edges: exit codes, hints, pipes, tables, locks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import time
from pathlib import Path

from nudgescribe_async.testing import ReferenceServer
from nudgescribe_sync import Nudgescribe
from nudgescribe_sync.cli.codecs import CsvCodec
from tests._support.cli import COMMAND, interrupt_when_saved, run_cli
from tests._support.threaded import ThreadedServer
from tests._support.worlds import CliSeed


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_wait_timeout_hint_names_the_wait_timeout_flag(
    cli_env: dict[str, str], cli_seed: CliSeed
) -> None:
    """A wait that times out exits 7 and its hint names --wait-timeout (the wait commands' flag)."""
    result = run_cli(
        "campaigns",
        "wait",
        cli_seed.campaign_id,
        "--status",
        "Draft",
        "--wait-timeout",
        "0.2",
        "--poll-interval",
        "0.05",
        env=cli_env,
    )
    assert result.returncode == 7, result.stderr
    line = _one_line(result.stderr)
    assert "--wait-timeout" in line and "(--timeout)" not in line


def test_invalid_config_value_is_a_usage_error_not_authentication(cli_env: dict[str, str]) -> None:
    """A bad --base-url exits 2 naming the value; only missing credentials exit 3."""
    result = run_cli("--base-url", "ftp://x", "auth", "check", env=cli_env)
    assert result.returncode == 2, result.stderr
    line = _one_line(result.stderr)
    assert "base_url" in line and "NUDGESCRIBE_* variables" not in line
    bare = {k: v for k, v in cli_env.items() if k != "NUDGESCRIBE_API_KEY"}
    missing = run_cli("auth", "check", env=bare)
    assert missing.returncode == 3 and "NUDGESCRIBE_API_KEY" in _one_line(missing.stderr)


def test_piped_tables_keep_whole_cells_whatever_columns(
    cli_env: dict[str, str], cli_seed: CliSeed
) -> None:
    """Off a terminal a table never wraps or shortens cells: every id appears whole."""
    listed = run_cli("campaigns", "list", "--json", env=cli_env)
    assert listed.returncode == 0, listed.stderr
    ids = [c["campaign_id"] for c in json.loads(listed.stdout)]
    for columns in (None, "40"):
        narrow = {k: v for k, v in cli_env.items() if k != "COLUMNS"}
        if columns:
            narrow["COLUMNS"] = columns
        piped = run_cli("campaigns", "list", env=narrow)
        assert piped.returncode == 0, piped.stderr
        assert "…" not in piped.stdout
        assert ids and all(i in piped.stdout for i in ids)


def test_csv_download_keeps_a_carriage_return_inside_its_field(
    cli_env: dict[str, str], cli_server: ThreadedServer, cli_seed: CliSeed, tmp_path: Path
) -> None:
    """A bare CR inside a value is quoted: a CSV reader gets the value back, the row whole."""

    def seed(ref: ReferenceServer) -> str:
        campaign = ref.seed_campaign(
            cli_seed.workspace_id,
            "Odd\rname",
            status="Published",
            customer_group_id=cli_seed.small_group,
        )
        return campaign.campaign_id

    campaign_id = cli_server.do(seed)
    result = run_cli(
        "messages", "download", campaign_id, "-o", str(tmp_path), "--format", "csv", env=cli_env
    )
    assert result.returncode == 0, result.stderr
    with (tmp_path / f"{campaign_id}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 250
    assert all(r["subject"].startswith("Odd\rname: ") and r["run_number"] == "1" for r in rows)


def test_csv_codec_writes_nested_values_as_json() -> None:
    """Dict and list values become JSON text in their CSV field, not Python repr."""
    codec = CsvCodec(lambda row: row)
    data = codec.encode([{"id": "1", "meta": {"level": 2, "ok": True}, "tags": ["a", "b"]}])
    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    assert json.loads(rows[0]["meta"]) == {"level": 2, "ok": True}
    assert json.loads(rows[0]["tags"]) == ["a", "b"]


def test_export_to_a_reader_that_leaves_early_exits_0_quietly(
    cli_env: dict[str, str], cli_seed: CliSeed
) -> None:
    """`export -o - | head -1`: when the reader goes away the command exits 0, stderr empty."""
    proc = subprocess.Popen(
        [COMMAND, "customers", "export", cli_seed.big_group, "-o", "-"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader leaves, as `head -1` does
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=30) == 0, err
    assert first.startswith(b'{"customer_id"') and err == b""


def test_a_failed_export_leaves_no_empty_part_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    """An export that fails before any page is saved exits 4 and leaves no FILE.part behind."""
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("customers", "export", "cg_nope", "-o", str(out / "x.jsonl"), env=cli_env)
    assert result.returncode == 4, result.stderr
    assert "NotFoundError" in _one_line(result.stderr)
    assert list(out.iterdir()) == []


def test_a_second_export_to_the_same_file_is_refused_while_the_first_runs(
    cli_env: dict[str, str], cli_server: ThreadedServer, cli_seed: CliSeed, tmp_path: Path
) -> None:
    """Two exports to one FILE: the second exits 6 with one line; the first finishes intact."""
    target = tmp_path / "big.jsonl"
    args = ["customers", "export", cli_seed.big_group, "-o", str(target), "--page-size", "200"]
    rule = cli_server.do(
        lambda s: s.faults.add("/v1/customer", kind="latency", seconds=0.05, times=None)
    )
    first = subprocess.Popen(
        [COMMAND, *args, "--concurrency", "1"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not (tmp_path / "big.jsonl.part").exists():
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.01)
        second = run_cli(*args, env=cli_env)
        _, first_err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
        cli_server.do(lambda s: s.faults.remove(rule))
    assert second.returncode == 6, second.stderr
    assert "another export" in _one_line(second.stderr)
    assert first.returncode == 0, first_err
    ids = [json.loads(line)["customer_id"] for line in target.read_text().splitlines()]
    assert len(ids) == 20_000 == len(set(ids))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["big.jsonl"]


def _interrupt_after_first_checkpoint(args: list[str], env: dict[str, str], sidecar: Path) -> None:
    status, err = interrupt_when_saved(args, env, sidecar, pages=1)
    assert status == 130, err


def test_resume_after_the_listing_grew_starts_over(
    cli_env: dict[str, str], cli_server: ThreadedServer, cli_seed: CliSeed, tmp_path: Path
) -> None:
    """Customers added between interruption and resume: the rerun starts over, no stitching."""
    group_id = cli_server.do(
        lambda ref: ref.seed_group(cli_seed.workspace_id, "Growing").customer_group_id
    )
    cli_server.do(lambda ref: ref.seed_customers(group_id, count=2_000, start=100_000))
    target = tmp_path / "grow.jsonl"
    args = ["customers", "export", group_id, "-o", str(target), "--page-size", "100"]
    rule = cli_server.do(
        lambda s: s.faults.add("/v1/customer", kind="latency", seconds=0.1, times=None)
    )
    try:
        _interrupt_after_first_checkpoint(
            [*args, "--concurrency", "1"], cli_env, tmp_path / "grow.jsonl.part.json"
        )
    finally:
        cli_server.do(lambda s: s.faults.remove(rule))
    cli_server.do(lambda ref: ref.seed_customers(group_id, count=500, start=200_000))
    resumed = run_cli(*args, env=cli_env)
    assert resumed.returncode == 0, resumed.stderr
    assert "starting over" in resumed.stderr and "Resuming" not in resumed.stderr
    with Nudgescribe(**cli_server.client_kwargs()) as client:
        expected = [c.customer_id for c in client.customers.list(group_id, page_size=100)]
    ids = [json.loads(line)["customer_id"] for line in target.read_text().splitlines()]
    assert len(expected) == 2_500 and ids == expected


def test_an_interrupted_download_records_the_run_it_was_reading(
    cli_env: dict[str, str], cli_server: ThreadedServer, cli_seed: CliSeed, tmp_path: Path
) -> None:
    """Without --run the current run number and file count are pinned in the resume state."""
    args = ["messages", "download", cli_seed.campaign_id, "-o", str(tmp_path), "--concurrency", "1"]
    sidecar = tmp_path / f"{cli_seed.campaign_id}.jsonl.part.json"
    rule = cli_server.do(
        lambda s: s.faults.add("/v1/messages/fetch", kind="latency", seconds=1.2, times=None)
    )
    try:
        _interrupt_after_first_checkpoint(args, cli_env, sidecar)
    finally:
        cli_server.do(lambda s: s.faults.remove(rule))
    identity = json.loads(sidecar.read_text())["identity"]
    assert identity["run"] == 1 and identity["total_pages"] == 3
    resumed = run_cli(*args, env=cli_env)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming after page" in resumed.stderr
