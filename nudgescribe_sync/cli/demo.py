"""``nudgescribe demo``: the integrator's workflow against the embedded reference server.

Starts the reference server with the demo dataset on an ephemeral loopback port and walks
through what a real integration does, one timed step at a time, using only the public SDK.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nudgescribe_async import UploadValidationError
from nudgescribe_async.models import CampaignList, CampaignStatus, FieldType
from nudgescribe_sync import Nudgescribe
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.bulk import export as bulk_export
from nudgescribe_sync.cli.campaigns import campaign_table
from nudgescribe_sync.cli.codecs import JsonLinesCodec
from nudgescribe_sync.cli.customers import show_findings
from nudgescribe_sync.cli.mock import print_exports, serving, wait_forever
from nudgescribe_sync.cli.output import Output, table
from nudgescribe_sync.cli.progress import ProgressBar
from nudgescribe_sync.cli.reruns import DONE, comparison_table, history_table

if TYPE_CHECKING:
    from nudgescribe_sync.testing import SyncReferenceServer

__all__ = ["group"]

BAD_CSV = """email,first_name,region,last_visit,loyalty_points
customer0009000@example.test,Ada,N,2026-02-11,120
customer0009001@example.test,Grace,S,2026-02-12,80
new.customer@example.test,Linus,E,yesterday,15
customer0009003@example.test,Barbara,W,2026-02-14,300
"""
GOOD_CSV = BAD_CSV.replace("yesterday", "2026-02-13")

#: Seconds the demo server's background jobs take (publish export, rerun generation).
JOB_DELAY = 0.3
POLL = 0.1


class Steps:
    """Numbered, timed steps; their facts are collected for ``--json``."""

    def __init__(self, output: Output, total: int) -> None:
        self.output = output
        self.total = total
        self.done: list[dict[str, Any]] = []
        self.started: float = time.perf_counter()

    @contextmanager
    def step(self, title: str) -> Iterator[dict[str, Any]]:
        """Time one step; the yielded dict collects its facts."""
        number = len(self.done) + 1
        if not self.output.json_mode:
            self.output.out.rule(f"[bold]Step {number}/{self.total}: {title}", align="left")
        facts: dict[str, Any] = {}
        begin = time.perf_counter()
        yield facts
        seconds = time.perf_counter() - begin
        self.done.append({"step": number, "title": title, "seconds": round(seconds, 3), **facts})
        self.say(f"[green]done[/] in {seconds:.2f} s")

    def say(self, text: str) -> None:
        """A line of narration (suppressed under ``--json``)."""
        if not self.output.json_mode:
            self.output.out.print(text)

    def show(self, renderable: Any) -> None:
        """A table (suppressed under ``--json``)."""
        if not self.output.json_mode:
            self.output.out.print(renderable)


@click.group("demo", invoke_without_command=True)
@click.option("--serve", is_flag=True, help="Keep the server running after the workflow.")
@common_options
@pass_state
@click.pass_context
def group(ctx: click.Context, state: State, serve: bool) -> None:
    """Run the full workflow against an embedded local server (about 5 seconds)."""
    if ctx.invoked_subcommand is not None:  # pragma: no cover - no subcommands
        return
    output = state.output
    steps = Steps(output, total=9)
    with ExitStack() as stack:
        with steps.step("Start the local reference server (demo dataset)") as facts:
            server = stack.enter_context(serving(seed="demo", job_delay=JOB_DELAY))
            facts["base_url"] = server.base_url
            steps.say(f"Listening on {server.base_url} (loopback only, in memory)")
        with Nudgescribe(**server.client_kwargs()) as client:
            _workflow(client, steps)
        _summary(state, steps, server, serve=serve)
        if serve:
            output.err.print("Serving until Ctrl-C.")
            wait_forever()


def _workflow(client: Nudgescribe, steps: Steps) -> None:
    with steps.step("Authenticate") as facts:
        tokens = client.auth.authenticate()
        facts["expires_in"] = tokens.expires_in
        steps.say(
            f"POST /v1/auth: got a {tokens.token_type} token valid for "
            f"{(tokens.expires_in or 0) // 86400} days (renewed automatically)"
        )
    listing = client.campaigns.list()
    retail = _workspace(listing, "Acme Retail")
    with steps.step("Define profile fields") as facts:
        client.profile_fields.create(
            retail,
            "last_visit",
            FieldType.DATE,
            field_format="yyyy-MM-dd",
            display_name="Last visit",
        )
        client.profile_fields.create(retail, "loyalty_points", FieldType.NUMBER)
        fields = client.profile_fields.list(retail).fields
        facts["fields"] = len(fields)
        steps.show(
            table(
                f"Profile fields of Acme Retail ({retail})",
                ["name", "type", "format", "required", "unique"],
                [
                    [f.field_name, f.field_type, f.field_format, f.is_required, f.is_unique]
                    for f in fields
                ],
            )
        )
    with steps.step("Create a customer group") as facts:
        group = client.customer_groups.create(
            retail, "Demo import", description="Uploaded by nudgescribe demo"
        )
        facts["customer_group_id"] = group.customer_group_id
        steps.say(f"Created group {group.name!r}: {group.customer_group_id}")
    with steps.step("Upload customers from CSV") as facts:
        _upload(client, steps, retail, group.customer_group_id, facts)
    with steps.step("Page through a large group concurrently") as facts:
        _page_through(client, steps, _group_id(client, retail, "All customers"), facts)
    with steps.step("List workspaces and campaigns") as facts:
        listing = client.campaigns.list()
        names = {ws.workspace_id: ws.workspace_name or "" for ws in listing.workspaces}
        campaigns = list(listing.all_campaigns())
        facts.update(workspaces=len(names), campaigns=len(campaigns))
        steps.show(
            campaign_table(
                f"{len(campaigns)} campaigns in {len(names)} workspaces", campaigns, names
            )
        )
    summer = next(c for c in listing.all_campaigns() if c.name == "Summer Preview")
    with steps.step("Publish a campaign and download its export") as facts:
        _publish(client, steps, summer.campaign_id, facts)
    with steps.step("Rerun the campaign on another group") as facts:
        _rerun(client, steps, summer.campaign_id, group.customer_group_id, facts)


def _workspace(listing: CampaignList, name: str) -> str:
    return next(ws.workspace_id for ws in listing.workspaces if ws.workspace_name == name)


def _group_id(client: Nudgescribe, workspace_id: str, name: str) -> str:
    groups = client.customer_groups.list(workspace_id).customer_groups
    return next(g.customer_group_id for g in groups if g.name == name)


def _upload(
    client: Nudgescribe, steps: Steps, workspace_id: str, group_id: str, facts: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory(prefix="nudgescribe-demo-") as tmp:
        bad, good = Path(tmp, "customers.csv"), Path(tmp, "customers-fixed.csv")
        bad.write_text(BAD_CSV)
        good.write_text(GOOD_CSV)
        steps.say(f"customers.csv has {BAD_CSV.count(chr(10)) - 1} rows; one date is wrong:")
        try:
            client.customers.upload(workspace_id, group_id, unique_field="email", file=str(bad))
        except UploadValidationError as exc:
            facts["refused_rows"] = len(exc.row_errors)
            steps.say("[yellow]Refused[/] (HTTP 400, nothing stored):")
            if not steps.output.json_mode:
                show_findings(steps.output, exc.header_errors, exc.row_errors)
        result = client.customers.upload(
            workspace_id, group_id, unique_field="email", file=str(good)
        )
    facts.update(created=result.created_count, updated=result.updated_count)
    steps.say(
        f"Corrected file uploaded: {result.created_count} created, {result.updated_count} updated"
    )


def _page_through(client: Nudgescribe, steps: Steps, group_id: str, facts: dict[str, Any]) -> None:
    begin = time.perf_counter()
    rows = pages = 0
    pager = client.customers.list(group_id, page_size=100, concurrency=8)
    with ProgressBar("All customers") as bar, pager:
        for page in pager.pages():
            rows, pages = rows + len(page.items), page.number
            bar.update(pager.total_pages, pages, rows)
    seconds = time.perf_counter() - begin
    facts.update(customers=rows, pages=pages)
    steps.say(
        f"customers.list(page_size=100, concurrency=8): {rows:,} customers in {pages} "
        f"pages, in page order, {rows / max(seconds, 1e-6):,.0f} customers/s"
    )


def _publish(client: Nudgescribe, steps: Steps, campaign_id: str, facts: dict[str, Any]) -> None:
    client.messages.publish(campaign_id)
    steps.say(f"Published 'Summer Preview' ({campaign_id}); waiting for the export job")
    files = client.messages.wait_for_export(campaign_id, timeout=30, poll_interval=POLL)
    with tempfile.TemporaryDirectory(prefix="nudgescribe-demo-") as tmp:
        target = Path(tmp, f"{campaign_id}.jsonl")
        result = _download(client, campaign_id, target, steps.output)
        size = target.stat().st_size
    facts.update(export_files=files.total_pages, messages=result)
    steps.say(
        f"Downloaded {result:,} messages ({files.total_pages} export file(s), "
        f"{size / 1024:,.0f} KiB of JSON Lines)"
    )


def _download(client: Nudgescribe, campaign_id: str, target: Path, output: Output) -> int:
    make: Callable[[int], Any] = lambda start: client.messages.list(  # noqa: E731
        campaign_id, start_page=start
    )
    result = bulk_export(
        make,
        JsonLinesCodec(),
        str(target),
        identity={"demo": campaign_id},
        output=output,
        label="messages",
    )
    return result.rows


def _rerun(
    client: Nudgescribe, steps: Steps, campaign_id: str, group_id: str, facts: dict[str, Any]
) -> None:
    result = client.reruns.initiate(campaign_id, group_id)
    steps.say(
        f"Rerun initiated: run #{result.run_number}; the campaign is "
        f"{result.campaign_status} while the messages are generated"
    )
    done = client.campaigns.wait_for_status(campaign_id, DONE, timeout=30, poll_interval=POLL)
    facts.update(
        run_number=result.run_number,
        matched=result.comparison.matched_count,
        new=result.comparison.new_count,
        orphaned=result.comparison.orphaned_count,
        status=str(done.status),
    )
    steps.say(
        f"Comparison counts of the segments: matched {result.comparison.matched_count}, "
        f"new {result.comparison.new_count}, orphaned {result.comparison.orphaned_count}"
    )
    steps.show(comparison_table(result, done.status))
    steps.show(history_table(client.reruns.history(campaign_id).runs))
    if done.status == CampaignStatus.READY_FOR_REVIEW:
        steps.say("New segments need review in the web app before the next publish.")


def _summary(state: State, steps: Steps, server: SyncReferenceServer, *, serve: bool) -> None:
    total = time.perf_counter() - steps.started
    output = state.output
    if output.json_mode:
        output.data(
            {
                "seconds": round(total, 3),
                "steps": steps.done,
                "base_url": server.base_url if serve else None,
            }
        )
        return
    output.out.rule("[bold]Summary", align="left")
    output.out.print(
        table(None, ["step", "seconds"], [[s["title"], f"{s['seconds']:.2f}"] for s in steps.done])
    )
    output.out.print(f"All {len(steps.done)} steps passed in {total:.1f} s.\n")
    if serve:
        output.out.print("This server keeps running. Point the SDK (or this CLI) at it with:")
        print_exports(server.env())
        return
    output.out.print(
        "Next: run `nudgescribe mock serve` (a server of your own, port 8080) "
        "and point the SDK (or this CLI) at it with:"
    )
    print_exports({**server.env(), "NUDGESCRIBE_BASE_URL": "http://127.0.0.1:8080"})
    output.out.print("(Throwaway credentials of the local fake server, printed on purpose.)")
