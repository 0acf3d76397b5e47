"""Profile PINs: salted scrypt hashes in a self-describing string.

    hash_pin("1234")  ->  "scrypt$16384$8$1$<salt, base64>$<hash, base64>"
    verify_pin("1234", stored)  ->  True

The cost parameters travel with the hash, so they can be raised later without
breaking stored PINs. A PIN keeps a profile's history away from the next
person on a shared laptop; it is not encryption (the database file itself is
readable by anyone with access to the data folder).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 64


class InvalidPinError(ValueError):
    """The new PIN was rejected (too short, too long, or blank)."""


def check_new_pin(pin: str) -> str:
    if not isinstance(pin, str) or not pin.strip():
        raise InvalidPinError("The PIN must not be empty.")
    if len(pin) < MIN_PIN_LENGTH:
        raise InvalidPinError(f"The PIN must be at least {MIN_PIN_LENGTH} characters long.")
    if len(pin) > MAX_PIN_LENGTH:
        raise InvalidPinError(f"The PIN must be at most {MAX_PIN_LENGTH} characters long.")
    return pin


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=256 * 1024 * 1024)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A new salted hash of ``pin`` (checked with ``check_new_pin``)."""
    check_new_pin(pin)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _derive(pin, salt, N, R, P, HASH_BYTES)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored``; False (never an error) for a malformed hash."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        if scheme != SCHEME:
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
        n_i, r_i, p_i = int(n), int(r), int(p)
        if not (2 <= n_i <= 2**20 and 1 <= r_i <= 32 and 1 <= p_i <= 16 and expected):
            return False
        actual = _derive(pin, salt, n_i, r_i, p_i, len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
