"""The attrs models, the tolerant enums and the client-side validity helpers."""

from __future__ import annotations

import attrs
import pytest

import nudgescribe_async.models as models
from nudgescribe_async import NOT_GIVEN
from nudgescribe_async.models import (
    Campaign,
    CampaignList,
    CampaignStatus,
    CsvExport,
    Customer,
    DateFormat,
    ExportFormat,
    FieldType,
    FieldUpdate,
    JsonExport,
    Model,
    Run,
    RunStatus,
    TokenResponse,
    UrlExport,
    WorkspaceCampaigns,
    export_model_for,
    is_valid_field_format,
    is_valid_field_name,
)


def test_all_lists_exactly_the_public_names() -> None:
    """models.__all__ matches the module's public attributes (no stray or missing names)."""
    # "@py_*" names come from pytest's assertion rewriting of the package, not from us.
    public = {n for n in dir(models) if not n.startswith(("_", "@"))}
    submodules = {
        "auth",
        "campaigns",
        "customer_groups",
        "customers",
        "enums",
        "messages",
        "profile_fields",
        "reruns",
        "workspaces",
        "base",
        "annotations",
    }
    assert set(models.__all__) == public - submodules


def test_response_models_are_frozen_slotted_and_keep_extra() -> None:
    """Every Model subclass is a frozen slotted attrs class with an ``extra`` attribute."""
    classes = [getattr(models, n) for n in models.__all__]
    model_classes = [c for c in classes if isinstance(c, type) and issubclass(c, Model)]
    assert len(model_classes) >= 30
    for cls in model_classes:
        assert "__slots__" in cls.__dict__, cls
        assert "extra" in attrs.fields_dict(cls), cls
        assert cls.__setattr__ is not object.__setattr__, cls  # frozen


def test_frozen_model_rejects_assignment() -> None:
    """Assigning to a model attribute raises attrs' FrozenInstanceError."""
    customer = Customer(customer_id="c1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        customer.customer_id = "c2"  # type: ignore[misc]


def test_extra_is_excluded_from_equality() -> None:
    """Two models differing only in unknown keys compare equal."""
    assert Customer(customer_id="c1", extra={"x": 1}) == Customer(customer_id="c1")


def test_token_repr_hides_tokens() -> None:
    """repr(TokenResponse) shows neither the access nor the refresh token."""
    tokens = TokenResponse(access_token="secret-access", refresh_token="secret-refresh")
    assert "secret" not in repr(tokens)


def test_status_lookup_is_case_insensitive() -> None:
    """CampaignStatus("Ready to Publish") returns the READY_TO_PUBLISH member."""
    assert CampaignStatus("Ready to Publish") is CampaignStatus.READY_TO_PUBLISH
    assert RunStatus("archived") is RunStatus.ARCHIVED


def test_status_equality_is_case_insensitive_both_ways() -> None:
    """A status member equals any casing of its value, from either side of ``==``."""
    assert CampaignStatus.READY_TO_PUBLISH == "ready to publish"
    assert "READY TO PUBLISH" == CampaignStatus.READY_TO_PUBLISH  # noqa: SIM300 - reflected side
    assert CampaignStatus.PUBLISHED != "Ready to publish"
    assert (CampaignStatus.PUBLISHED != "published") is False


def test_status_hash_matches_canonical_value() -> None:
    """A status member and its canonical spelling are interchangeable as set/dict keys."""
    assert hash(CampaignStatus.PUBLISHED) == hash("Published")
    assert CampaignStatus.PUBLISHED in {"Published"}
    by_status: dict[str, int] = {CampaignStatus.PUBLISHED: 1}
    assert by_status["Published"] == 1


def test_unknown_status_value_raises_on_direct_lookup() -> None:
    """Direct enum construction of an unknown value raises ValueError (the converter keeps str)."""
    with pytest.raises(ValueError):
        CampaignStatus("Exploded")


def test_other_enums_are_case_sensitive() -> None:
    """FieldType and DateFormat keep published casing: 'date' and 'mm/dd/yyyy' are unknown."""
    assert FieldType("Date") is FieldType.DATE
    assert FieldType("Date") != "date"
    with pytest.raises(ValueError):
        DateFormat("mm/dd/yyyy")


def test_enum_str_and_format_give_the_wire_value() -> None:
    """str() and f-strings of members give the value, not 'Class.MEMBER'."""
    assert str(CampaignStatus.READY_FOR_REVIEW) == "Ready for review"
    assert f"{ExportFormat.CSV}" == "csv"


def test_date_formats_are_exactly_the_published_fourteen() -> None:
    """DateFormat holds exactly the 14 documented formats."""
    # The spec check: the one literal copy of the 14 formats outside nudgescribe_async._contract
    # (tests about SDK/server agreement import the constant instead).
    assert {m.value for m in DateFormat} == {
        "yyyy-MM-dd",
        "dd/MM/yyyy",
        "MM/dd/yyyy",
        "dd-MM-yyyy",
        "MM-dd-yyyy",
        "dd.MM.yyyy",
        "yyyy/MM/dd",
        "dd MMM yyyy",
        "MMM dd, yyyy",
        "MMMM dd, yyyy",
        "dd MMMM yyyy",
        "yy/MM/dd",
        "dd/MM/yy",
        "MM/dd/yy",
    }


@pytest.mark.parametrize(
    ("field_type", "fmt", "valid"),
    [
        ("Date", "dd/MM/yyyy", True),
        (FieldType.DATE, DateFormat.MON_DD_YYYY, True),
        ("Date", "DD/MM/YYYY", False),
        ("Date", None, False),
        ("currency", "USD", True),
        (FieldType.CURRENCY, "AED", True),
        ("currency", "usd", False),
        ("currency", "USDT", False),
        ("currency", None, False),
        ("string", None, True),
        ("number", "anything", True),
        ("brand-new-type", "x", True),
    ],
)
def test_is_valid_field_format(field_type: str, fmt: str | None, valid: bool) -> None:
    """Date needs one of the 14 formats, currency an uppercase 3-letter code, others anything."""
    assert is_valid_field_format(field_type, fmt) is valid


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("email", True),
        ("a", True),
        ("first_name_2", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("First", False),
        ("1st", False),
        ("_x", False),
        ("e-mail", False),
        ("", False),
        ("name\n", False),
    ],
)
def test_is_valid_field_name(name: str, valid: bool) -> None:
    """field_name must match ^[a-z][a-z0-9_]{0,62}$ exactly (no trailing newline loophole)."""
    assert is_valid_field_name(name) is valid


def test_field_update_defaults_to_not_given() -> None:
    """FieldUpdate's optional attributes default to NOT_GIVEN, distinct from None."""
    update = FieldUpdate(field_id="f1", display_name=None)
    assert update.display_name is None
    assert update.field_format is NOT_GIVEN
    assert update.is_required is NOT_GIVEN


def test_export_model_for_each_format() -> None:
    """export_model_for maps csv/json/url (any case, enum or str) to its model."""
    assert export_model_for("csv") is CsvExport
    assert export_model_for(ExportFormat.JSON) is JsonExport
    assert export_model_for("URL") is UrlExport
    with pytest.raises(ValueError, match="xml"):
        export_model_for("xml")


def test_campaign_list_find_and_iterate() -> None:
    """CampaignList.all_campaigns walks every workspace; find returns a match or None."""
    a = Campaign(campaign_id="a", status=CampaignStatus.PUBLISHED)
    b = Campaign(campaign_id="b", status="Exploded")
    listing = CampaignList(
        workspaces=[
            WorkspaceCampaigns(workspace_id="w1", campaigns=[a]),
            WorkspaceCampaigns(workspace_id="w2", campaigns=[b]),
        ]
    )
    assert list(listing.all_campaigns()) == [a, b]
    assert listing.find("b") is b
    assert listing.find("zzz") is None


def test_run_defaults_to_empty_summary() -> None:
    """A Run built without message_summary gets one whose counts are all None."""
    run = Run(run_number=1)
    assert run.message_summary.total_count is None
    assert run.synthesized is False
