"""Campaign reruns: run history, run messages and ``initiate`` (contract §7).

``initiate`` checks, in order: 404 unknown campaign or group, 409 a job of the campaign still
processing, 400 campaign not ``Published``, 400 unpublished messages in the current run, 400 the
new group is the current one ("current run targeted for archive"). Then, atomically: compare
segments (matched / new / orphaned), create the run record, move the campaign to the new group,
archive every message of the previous run, set the campaign's status and queue the job. As
published, the call itself leaves the campaign ``Ready for review`` when any segment is new and
``Ready to publish`` when every segment matched. The job then generates the new run's messages
(matched segments approved, new segments pending review) and archives the orphaned segments'
messages; until it ends, a publish or another rerun of the campaign answers 409.
"""

from __future__ import annotations

from typing import Any

from nudgescribe_async._contract import (
    CAMPAIGN_PUBLISHED,
    CAMPAIGN_READY_FOR_REVIEW,
    CAMPAIGN_READY_TO_PUBLISH,
    RUN_ACTIVE,
    RUN_ARCHIVED,
)
from nudgescribe_async.testing._campaigns import (
    current_messages,
    generate_messages,
    segments_of,
    status_is,
)
from nudgescribe_async.testing._errors import ApiError
from nudgescribe_async.testing._jobs import Job, JobQueue
from nudgescribe_async.testing._state import (
    CampaignRecord,
    CustomerGroupRecord,
    RunRecord,
    State,
)

__all__ = ["initiate_rerun", "run_history", "run_messages", "status_after_rerun"]


def _old_segments(state: State, campaign: CampaignRecord) -> set[str]:
    group = state.groups.get(campaign.customer_group_id)
    if group is not None:
        return set(segments_of(group.customers.values(), campaign.segment_field))
    return {m.segment_name for m in campaign.messages if m.run_number == campaign.run_number}


def _check_rerun_allowed(campaign: CampaignRecord, group: CustomerGroupRecord) -> None:
    if campaign.pending_job is not None:
        raise ApiError(
            409, "The previous job of this campaign is still processing", "rerun_in_progress"
        )
    if not status_is(campaign, CAMPAIGN_PUBLISHED):
        raise ApiError(
            400,
            f"Campaign is {campaign.status!r}; only Published campaigns rerun",
            "campaign_not_published",
        )
    if any(m.published_at is None for m in current_messages(campaign)):
        raise ApiError(400, "Unpublished messages exist in the current run", "unpublished_messages")
    if group.customer_group_id == campaign.customer_group_id:
        raise ApiError(
            400,
            "The new group is the current run's group: current run targeted for archive",
            "current_run_targeted",
        )


def status_after_rerun(new_segments: int) -> str:
    """The status a rerun leaves: ``Ready for review`` if segments are new, else ready."""
    return CAMPAIGN_READY_FOR_REVIEW if new_segments else CAMPAIGN_READY_TO_PUBLISH


def initiate_rerun(
    state: State, jobs: JobQueue, campaign: CampaignRecord, group: CustomerGroupRecord
) -> dict[str, Any]:
    """Apply the atomic part of a rerun, queue its job and return the response payload."""
    _check_rerun_allowed(campaign, group)
    old = _old_segments(state, campaign)
    new_segments = set(segments_of(group.customers.values(), campaign.segment_field))
    matched, added, orphaned = old & new_segments, new_segments - old, old - new_segments
    previous_run = campaign.run_number
    archived = 0
    for message in campaign.messages:
        if message.run_number == previous_run and not message.archived:
            message.archived = True
            archived += 1
    run = RunRecord(
        rerun_id=state.new_id(),
        run_number=previous_run + 1,
        customer_group_id=group.customer_group_id,
        customer_group_name=group.name,
        segment_count=len(new_segments),
        created_at=state.stamp(),
        matched=len(matched),
        new=len(added),
        orphaned=len(orphaned),
    )
    campaign.runs.append(run)
    campaign.run_number = run.run_number
    campaign.customer_group_id = group.customer_group_id
    campaign.status = status_after_rerun(run.new)
    campaign.updated_at = run.created_at
    job = Job(
        job_uid=state.new_id(),
        kind="rerun",
        campaign_id=campaign.campaign_id,
        apply=lambda: _finish_rerun(state, campaign, group, run, matched, orphaned),
    )
    campaign.pending_job = job.job_uid
    jobs.submit(job)
    return {
        "rerun_id": run.rerun_id,
        "run_number": run.run_number,
        "campaign_status": campaign.status,
        "job_uid": job.job_uid,
        "archived_count": archived,
        "comparison": {
            "matched_count": run.matched,
            "new_count": run.new,
            "orphaned_count": run.orphaned,
        },
    }


def _finish_rerun(
    state: State,
    campaign: CampaignRecord,
    group: CustomerGroupRecord,
    run: RunRecord,
    matched: set[str],
    orphaned: set[str],
) -> None:
    origins = dict.fromkeys(matched, "matched")
    generate_messages(state, campaign, group, status=status_after_rerun(run.new), origins=origins)
    previous = run.run_number - 1
    for message in campaign.messages:
        if message.run_number == previous and message.segment_name in orphaned:
            message.archived = True
            run.orphaned_messages += 1
    campaign.updated_at = state.stamp()
    campaign.pending_job = None


def _summary(campaign: CampaignRecord, run_number: int, orphaned: int) -> dict[str, int]:
    counts = {
        "total_count": 0,
        "published_count": 0,
        "archived_count": 0,
        "matched_count": 0,
        "new_count": 0,
        "orphaned_count": orphaned,
    }
    for m in campaign.messages:
        if m.run_number != run_number:
            continue
        counts["total_count"] += 1
        counts["published_count"] += m.published_at is not None
        counts["archived_count"] += m.archived
        counts["matched_count" if m.origin == "matched" else "new_count"] += 1
    return counts


def run_history(state: State, campaign: CampaignRecord) -> list[dict[str, Any]]:
    """Return the runs newest first, with the synthesised Run #1 last."""

    def status(number: int) -> str:
        return RUN_ACTIVE if number == campaign.run_number else RUN_ARCHIVED

    first_group = state.groups.get(campaign.first_group_id)
    runs = [
        {
            "rerun_id": None,
            "run_number": 1,
            "customer_group_id": campaign.first_group_id,
            "customer_group_name": first_group.name if first_group else campaign.first_group_name,
            "segment_count": len({m.segment_id for m in campaign.messages if m.run_number == 1}),
            "status": status(1),
            "created_at": campaign.created_at,
            "synthesized": True,
            "message_summary": _summary(campaign, 1, 0),
        }
    ]
    for run in campaign.runs:
        runs.append(
            {
                "rerun_id": run.rerun_id,
                "run_number": run.run_number,
                "customer_group_id": run.customer_group_id,
                "customer_group_name": run.customer_group_name,
                "segment_count": run.segment_count,
                "status": status(run.run_number),
                "created_at": run.created_at,
                "synthesized": False,
                "message_summary": _summary(campaign, run.run_number, run.orphaned_messages),
            }
        )
    runs.reverse()
    return runs


def run_messages(
    campaign: CampaignRecord, run_number: int | None, page: int, page_size: int
) -> dict[str, Any]:
    """Return one page of run messages (archived included only when a run is named)."""
    if run_number is None:
        chosen = current_messages(campaign)
        run_number = campaign.run_number
    elif run_number > campaign.run_number:
        raise ApiError(
            400,
            f"Campaign has no run {run_number}",
            "unknown_run",
            errors=[{"field": "run_number", "message": "no such run"}],
        )
    else:
        chosen = [m for m in campaign.messages if m.run_number == run_number]
    total_pages = -(-len(chosen) // page_size)
    start = (page - 1) * page_size
    return {
        "campaign_id": campaign.campaign_id,
        "run_number": run_number,
        "page": page,
        "total_pages": total_pages,
        "messages": [m.to_rerun_json() for m in chosen[start : start + page_size]],
    }
