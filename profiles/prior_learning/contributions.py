"""What the courses app offers the outside-completion import: which of our courses an outside record
names. Registered in ``CoursesConfig.ready`` (profiles imports no app that feeds it); without it,
only HR's outside-course mappings are used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class CourseMatch:
    """One of our courses, and what its completion evidences: ``[(competency id, level)]``."""

    label: str
    levels: list[tuple[int, int]] = field(default_factory=list)


# keys (course codes and titles, folded by ``match_key``) -> {key: CourseMatch}
_course_lookup: Callable[[set[str]], dict[str, CourseMatch]] | None = None


def match_key(text: str) -> str:
    """Letter case and runs of spaces do not matter when a course code or title is matched."""
    return " ".join((text or "").split()).casefold()


def register(*, course_lookup: Callable[[set[str]], dict[str, CourseMatch]]) -> None:
    global _course_lookup
    _course_lookup = course_lookup


def our_courses(keys: set[str]) -> dict[str, CourseMatch]:
    if not keys or _course_lookup is None:
        return {}
    return _course_lookup(keys)
