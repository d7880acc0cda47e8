"""The one redaction policy for logs, errors and excerpts."""

from __future__ import annotations

import pytest

from nudgescribe_async._redact import excerpt, excerpt_raw, redact_headers


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('{"success":true,"access_token":"ab\\"SECRETTAIL","x":1}', "SECRETTAIL"),
        ('{"access_token":"TOKEN-abc","refresh_tok', "TOKEN-abc"),
        ("access_token=SECRET1&b=2", "SECRET1"),
        ("token: SECRET2", "SECRET2"),
        ("Authorization: Bearer SECRET3\nx: 1", "SECRET3"),
        ('{"api_secret": "SECRET4"}', "SECRET4"),
    ],
)
def test_raw_excerpts_mask_secret_values(text: str, secret: str) -> None:
    """Excerpts of bodies that may not be JSON mask secret-looking values in common forms."""
    masked = excerpt_raw(text)
    assert secret not in masked and "***" in masked


def test_json_excerpts_mask_by_key_at_any_depth() -> None:
    """Decoded bodies are masked by key name, nested too, and cut to 200 characters."""
    body = {
        "user": {"refresh_token": "R1"},
        "items": [{"password": "P1"}],
        "page": 1,
        "long": "x" * 500,
    }
    text = excerpt(body)
    assert "R1" not in text and "P1" not in text and '"page":1' in text
    assert len(text) <= 203


def test_headers_are_masked_case_insensitively() -> None:
    """Credential headers are masked whatever their letter case; others are kept."""
    masked = redact_headers(
        {
            "AUTHORIZATION": "Bearer t",
            "X-Api-Key": "k",
            "x-auth-context": "{}",
            "Accept": "application/json",
        }
    )
    assert masked == {
        "AUTHORIZATION": "***",
        "X-Api-Key": "***",
        "x-auth-context": "***",
        "Accept": "application/json",
    }
