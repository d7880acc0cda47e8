"""The installed ``nudgescribe`` command: demo, mock server, resource commands, errors, profiles."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from nudgescribe_async import __version__
from nudgescribe_async.testing import ReferenceServer
from tests._support.cli import COMMAND, run_cli, serving
from tests._support.threaded import ThreadedServer
from tests._support.worlds import CliSeed

BAD_CSV = "email,tier,joined\na@example.test,gold,2026-01-02\nb@example.test,silver,02/01/2026\n"


def _one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_demo_runs_the_whole_workflow(cli_env: dict[str, str]) -> None:
    """`nudgescribe demo` exits 0 well under 30 s and shows publish, rerun and the comparison."""
    begin = time.monotonic()
    result = run_cli("demo", env=cli_env, timeout=30)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - begin < 30
    out = result.stdout
    for expected in (
        "Authenticate",
        "Row errors",
        "Publish a campaign",
        "Rerun",
        "Comparison counts",
        "matched",
        "new",
        "orphaned",
        "Run history",
        "All 9 steps passed",
        "export NUDGESCRIBE_BASE_URL=",
    ):
        assert expected in out, expected
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_demo_json_reports_every_step(cli_env: dict[str, str]) -> None:
    """`nudgescribe demo --json` prints one JSON document with nine timed steps."""
    result = run_cli("demo", "--json", env=cli_env, timeout=30)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["step"] for s in report["steps"]] == list(range(1, 10))
    rerun = report["steps"][-1]
    assert rerun["run_number"] == 2 and {"matched", "new", "orphaned"} <= set(rerun)


def test_version_and_help(cli_env: dict[str, str]) -> None:
    """--version prints the package version; --help lists every command group."""
    assert run_cli("--version", env=cli_env).stdout.strip().endswith(__version__)
    help_text = run_cli("--help", env=cli_env).stdout
    for name in (
        "demo",
        "mock",
        "auth",
        "workspaces",
        "fields",
        "groups",
        "customers",
        "campaigns",
        "messages",
        "reruns",
    ):
        assert name in help_text


def test_json_output_of_several_commands(cli_env: dict[str, str], cli_seed: CliSeed) -> None:
    """--json (before or after the command) prints parseable JSON; auth check shows no token."""
    auth = run_cli("--json", "auth", "check", env=cli_env)
    assert json.loads(auth.stdout)["authenticated"] is True
    assert 'token"' not in auth.stdout and cli_env["NUDGESCRIBE_API_SECRET"] not in auth.stdout
    workspaces = json.loads(run_cli("workspaces", "list", "--json", env=cli_env).stdout)
    assert [(w["name"], w["campaign_count"]) for w in workspaces] == [("Shop", 1)]
    groups = json.loads(
        run_cli("groups", "list", cli_seed.workspace_id, "--json", env=cli_env).stdout
    )
    assert {g["name"] for g in groups} >= {"Big", "Small"}
    fields = json.loads(
        run_cli("fields", "list", cli_seed.workspace_id, "--json", env=cli_env).stdout
    )
    assert [f["field_name"] for f in fields] == ["email", "tier", "joined"]
    count = json.loads(
        run_cli("customers", "count", cli_seed.big_group, "--json", env=cli_env).stdout
    )
    assert count["total_customers"] == 20_000
    campaign = json.loads(
        run_cli("campaigns", "get", cli_seed.campaign_id, "--json", env=cli_env).stdout
    )
    assert campaign["status"] == "Published"
    runs = json.loads(
        run_cli("reruns", "history", cli_seed.campaign_id, "--json", env=cli_env).stdout
    )
    assert [r["run_number"] for r in runs] == [1]


def test_group_and_field_lifecycle(cli_env: dict[str, str], cli_seed: CliSeed) -> None:
    """groups and fields create/update/delete round-trip through the API."""
    made = json.loads(
        run_cli(
            "groups",
            "create",
            cli_seed.workspace_id,
            "Temp",
            "--description",
            "for a test",
            "--json",
            env=cli_env,
        ).stdout
    )
    renamed = json.loads(
        run_cli(
            "groups",
            "update",
            made["customer_group_id"],
            "--name",
            "Temp 2",
            "--clear-description",
            "--json",
            env=cli_env,
        ).stdout
    )
    assert (renamed["name"], renamed["description"]) == ("Temp 2", None)
    assert run_cli("groups", "delete", made["customer_group_id"], env=cli_env).returncode == 0
    field = json.loads(
        run_cli(
            "fields",
            "create",
            cli_seed.workspace_id,
            "visits",
            "--type",
            "number",
            "--json",
            env=cli_env,
        ).stdout
    )
    updated = json.loads(
        run_cli(
            "fields",
            "update",
            cli_seed.workspace_id,
            field["field_id"],
            "--display-name",
            "Visits",
            "--json",
            env=cli_env,
        ).stdout
    )
    assert updated[0]["display_name"] == "Visits"
    assert (
        run_cli(
            "fields", "delete", cli_seed.workspace_id, field["field_id"], env=cli_env
        ).returncode
        == 0
    )
    nothing = run_cli("groups", "update", made["customer_group_id"], env=cli_env)
    assert nothing.returncode == 2


def test_upload_with_bad_rows_shows_a_table_and_exits_5(
    cli_env: dict[str, str], cli_seed: CliSeed, tmp_path: Path
) -> None:
    """A refused upload prints its row errors as a table, one error line, and exits 5."""
    bad = tmp_path / "people.csv"
    bad.write_text(BAD_CSV)
    result = run_cli(
        "customers",
        "upload",
        cli_seed.workspace_id,
        cli_seed.small_group,
        str(bad),
        "--unique-field",
        "email",
        env=cli_env,
    )
    assert result.returncode == 5
    assert "Row errors" in result.stdout and "joined" in result.stdout
    assert "│ 2 " in result.stdout  # the second data row
    assert "upload refused" in _one_line_error(result.stderr)
    as_json = run_cli(
        "customers",
        "upload",
        cli_seed.workspace_id,
        cli_seed.small_group,
        str(bad),
        "--unique-field",
        "email",
        "--validate-only",
        "--json",
        env=cli_env,
    )
    assert as_json.returncode == 5
    assert json.loads(as_json.stdout)["row_errors"][0]["row"] == 2
    good = tmp_path / "good.csv"
    good.write_text(BAD_CSV.replace("02/01/2026", "2026-01-02"))
    ok = run_cli(
        "customers",
        "upload",
        cli_seed.workspace_id,
        cli_seed.small_group,
        str(good),
        "--unique-field",
        "email",
        "--json",
        env=cli_env,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["created_count"] == 2


def test_bad_credentials_exit_3(cli_env: dict[str, str]) -> None:
    """Refused credentials: exit 3 and one line naming the fix, no traceback."""
    result = run_cli("auth", "check", env={**cli_env, "NUDGESCRIBE_API_SECRET": "wrong"})
    assert result.returncode == 3
    line = _one_line_error(result.stderr)
    assert "AuthenticationError" in line and "wrong" not in line


def test_unknown_group_exits_4(cli_env: dict[str, str]) -> None:
    """An unknown group id: exit 4 and one line, no traceback."""
    result = run_cli("customers", "count", "cg_does_not_exist", env=cli_env)
    assert result.returncode == 4
    assert "NotFoundError" in _one_line_error(result.stderr)


def test_unreachable_host_exits_7_and_debug_shows_the_traceback(cli_env: dict[str, str]) -> None:
    """A refused connection: exit 7 and one line; --debug adds the traceback."""
    args = ("--base-url", "http://127.0.0.1:9", "--max-retries", "0", "workspaces", "list")
    result = run_cli(*args, env=cli_env)
    assert result.returncode == 7
    assert "APIConnectError: cannot connect to 127.0.0.1:9" in _one_line_error(result.stderr)
    debug = run_cli("--debug", *args, env=cli_env)
    assert debug.returncode == 7 and "Traceback" in debug.stderr


def test_missing_credentials_and_usage_errors(cli_env: dict[str, str]) -> None:
    """No credentials: exit 3 naming the env vars; a bad option: click's usage error, exit 2."""
    bare = {k: v for k, v in cli_env.items() if not k.startswith("NUDGESCRIBE_")}
    result = run_cli("workspaces", "list", env=bare)
    assert result.returncode == 3 and "NUDGESCRIBE_" in _one_line_error(result.stderr)
    assert run_cli("customers", "export", env=cli_env).returncode == 2
    assert run_cli("--timeout", "zero", "auth", "check", env=cli_env).returncode == 2


def test_profiles_from_the_config_file(cli_env: dict[str, str], cli_server: ThreadedServer) -> None:
    """--profile and NUDGESCRIBE_PROFILE pick a TOML profile; an unknown one exits 2."""
    creds = cli_server.do(lambda s: s.client_kwargs())
    config = Path(cli_env["XDG_CONFIG_HOME"], "nudgescribe", "config.toml")
    config.parent.mkdir(parents=True)
    body = "\n".join(f'{k} = "{v}"' for k, v in creds.items())
    config.write_text(
        f'[local]\n{body}\nmax_retries = 0\n\n[broken]\napi_secret = "x"\n'
        f'base_url = "{creds["base_url"]}"\n'
    )
    bare = {k: v for k, v in cli_env.items() if not k.startswith("NUDGESCRIBE_")}
    assert run_cli("--profile", "local", "auth", "check", env=bare).returncode == 0
    assert run_cli("auth", "check", env={**bare, "NUDGESCRIBE_PROFILE": "local"}).returncode == 0
    broken = run_cli("--profile", "broken", "auth", "check", env=cli_env)
    assert broken.returncode == 3  # the chosen profile's secret beats the environment's
    unknown = run_cli("--profile", "nope", "auth", "check", env=cli_env)
    assert unknown.returncode == 2 and "local" in _one_line_error(unknown.stderr)


def test_mock_serve_serves_until_ctrl_c(cli_env: dict[str, str]) -> None:
    """`mock serve --port 0` prints working exports; SIGINT stops it with exit 130."""
    bare = {k: v for k, v in cli_env.items() if not k.startswith("NUDGESCRIBE_")}
    with serving(["mock", "serve", "--port", "0", "--job-delay", "0"], bare) as (proc, exports):
        listed = run_cli("workspaces", "list", "--json", env={**bare, **exports})
        names = {w["name"] for w in json.loads(listed.stdout)}
        assert names == {"Acme Retail", "Acme Wholesale", "Sandbox"}
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130


def test_shell_completion_script(cli_env: dict[str, str]) -> None:
    """click's completion hook prints a bash completion script for the command."""
    result = run_cli(env={**cli_env, "_NUDGESCRIBE_COMPLETE": "bash_source"})
    assert result.returncode == 0 and "_nudgescribe_completion" in result.stdout
    assert os.path.basename(COMMAND) == "nudgescribe"


def test_mock_serve_refuses_a_public_host_and_a_busy_port(
    cli_env: dict[str, str], cli_server: ThreadedServer
) -> None:
    """A non-loopback --host or a port in use: one line, exit 2, no traceback."""
    public = run_cli("mock", "serve", "--host", "0.0.0.0", env=cli_env)
    assert public.returncode == 2 and "loopback" in _one_line_error(public.stderr)
    port = cli_env["NUDGESCRIBE_BASE_URL"].rsplit(":", 1)[1]
    busy = run_cli("mock", "serve", "--port", port, "--seed", "none", env=cli_env)
    assert busy.returncode == 2 and "cannot start" in _one_line_error(busy.stderr)


def test_publish_wait_then_rerun_wait(
    cli_env: dict[str, str], cli_server: ThreadedServer, cli_seed: CliSeed, tmp_path: Path
) -> None:
    """publish --wait reports the export files; reruns initiate --wait ends ready; wait works."""

    def seed(ref: ReferenceServer) -> str:
        campaign = ref.seed_campaign(
            cli_seed.workspace_id,
            "Ready one",
            status="Ready to publish",
            customer_group_id=cli_seed.small_group,
        )
        return campaign.campaign_id

    campaign_id = cli_server.do(seed)
    published = run_cli(
        "messages",
        "publish",
        campaign_id,
        "--wait",
        "--poll-interval",
        "0.05",
        "--json",
        env=cli_env,
    )
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout)["export_files"] == 3  # 250 rows, 100 per file
    rerun = run_cli(
        "reruns",
        "initiate",
        campaign_id,
        cli_seed.big_group,
        "--wait",
        "--poll-interval",
        "0.05",
        "--json",
        env=cli_env,
    )
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["run_number"] == 2 and report["campaign_status"] in (
        "Ready for review",
        "Ready to publish",
    )
    assert set(report["comparison"]) >= {"matched_count", "new_count", "orphaned_count"}
    waited = run_cli(
        "campaigns",
        "wait",
        campaign_id,
        "--status",
        report["campaign_status"],
        "--json",
        env=cli_env,
    )
    assert json.loads(waited.stdout)["run_number"] == 2
    again = run_cli("reruns", "initiate", campaign_id, cli_seed.big_group, env=cli_env)
    assert again.returncode == 5  # not Published any more: a 400, one line
    assert "BadRequestError" in _one_line_error(again.stderr)


def test_demo_serve_keeps_its_server_until_ctrl_c(cli_env: dict[str, str]) -> None:
    """`demo --serve` prints the exports of its server, which answers until SIGINT (exit 130)."""
    bare = {k: v for k, v in cli_env.items() if not k.startswith("NUDGESCRIBE_")}
    with serving(["demo", "--serve"], bare) as (proc, exports):
        groups = run_cli("customers", "count", "--json", "nope", env={**bare, **exports})
        assert groups.returncode == 4  # the server answers (and knows no such group)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 130
