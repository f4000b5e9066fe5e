"""Secrets are kept as argon2id hashes with argon2's default (RFC 9106) parameters.

Elsewhere the suite hashes with the cheapest parameters (tests/conftest.py); this file checks the
real ones, and that a hash with either is checked by the same `verify_secret`."""

from __future__ import annotations

from argon2 import extract_parameters
from argon2.profiles import get_default_parameters

from openlrs.services.accounts.credentials import DUMMY_HASH, hash_secret, verify_secret
from tests.conftest import CHEAP_HASHER


def test_a_secret_is_hashed_with_the_default_argon2id_parameters() -> None:
    secret_hash = hash_secret("correct horse battery staple")

    assert secret_hash.startswith("$argon2id$")
    assert extract_parameters(secret_hash) == get_default_parameters()
    assert extract_parameters(DUMMY_HASH) == get_default_parameters()
    assert verify_secret(secret_hash, "correct horse battery staple")
    assert not verify_secret(secret_hash, "correct horse battery stapler")


def test_a_cheap_test_hash_is_checked_the_same_way() -> None:
    secret_hash = CHEAP_HASHER.hash("correct horse battery staple")

    assert verify_secret(secret_hash, "correct horse battery staple")
    assert not verify_secret(secret_hash, "wrong")
    assert not verify_secret("not a hash", "correct horse battery staple")
