"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's second recommended setting)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from broadcast.errors import AccountError

MIN_LENGTH = 10  # NIST SP 800-63B asks at least 8; offices share machines, so a little more
MAX_LENGTH = 256
_HASHER = PasswordHasher()
# Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash("not the password of anyone")


def check_strength(password: str, username: str) -> None:
    """AccountError when the password is too short, too long, or is the user name."""
    if len(password) < MIN_LENGTH:
        raise AccountError(f"a password needs at least {MIN_LENGTH} characters", field="password")
    if len(password) > MAX_LENGTH:
        raise AccountError(f"a password may have at most {MAX_LENGTH} characters", field="password")
    if password.strip().lower() == username.lower():
        raise AccountError("a password must not be the user name", field="password")


def hash_password(password: str) -> str:
    """The argon2id hash, parameters and salt included, as stored."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether password matches the stored hash; with None (no such user) it spends the same time and says no."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether the hash was made with weaker parameters than today's and should be replaced at the next sign-in."""
    return _HASHER.check_needs_rehash(stored)
