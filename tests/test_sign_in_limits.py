"""Sign-in limits that an exam room survives (skills_site/sign_in_limits.py): a shared address is
slowed, not shut, for people who give the right password; a password spray is still stopped; the
per-account limit stays."""

import heapq

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from profiles.factories import UserFactory
from skills_site import sign_in_limits
from skills_site.settings.env import env_rate
from tests.conftest import PASSWORD

START = 1_800_000_000.0  # any moment: the limits count in the clock below


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    cache.clear()
    fake = Clock()
    monkeypatch.setattr(sign_in_limits, "_clock", fake)
    yield fake
    cache.clear()


def sign_in(client, email, password, address="192.0.2.10"):
    """'in', 'wrong' (the password was checked and refused), ('wait', seconds) or the error code."""
    data = {"login": email, "password": password}
    response = client.post(reverse("account_login"), data, REMOTE_ADDR=address)
    if response.status_code == 302 and "_auth_user_id" in client.session:
        return "in"
    errors = response.context["form"].non_field_errors().as_data()
    assert len(errors) == 1, errors
    if errors[0].code == "address_slowed":
        return ("wait", errors[0].params["seconds"])
    return "wrong" if errors[0].code == "email_password_mismatch" else errors[0].code


def run_room(clock, arrivals, *, until):
    """People sign in at their times; one told to wait comes back after the seconds it said.

    ``arrivals``: (time, user, passwords to type in turn). Returns {username: time they got in}.
    """
    queue = [(at, n, user, list(passwords), Client()) for n, (at, user, passwords) in enumerate(arrivals)]
    heapq.heapify(queue)
    signed_in, waits = {}, 0
    while queue:
        at, n, user, passwords, client = heapq.heappop(queue)
        assert at <= until, f"{user.username} was still waiting at {at - START:.0f} s"
        clock.now = at
        result = sign_in(client, user.email, passwords[0])
        if result == "in":
            signed_in[user.username] = at
        elif result == "wrong":
            heapq.heappush(queue, (at + 5, n, user, passwords[1:], client))  # notices, types again
        elif isinstance(result, tuple):
            waits += 1
            heapq.heappush(queue, (at + result[1], n, user, passwords, client))
        else:
            raise AssertionError(f"{user.username}: {result}")
    return signed_in, waits


def test_an_exam_room_of_300_behind_one_address_all_get_in_within_a_minute(db, clock):
    """300 accounts in one minute from one address, 30 of them mistyping once first: all get in."""
    people = UserFactory.create_batch(300)
    arrivals = [(START + i * 0.1, person, ["mistyped", PASSWORD]) for i, person in enumerate(people[:30])]
    arrivals += [(START + 3 + i * 0.18, person, [PASSWORD]) for i, person in enumerate(people[30:])]
    signed_in, waits = run_room(clock, arrivals, until=START + 60)
    assert len(signed_in) == 300 and waits == 0
    assert sign_in_limits.unforgiven_failures("192.0.2.10") == 0  # every mistype was forgiven


def test_a_password_spray_from_one_address_is_stopped(db, clock):
    """200 wrong passwords across 200 accounts from one address in a minute: the site checks the
    budget's worth and a few more, then asks for ever longer waits."""
    accounts = UserFactory.create_batch(200)
    outcomes = []
    for i, account in enumerate(accounts):
        clock.now = START + i * 0.3
        outcomes.append(sign_in(Client(), account.email, f"Spring2026-{i}"))
    checked = outcomes.count("wrong")
    refused = [o for o in outcomes if isinstance(o, tuple)]
    policy = sign_in_limits.current_policy()
    assert policy.failures <= checked <= policy.failures + 6
    assert len(refused) == 200 - checked and refused[-1][1] >= 10
    # A right password guessed at the end of the spray is not even checked now.
    clock.now += 0.1
    assert isinstance(sign_in(Client(), accounts[0].email, PASSWORD), tuple)


def test_an_address_over_its_budget_is_slowed_not_shut_for_the_right_password(db, clock):
    """After 60 unforgiven failures, a room that knows its passwords still gets in, a few seconds
    apart at first, and each right password shortens the wait."""
    for i, account in enumerate(UserFactory.create_batch(60)):
        clock.now = START + i * 0.5
        sign_in(Client(), account.email, "wrong")
    people = UserFactory.create_batch(20)
    clock.now += 0.1
    first = sign_in(Client(), people[0].email, PASSWORD)
    assert isinstance(first, tuple) and first[1] <= sign_in_limits.current_policy().max_seconds
    arrivals = [(clock.now + i * 0.5, person, [PASSWORD]) for i, person in enumerate(people)]
    signed_in, waits = run_room(clock, arrivals, until=clock.now + 400)
    assert len(signed_in) == 20 and waits > 0
    times = sorted(signed_in.values())
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert max(gaps[-5:]) <= 2 * sign_in_limits.current_policy().slow_seconds  # back to the base pace


def test_the_per_account_limit_stays_whatever_the_address(db, clock, alice):
    for n in range(5):
        assert sign_in(Client(), alice.user.email, "wrong", address=f"198.51.100.{n}") == "wrong"
    assert sign_in(Client(), alice.user.email, PASSWORD, address="203.0.113.9") == "too_many_login_attempts"


def test_one_account_s_right_password_does_not_forgive_another_s_failures(db, clock):
    """A known account signing in between guesses earns the spray nothing."""
    known, *targets = UserFactory.create_batch(11)
    for target in targets:
        sign_in(Client(), target.email, "guess")
    sign_in(Client(), known.email, PASSWORD)
    assert sign_in_limits.unforgiven_failures("192.0.2.10") == 10


def test_ipv6_addresses_are_counted_by_their_64_network():
    address_of = sign_in_limits.address_of
    assert address_of("2001:db8:1:2:aaaa::1") == address_of("2001:db8:1:2::ffff")
    assert address_of("2001:db8:1:3::1") != address_of("2001:db8:1:2::1")


def test_rates_are_read_from_the_environment_and_bad_ones_refused(monkeypatch):
    monkeypatch.setenv("A_RATE", "50/10m")
    assert env_rate("A_RATE", "1/m") == (50, 600)
    monkeypatch.setenv("A_RATE", "fifty a minute")
    with pytest.raises(ImproperlyConfigured, match="A_RATE='fifty a minute' is not a rate"):
        env_rate("A_RATE", "1/m")
