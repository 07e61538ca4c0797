"""A small interface for what the core keeps derived from employees' records (the counts of
``competencies.counts``): a keeper registers here at start-up, and every change of a record that
changes who counts where (``Employee.save`` and ``delete``, or a bulk writer wrapping its work in
``employees_changing``) lets it see the people before and after, in one transaction.

It lives here, below the competencies, so that the organisation does not import what it feeds.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager

from django.db import transaction

Keeper = Callable[[set[int]], AbstractContextManager[None]]
_keepers: list[Keeper] = []
_recounts: list[Callable[[], None]] = []
_in_bulk: contextvars.ContextVar[bool] = contextvars.ContextVar("employees_in_bulk", default=False)


def employees_keeper_register(keeper: Keeper, *, recount: Callable[[], None]) -> None:
    """``keeper(ids)`` is entered before the records of ``ids`` change and left after; ids added to
    the set inside the block (new records) count as changed too. ``recount()`` rebuilds what the
    keeper keeps from scratch, after a change in bulk."""
    if keeper not in _keepers:
        _keepers.append(keeper)
        _recounts.append(recount)


def employees_in_bulk() -> bool:
    """Inside ``employees_changing_in_bulk``: keepers leave each change alone and recount at the end."""
    return _in_bulk.get()


@contextlib.contextmanager
def employees_changing(employee_ids: Iterable[int]) -> Iterator[set[int]]:
    """Wrap a change of these employees' records; add the ids of records created inside to the set."""
    changed = {int(pk) for pk in employee_ids if pk is not None}
    with transaction.atomic(), contextlib.ExitStack() as stack:
        if not _in_bulk.get():
            for keeper in _keepers:
                stack.enter_context(keeper(changed))
        yield changed


@contextlib.contextmanager
def employees_changing_in_bulk() -> Iterator[None]:
    """Many records change at once (an HR import): following each would cost more than recounting,
    so the keepers recount once at the end, in the same transaction, and only if the block succeeds."""
    if _in_bulk.get():
        yield
        return
    with transaction.atomic():
        token = _in_bulk.set(True)
        try:
            yield
        finally:
            _in_bulk.reset(token)
        for recount in _recounts:
            recount()
