"""Failed sign-ins from one address: slowed, not shut, for people who give the right password.

An exam room signs in from one address (the office's NAT). Limiting failures per address the
usual way (ten a minute) refuses the whole room, right passwords included, as soon as ten people
mistype. The rules here, with the per-account limit that allauth keeps (``LOGIN_FAILED_RATE_LIMIT``,
five failures in five minutes per account, whatever the address):

1. **A mistype that is followed by the right password is forgiven.** Each failure is counted
   against the address and remembered against the account; when that account then signs in
   correctly from the same address, its failures are taken off the address's count. A room's
   mistypes disappear as people retry; a password spray across accounts (no right password)
   stays counted.
2. **Below the budget nothing is limited**: ``LOGIN_ADDRESS_FAILURE_LIMIT`` unforgiven failures
   per window (default 50 in ten minutes, counted over a sliding window of two buckets).
3. **Over the budget the address is slowed, not shut**: the site checks one password from it per
   interval (``LOGIN_ADDRESS_SLOW_SECONDS``, default 2 s); others are asked to wait the seconds
   left and sign in again. Every wrong password checked in that state doubles the interval (up to
   five minutes), so a spray is stopped after a few more guesses; every right password halves it
   (down to the base) and forgives that account's failures, so a room works its way back.

Counts live in the cache (Redis in production, shared by every app server). Increments are atomic
there; the rest may be off by one under a race, which a limiter can afford.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PREFIX = "signin-address"


@dataclass(frozen=True)
class AddressPolicy:
    failures: int  # unforgiven failures an address may have in a window before it is slowed
    window: int  # seconds
    slow_seconds: int  # one password checked per this many seconds once over the budget
    max_seconds: int = 300  # the interval doubles with each wrong password up to this


class AddressSlowed(Exception):
    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def _clock() -> float:
    """The time the limits are counted in (the tests move it on)."""
    return time.time()


def current_policy() -> AddressPolicy:
    return settings.SIGN_IN_ADDRESS_POLICY


def address_of(ip: str) -> str:
    """IPv4 as is; IPv6 by its /64 network, which one household or office usually holds."""
    parsed = ipaddress.ip_address(ip)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def _account(login: str) -> str:
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]


def _bucket_key(address: str, index: int) -> str:
    return f"{PREFIX}:{address}:bucket:{index}"


def unforgiven_failures(
    address: str, *, policy: AddressPolicy | None = None, now: float | None = None
) -> float:
    """Failures not (yet) followed by the same account's right password, over the last window."""
    policy = policy or current_policy()
    now = _clock() if now is None else now
    index, into = divmod(now, policy.window)
    index = int(index)
    values = cache.get_many([_bucket_key(address, index), _bucket_key(address, index - 1)])
    current = max(0, values.get(_bucket_key(address, index), 0))
    previous = max(0, values.get(_bucket_key(address, index - 1), 0))
    return current + previous * (1 - into / policy.window)


def address_gate(address: str) -> None:
    """Raises ``AddressSlowed`` when the address is over its budget and its next check is not due."""
    policy = current_policy()
    now = _clock()
    if unforgiven_failures(address, policy=policy, now=now) < policy.failures:
        return
    due = cache.get(_next_key(address)) or 0.0
    if now < due:
        raise AddressSlowed(max(1, math.ceil(due - now)))
    # One password check per due time, whichever app server gets there first (add is atomic).
    interval = cache.get(_interval_key(address)) or policy.slow_seconds
    if not cache.add(f"{PREFIX}:{address}:claim:{due}", 1, timeout=policy.max_seconds + 1):
        raise AddressSlowed(interval)
    cache.set(_next_key(address), now + interval, timeout=policy.window)


def _interval_key(address: str) -> str:
    return f"{PREFIX}:{address}:interval"


def _next_key(address: str) -> str:
    return f"{PREFIX}:{address}:next"


def sign_in_failed(*, address: str, login: str) -> None:
    policy = current_policy()
    now = _clock()
    index = int(now // policy.window)
    key = _bucket_key(address, index)
    cache.add(key, 0, timeout=2 * policy.window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * policy.window)
    account_key = f"{PREFIX}:{address}:account:{_account(login)}"
    failures = cache.get(account_key) or {}
    failures[index] = failures.get(index, 0) + 1
    cache.set(account_key, failures, timeout=2 * policy.window)
    if unforgiven_failures(address, policy=policy, now=now) >= policy.failures:
        interval = cache.get(_interval_key(address))
        # The failure that reaches the budget starts the slow lane; each one after doubles its interval.
        interval = policy.slow_seconds if interval is None else min(interval * 2, policy.max_seconds)
        cache.set(_interval_key(address), interval, timeout=policy.window)
        cache.set(_next_key(address), now + interval, timeout=policy.window)


def sign_in_succeeded(*, address: str, login: str) -> None:
    """The account's earlier failures from this address were mistypes: forgive them."""
    policy = current_policy()
    account_key = f"{PREFIX}:{address}:account:{_account(login)}"
    failures = cache.get(account_key)
    if failures:
        for index, count in failures.items():
            key = _bucket_key(address, index)
            try:
                if cache.decr(key, count) < 0:
                    cache.set(key, 0, timeout=2 * policy.window)
            except ValueError:  # that bucket has expired already
                pass
        cache.delete(account_key)
    # A right password halves the slow lane's interval (down to the base): a room of people who
    # know their passwords is soon back to one check every couple of seconds, while a spray that
    # slips in a known account's sign-in between guesses gains nothing (each guess doubles it).
    interval = cache.get(_interval_key(address))
    if interval is not None and interval > policy.slow_seconds:
        interval = max(policy.slow_seconds, interval // 2)
        cache.set(_interval_key(address), interval, timeout=policy.window)
        cache.set(_next_key(address), _clock() + interval, timeout=policy.window)
