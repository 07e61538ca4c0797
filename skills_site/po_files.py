"""Reads gettext .po files: enough of the format for Wagtail's catalogues and the project's own."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PoEntry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        """What compilemessages keeps: not fuzzy and every form non-empty."""
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy


def read_po(path: Path) -> list[PoEntry]:
    """The entries of a .po file, without its header and obsolete (``#~``) entries."""
    entries: list[PoEntry] = []
    current: dict = {}
    last: tuple[str, int | None] | None = None

    def finish():
        nonlocal current
        if "msgid" in current and current["msgid"]:
            strs = current.get("msgstr", {})
            entries.append(
                PoEntry(
                    msgid=current["msgid"],
                    msgctxt=current.get("msgctxt"),
                    msgid_plural=current.get("msgid_plural"),
                    msgstr=[strs[i] for i in sorted(strs)],
                    fuzzy=current.get("fuzzy", False),
                    references=current.get("references", []),
                )
            )
        current = {}

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            last = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in current:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                current["fuzzy"] = True
            elif line.startswith("#:"):
                current.setdefault("references", []).extend(line[2:].split())
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            name, index = last
            if name == "msgstr":
                current["msgstr"][index] += text
            else:
                current[name] += text
            continue
        keyword, _, rest = line.partition(" ")
        text = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and keyword in current and "msgstr" in current:
            finish()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.setdefault("msgstr", {})[index] = text
            last = ("msgstr", index)
        else:
            current[keyword] = text
            last = (keyword, None)
    finish()
    return entries
