"""Cursors for the API's lists: where the next page starts, signed so that nobody can change one.

A cursor names the client, the list and its parameters it was issued for; any other use is refused.
"""

from __future__ import annotations

from django.core import signing

SALT = "api.v1.cursor"


class CursorRefused(Exception):
    pass


def cursor_make(*, client_id: int, endpoint: str, params: dict, after: int) -> str:
    return signing.dumps({"c": client_id, "e": endpoint, "p": params, "a": after}, salt=SALT, compress=True)


def cursor_read(raw: str | None, *, client_id: int, endpoint: str, params: dict) -> int:
    """The id the page starts after (0: from the beginning)."""
    if not raw:
        return 0
    try:
        data = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        raise CursorRefused("This cursor was not issued by this site or has been changed.") from None
    if not isinstance(data, dict) or data.get("c") != client_id or data.get("e") != endpoint:
        raise CursorRefused("This cursor was issued to another client or for another list.")
    if data.get("p") != params:
        raise CursorRefused(
            "This cursor was issued for other parameters: repeat them as they were, "
            "or start again without it."
        )
    after = data.get("a")
    if not isinstance(after, int) or after < 0:
        raise CursorRefused("This cursor was not issued by this site or has been changed.")
    return after
