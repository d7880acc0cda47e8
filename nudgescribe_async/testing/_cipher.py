"""The reference server's deterministic, reversible "encryption" of profile values.

The real service encrypts profile values with account keys and does not publish the scheme.
The reference server stands in with a scheme that is trivially reversible on purpose, so tests
can check what was stored::

    ciphertext = "enc:v1:" + base64(utf8(plaintext) XOR cycle(account_key))

``account_key`` is 32 bytes derived from the account id (see :func:`derive_account_key`).
This is NOT encryption in any security sense; it only makes values opaque to the SDK.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

__all__ = [
    "PREFIX",
    "DecryptError",
    "decrypt_demo_value",
    "derive_account_key",
    "encrypt_demo_value",
]

PREFIX = "enc:v1:"


class DecryptError(ValueError):
    """A value is no reference-server ciphertext, or was encrypted for another account.

    The scheme has no integrity check, so a value of another account is caught when its bytes
    do not decode as UTF-8 (nearly always for non-ASCII or longer values), not in every case.
    """


def derive_account_key(account_id: str) -> bytes:
    """Return the 32-byte per-account key the server uses for ``account_id``."""
    return hashlib.sha256(b"nudgescribe-reference-server:" + account_id.encode()).digest()


def _xor(data: bytes, key: bytes) -> bytes:
    # One big-integer XOR is far faster than a per-byte loop on 200k-customer pages.
    size = len(data)
    if size == 0:
        return b""
    stream = (key * (size // len(key) + 1))[:size]
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(size, "big")


def encrypt_demo_value(account_key: bytes, plaintext: str) -> str:
    """Return the ciphertext the server stores and returns for ``plaintext``."""
    return PREFIX + base64.b64encode(_xor(plaintext.encode(), account_key)).decode("ascii")


def decrypt_demo_value(account_key: bytes, ciphertext: str) -> str:
    """Return the plaintext of a profile value returned by the reference server.

    >>> key = derive_account_key("acct")
    >>> decrypt_demo_value(key, encrypt_demo_value(key, "Ada"))
    'Ada'
    """
    if not isinstance(ciphertext, str) or not ciphertext.startswith(PREFIX):
        raise DecryptError(
            f"not a reference-server ciphertext (no {PREFIX!r} prefix): {str(ciphertext)[:40]!r}"
        )
    try:
        raw = base64.b64decode(ciphertext[len(PREFIX) :], validate=True)
    except binascii.Error:
        raise DecryptError(
            "not a reference-server ciphertext (bad base64 after the prefix)"
        ) from None
    try:
        return _xor(raw, account_key).decode()
    except UnicodeDecodeError:
        raise DecryptError(
            "this value was not encrypted for this account: decrypt it with the credentials "
            "of the account that read it (server.decrypt(value, credentials=creds) or "
            "creds.decrypt(value))"
        ) from None
