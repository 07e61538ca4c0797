"""A small interface for what the core keeps derived from employees' records (the counts of
``competencies.counts``): a keeper registers here at start-up, and every change of a record that
changes who counts where (``Employee.save`` and ``delete``, or a bulk writer wrapping its work in
``employees_changing``) lets it see the people before and after, in one transaction.

It lives here, below the competencies, so that the organisation does not import what it feeds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager

from django.db import transaction

Keeper = Callable[[set[int]], AbstractContextManager[None]]
_keepers: list[Keeper] = []


def employees_keeper_register(keeper: Keeper) -> None:
    """``keeper(ids)`` is entered before the records of ``ids`` change and left after; ids added to
    the set inside the block (new records) count as changed too."""
    if keeper not in _keepers:
        _keepers.append(keeper)


@contextlib.contextmanager
def employees_changing(employee_ids: Iterable[int]) -> Iterator[set[int]]:
    """Wrap a change of these employees' records; add the ids of records created inside to the set."""
    changed = {int(pk) for pk in employee_ids if pk is not None}
    with transaction.atomic(), contextlib.ExitStack() as stack:
        for keeper in _keepers:
            stack.enter_context(keeper(changed))
        yield changed
