"""Hashing and checking passwords and client secrets with argon2."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def new_client_credentials() -> tuple[str, str]:
    """A fresh client id and a secret with 256 bits of entropy."""
    return f"cl_{secrets.token_hex(12)}", secrets.token_urlsafe(32)


# A hash to verify against when the account does not exist, so timing does not reveal which do.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
