"""Private-link tokens: make them, hash them for storage, derive reprintable ones, compare.

Four kinds of private link use this module: the participant's self-service link
(registrations), the submitter's link to their proposal (cfp), the verification code printed
on a visa letter (registrations) and on a certificate of attendance (attendance). Random links
are stored only as a hash, so a database dump opens nothing; links printed on paper are
derived from the secret key and a stored value, so a document can be printed again with the
same code while the database still holds only the hash. Badge tokens are random too
(`make_token`) but kept in clear so a badge can be reprinted.
"""

import base64
import hashlib
import secrets

from django.utils.crypto import salted_hmac

MIN_BYTES = 16  # 128 bits: the least any private link carries


def make_token(nbytes: int = 32) -> str:
    """A random URL-safe token of `nbytes` random bytes (at least 16)."""
    return secrets.token_urlsafe(max(nbytes, MIN_BYTES))


def hash_token(token: str) -> str:
    """What the database stores for a token: SHA-256, hex. A lookup by hash leaks no timing
    about the token itself (the comparison happens inside an index)."""
    return hashlib.sha256(token.encode()).hexdigest()


def derive_token(*, purpose: str, message: str, nbytes: int = 18, encoding: str = "base64") -> str:
    """A token derived from SECRET_KEY, `purpose` and `message` (HMAC-SHA256), so a printed
    document can be reproduced with the same code. `encoding` is "base64" (URL-safe, no
    padding) or "hex"; both kinds exist on paper already, so both stay valid."""
    digest = salted_hmac(purpose, message, algorithm="sha256").digest()[: max(nbytes, MIN_BYTES)]
    if encoding == "hex":
        return digest.hex()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def tokens_match(given: str, expected: str) -> bool:
    """Constant-time comparison of two tokens (or two hashes)."""
    return secrets.compare_digest(given.encode(), expected.encode())
