"""Moodle's competency framework CSV, read and written the way Moodle's admin tool does it.

Pure functions: no database. The format is that of ``admin/tool/lpimportcsv``
(``classes/framework_importer.php`` reads it, ``classes/framework_exporter.php`` writes it): one row
per framework or competency, fourteen columns in this order: Parent ID number, ID number, Short name,
Description, Description format, Scale values, Scale configuration, Rule type, Rule outcome, Rule
config, Cross-referenced competency ID numbers, Exported ID, Is framework, Taxonomy. The one row with
"Is framework" set is the framework (its scale: comma-separated values; its scale configuration: JSON
naming the default and the proficient values; its taxonomy: one term per depth); every other row is
a competency under the competency whose ID number is its parent (none: at the top).

How the tree maps onto this site's frameworks (areas holding competencies):

- a top-level competency with sub-competencies is an **area**, and everything below it is a
  **competency** of that area (one deeper than the second level keeps its Moodle parent, so that an
  export gives the same tree back);
- a top-level competency without sub-competencies is an area assessed as one competency (OCSC's
  six skill areas): the area and its competency share the ID number;
- scale value *n* is level *n*; rules, cross-references and a competency's own scale are kept (this
  site's level policy does not use them) and written back on export.

What Moodle's columns cannot hold (a framework's version, issue date and reference, level
descriptors, names longer than a short name, Thai beside English) travels in an HTML comment at the
end of the description, ``<!-- skills-tracker {...} -->``, invisible in Moodle. It is trusted only
while the visible text is the text written with it: edit the description or the short name in
Moodle and what Moodle shows wins.

Every problem is a ``Problem`` with the file's row (the header is row 1), the column and why; a
file with any problem is refused whole (``FrameworkCsvError``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skills_site.rich_text import TextFormat, plain_text, render_text, sanitise_html
from skills_site.text_files import TextFileError, read_text_upload

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
SHORTNAME_MAX = 100
IDNUMBER_MAX = 100
MAX_PROBLEMS = 200

COLUMNS = (
    "parentidnumber",
    "idnumber",
    "shortname",
    "description",
    "descriptionformat",
    "scalevalues",
    "scaleconfiguration",
    "ruletype",
    "ruleoutcome",
    "ruleconfig",
    "relatedidnumbers",
    "exportid",
    "isframework",
    "taxonomy",
)
# The headers Moodle writes (its English language strings), in its order.
HEADERS = {
    "parentidnumber": "Parent ID number",
    "idnumber": "ID number",
    "shortname": "Short name",
    "description": "Description",
    "descriptionformat": "Description format",
    "scalevalues": "Scale values",
    "scaleconfiguration": "Scale configuration",
    "ruletype": "Rule type (optional)",
    "ruleoutcome": "Rule outcome (optional)",
    "ruleconfig": "Rule config (optional)",
    "relatedidnumbers": "Cross-referenced competency ID numbers",
    "exportid": "Exported ID (optional)",
    "isframework": "Is framework",
    "taxonomy": "Taxonomy",
}
# Other spellings seen in Moodle's own files (its test fixture) and the column keys themselves.
_ALIASES = {
    "crossreferencedcompetencyidnumbers": "relatedidnumbers",
    "exportedid": "exportid",
    "taxonomies": "taxonomy",
}
COLUMN_LABELS = {
    "parentidnumber": gettext_lazy("Parent ID number"),
    "idnumber": gettext_lazy("ID number"),
    "shortname": gettext_lazy("Short name"),
    "description": gettext_lazy("Description"),
    "descriptionformat": gettext_lazy("Description format"),
    "scalevalues": gettext_lazy("Scale values"),
    "scaleconfiguration": gettext_lazy("Scale configuration"),
    "ruletype": gettext_lazy("Rule type"),
    "ruleoutcome": gettext_lazy("Rule outcome"),
    "ruleconfig": gettext_lazy("Rule config"),
    "relatedidnumbers": gettext_lazy("Cross-referenced competency ID numbers"),
    "exportid": gettext_lazy("Exported ID"),
    "isframework": gettext_lazy("Is framework"),
    "taxonomy": gettext_lazy("Taxonomy"),
}

# Moodle's FORMAT_ constants.
FORMAT_CODES = {0: TextFormat.MOODLE, 1: TextFormat.HTML, 2: TextFormat.PLAIN, 4: TextFormat.MARKDOWN}
FORMAT_NUMBERS = {value: key for key, value in FORMAT_CODES.items()}
RULE_ALL = "core_competency\\competency_rule_all"
RULE_POINTS = "core_competency\\competency_rule_points"
RULE_OUTCOMES = {0, 1, 2, 3}  # none, attach evidence, recommend, complete
TAXONOMY_TERMS = {
    "behaviour",
    "competency",
    "concept",
    "domain",
    "indicator",
    "level",
    "outcome",
    "practice",
    "proficiency",
    "skill",
    "value",
}
OUR_TAXONOMIES = "domain,competency"
LEVEL_TEXTS = ("name_th", "name_en", "group_en", "descriptor_th", "descriptor_en")

_THAI = re.compile("[\u0e00-\u0e7f]")
_MLANG = re.compile(r"\{mlang\s+([a-zA-Z_-]+)\}(.*?)\{mlang\}", re.S)
_EXTRA = re.compile(r"\s*<!--\s*skills-tracker\s+(\{.*\})\s*-->\s*$", re.S)
TRUE_WORDS = {"1", "true", "yes", "y"}
FALSE_WORDS = {"", "0", "false", "no", "n"}


@dataclass
class Problem:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": str(self.column), "reason": str(self.reason)}


class FrameworkCsvError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"row {p.row}, {p.column}: {p.reason}" for p in problems))


@dataclass
class MoodleCompetency:
    row: int
    idnumber: str
    shortname: str
    parent: str = ""
    description: str = ""
    description_format: int = 0
    scale_values: str = ""
    scale_configuration: str = ""
    rule_type: str = ""
    rule_outcome: int = 0
    rule_config: str = ""
    related: str = ""
    exportid: str = ""


@dataclass
class MoodleFramework:
    row: int
    idnumber: str
    shortname: str
    description: str = ""
    description_format: int = 1
    scale_values: list[str] = field(default_factory=list)
    scale_configuration: str = ""
    taxonomies: str = ""
    competencies: list[MoodleCompetency] = field(default_factory=list)
    encoding: str = "UTF-8"
    notes: list[Problem] = field(default_factory=list)


# --- Reading -------------------------------------------------------------------------------------


def _normalise_header(text: str) -> str:
    text = text.replace("\ufeff", "").lower().replace("(optional)", "")
    return re.sub(r"[^a-z0-9]", "", text)


def _columns(header: list[str]) -> tuple[dict[str, int] | None, bool]:
    """Column positions by name; Moodle's own order when the names are not known (a Moodle in another
    language writes its headers in that language; Moodle itself reads by position)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _normalise_header(name)
        key = _ALIASES.get(key, key)
        if key in COLUMNS and key not in positions:
            positions[key] = index
    if all(key in positions for key in COLUMNS):
        return positions, False
    if len(header) >= len(COLUMNS) and len(positions) < 3:
        return {key: index for index, key in enumerate(COLUMNS)}, True
    return None, False


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(row, cells) per CSV record; a quoted cell may hold new lines. ``FrameworkCsvError`` when cut off."""
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    records = []
    try:
        for index, cells in enumerate(reader, start=1):
            records.append((index, cells))
            if index > MAX_ROWS + 1:
                raise FrameworkCsvError(
                    [
                        Problem(
                            index,
                            "",
                            _("The file has more than %(max)s rows; import at most that many at once.")
                            % {"max": f"{MAX_ROWS:,}"},
                        )
                    ]
                )
    except csv.Error as error:
        row = len(records) + 1
        raise FrameworkCsvError(
            [
                Problem(
                    row,
                    "",
                    _(
                        "The file cannot be read from here on (%(error)s): a quoted cell is never closed, "
                        "so the "
                        "file was probably cut off. Export it again."
                    )
                    % {"error": error},
                )
            ]
        ) from None
    return records


def _integer(value: str) -> int | None:
    try:
        return int(value.strip() or "0")
    except ValueError:
        return None


def framework_csv_read(data: bytes) -> MoodleFramework:
    """The framework of one Moodle CSV file, checked; ``FrameworkCsvError`` lists every problem."""
    try:
        upload = read_text_upload(data, max_bytes=MAX_BYTES)
    except TextFileError as error:
        raise FrameworkCsvError([Problem(error.line, "", str(error))]) from None
    records = [(row, cells) for row, cells in _records(upload.text) if any(cell.strip() for cell in cells)]
    if not records:
        raise FrameworkCsvError([Problem(1, "", _("The file is empty."))])
    header_row, header = records[0]
    positions, by_position = _columns(header)
    if positions is None:
        missing = [
            str(COLUMN_LABELS[key])
            for key in COLUMNS
            if _normalise_header(HEADERS[key])
            not in {_ALIASES.get(_normalise_header(h), _normalise_header(h)) for h in header}
        ]
        raise FrameworkCsvError(
            [
                Problem(
                    header_row,
                    "",
                    _(
                        "This is not a Moodle competency framework file: the columns %(missing)s are "
                        "missing. Export "
                        "the framework from Moodle (Site administration → Competencies → Export competency "
                        "framework)."
                    )
                    % {"missing": ", ".join(missing)},
                )
            ]
        )
    problems: list[Problem] = []
    notes: list[Problem] = []
    if by_position:
        notes.append(
            Problem(
                header_row,
                "",
                _("The column names are not Moodle's English ones: the columns were read in Moodle's order."),
            )
        )
    if len(records) == 1:
        raise FrameworkCsvError([Problem(header_row, "", _("The file has a header but no rows."))])

    def cell(cells: list[str], key: str) -> str:
        index = positions[key]
        return cells[index] if index < len(cells) else ""

    framework: MoodleFramework | None = None
    competencies: list[MoodleCompetency] = []
    for row, cells in records[1:]:

        def problem(key: str, reason: str, row=row) -> None:
            problems.append(Problem(row, str(COLUMN_LABELS[key]) if key else "", reason))

        if len(cells) < len(header):
            problems.append(
                Problem(
                    row,
                    "",
                    _(
                        "This row has %(cells)s cells where the header has %(columns)s: the file may have "
                        "been "
                        "cut off or edited by hand. Export it again."
                    )
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        flag = cell(cells, "isframework").strip().lower()
        if flag not in TRUE_WORDS | FALSE_WORDS:
            problem("isframework", _("Write 1 for the framework row and leave it empty for competencies."))
            continue
        description_format = _integer(cell(cells, "descriptionformat"))
        if description_format not in FORMAT_CODES:
            problem(
                "descriptionformat",
                _(
                    "“%(value)s” is not a Moodle text format: use 0 (Moodle), 1 (HTML), 2 (plain) or 4 "
                    "(Markdown)."
                )
                % {"value": cell(cells, "descriptionformat")},
            )
            description_format = 1
        idnumber = cell(cells, "idnumber").strip()
        shortname = cell(cells, "shortname").strip()
        if not idnumber:
            problem("idnumber", _("An ID number is required: competencies are matched by it."))
        elif len(idnumber) > IDNUMBER_MAX:
            problem("idnumber", _("An ID number has at most 100 characters."))
        if not shortname:
            problem("shortname", _("A short name is required."))
        if flag in TRUE_WORDS:
            if framework is not None:
                problem(
                    "isframework",
                    _("A second framework row (the first is row %(row)s): import one framework per file.")
                    % {"row": framework.row},
                )
                continue
            framework = MoodleFramework(
                row=row,
                idnumber=idnumber,
                shortname=shortname,
                description=cell(cells, "description"),
                description_format=description_format,
                scale_values=[value.strip() for value in cell(cells, "scalevalues").split(",")],
                scale_configuration=cell(cells, "scaleconfiguration").strip(),
                taxonomies=cell(cells, "taxonomy").strip(),
                encoding=upload.encoding,
                notes=notes,
            )
            _check_framework(framework, problem)
            continue
        outcome = _integer(cell(cells, "ruleoutcome"))
        competency = MoodleCompetency(
            row=row,
            idnumber=idnumber,
            shortname=shortname,
            parent=cell(cells, "parentidnumber").strip(),
            description=cell(cells, "description"),
            description_format=description_format,
            scale_values=cell(cells, "scalevalues").strip(),
            scale_configuration=cell(cells, "scaleconfiguration").strip(),
            rule_type=cell(cells, "ruletype").strip(),
            rule_outcome=outcome or 0,
            rule_config=cell(cells, "ruleconfig").strip(),
            related=cell(cells, "relatedidnumbers").strip(),
            exportid=cell(cells, "exportid").strip(),
        )
        if outcome not in RULE_OUTCOMES:
            problem(
                "ruleoutcome",
                _(
                    "“%(value)s” is not a rule outcome: use 0 (none), 1 (attach evidence), 2 (recommend) or "
                    "3 (complete)."
                )
                % {"value": cell(cells, "ruleoutcome")},
            )
        if competency.rule_type and competency.rule_type not in (RULE_ALL, RULE_POINTS):
            problem(
                "ruletype",
                _("Unknown rule type “%(value)s”: Moodle has %(all)s and %(points)s.")
                % {"value": competency.rule_type, "all": RULE_ALL, "points": RULE_POINTS},
            )
        if competency.rule_config not in ("", "null"):
            try:
                json.loads(competency.rule_config)
            except ValueError:
                problem("ruleconfig", _("The rule config is not valid JSON."))
        if competency.rule_type == RULE_POINTS and competency.rule_config in ("", "null"):
            problem("ruleconfig", _("A points rule needs its configuration (points per sub-competency)."))
        if competency.scale_values:
            _check_scale(
                [v.strip() for v in competency.scale_values.split(",")],
                competency.scale_configuration,
                problem,
            )
        competencies.append(competency)
    if framework is None:
        problems.insert(
            0,
            Problem(
                records[1][0],
                str(COLUMN_LABELS["isframework"]),
                _("No row is marked as the framework (Is framework = 1); Moodle's export always has one."),
            ),
        )
    else:
        framework.competencies = competencies
        _check_tree(framework, problems, notes)
    if problems:
        problems.sort(key=lambda p: p.row)
        raise FrameworkCsvError(problems[:MAX_PROBLEMS])
    return framework


def _check_framework(framework: MoodleFramework, problem) -> None:
    if not any(framework.scale_values):
        problem("scalevalues", _("The framework needs its scale: the values, separated by commas."))
    else:
        _check_scale(framework.scale_values, framework.scale_configuration, problem)
    for term in framework.taxonomies.split(","):
        if term.strip() and term.strip() not in TAXONOMY_TERMS:
            problem(
                "taxonomy",
                _("“%(term)s” is not one of Moodle's taxonomy terms (%(terms)s).")
                % {"term": term.strip(), "terms": ", ".join(sorted(TAXONOMY_TERMS))},
            )


def scale_configuration_items(configuration: str) -> list[dict] | None:
    """The per-value part of a scale configuration (the scale id, different on every site, left out)."""
    try:
        parsed = json.loads(configuration)
    except ValueError:
        return None
    if (
        not isinstance(parsed, list)
        or not parsed
        or not isinstance(parsed[0], dict)
        or "scaleid" not in parsed[0]
    ):
        return None
    items = parsed[1:]
    if not all(isinstance(item, dict) for item in items):
        return None
    return [
        {
            "id": _integer(str(item.get("id", ""))) or 0,
            "scaledefault": int(bool(item.get("scaledefault"))),
            "proficient": int(bool(item.get("proficient"))),
        }
        for item in items
    ]


def _check_scale(values: list[str], configuration: str, problem) -> None:
    if any(not value for value in values):
        problem("scalevalues", _("A scale value is empty (two commas in a row, or one at the end)."))
    items = scale_configuration_items(configuration)
    if items is None:
        problem(
            "scaleconfiguration",
            _(
                "The scale configuration must be Moodle's JSON, such as "
                '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":1}].'
            ),
        )
        return
    if any(not 1 <= item["id"] <= len(values) for item in items):
        problem(
            "scaleconfiguration",
            _("The scale configuration names a value the scale does not have (the scale has %(n)s values).")
            % {"n": len(values)},
        )
    if sum(item["scaledefault"] for item in items) != 1:
        problem(
            "scaleconfiguration", _("The scale configuration must mark exactly one value as the default.")
        )
    if not any(item["proficient"] for item in items):
        problem(
            "scaleconfiguration", _("The scale configuration must mark at least one value as proficient.")
        )


def _check_tree(framework: MoodleFramework, problems: list[Problem], notes: list[Problem]) -> None:
    parent_label = str(COLUMN_LABELS["parentidnumber"])
    by_idnumber: dict[str, MoodleCompetency] = {}
    for competency in framework.competencies:
        if not competency.idnumber:
            continue
        if competency.idnumber in by_idnumber:
            problems.append(
                Problem(
                    competency.row,
                    str(COLUMN_LABELS["idnumber"]),
                    _("ID number %(idnumber)s appears twice (also on row %(row)s).")
                    % {"idnumber": competency.idnumber, "row": by_idnumber[competency.idnumber].row},
                )
            )
            continue
        by_idnumber[competency.idnumber] = competency
    for competency in framework.competencies:
        if competency.parent and competency.parent not in by_idnumber:
            problems.append(
                Problem(
                    competency.row,
                    parent_label,
                    _("The parent %(parent)s is not in the file: no competency has this ID number.")
                    % {"parent": competency.parent},
                )
            )
    reported: set[str] = set()
    for competency in framework.competencies:
        path, node = [competency.idnumber], competency
        while node.parent and node.parent in by_idnumber and node.parent not in path:
            path.append(node.parent)
            node = by_idnumber[node.parent]
        if node.parent and node.parent in path:
            loop = path[path.index(node.parent) :] + [node.parent]
            key = "/".join(sorted(set(loop)))
            if competency.idnumber in loop and key not in reported:
                reported.add(key)
                problems.append(
                    Problem(
                        competency.row,
                        parent_label,
                        _(
                            "The parents form a loop: %(path)s. Each competency needs a parent above it, or "
                            "none."
                        )
                        % {"path": " → ".join(loop)},
                    )
                )
    exportids = {c.exportid for c in framework.competencies if c.exportid}
    for competency in framework.competencies:
        for related in _related_idnumbers(competency.related):
            if related not in by_idnumber:
                notes.append(
                    Problem(
                        competency.row,
                        str(COLUMN_LABELS["relatedidnumbers"]),
                        _(
                            "Cross-reference %(idnumber)s is not in the file; Moodle leaves it out, and so "
                            "does this site."
                        )
                        % {"idnumber": related},
                    )
                )
        if competency.rule_type == RULE_POINTS and competency.rule_config not in ("", "null"):
            try:
                config = json.loads(competency.rule_config)
                ids = {str(item["id"]) for item in config.get("competencies", [])}
            except (ValueError, AttributeError, KeyError, TypeError):
                problems.append(
                    Problem(
                        competency.row,
                        str(COLUMN_LABELS["ruleconfig"]),
                        _(
                            "A points rule config reads "
                            '{"base":{"points":N},"competencies":[{"id":...,"points":...}]}.'
                        ),
                    )
                )
                continue
            unknown = sorted(ids - exportids)
            if unknown:
                problems.append(
                    Problem(
                        competency.row,
                        str(COLUMN_LABELS["ruleconfig"]),
                        _(
                            "The points rule counts competencies by their exported ID, and %(ids)s are not "
                            "in the file."
                        )
                        % {"ids": ", ".join(unknown)},
                    )
                )


def _related_idnumbers(value: str) -> list[str]:
    return [part.replace("%2C", ",") for part in value.split(",") if part.strip()] if value else []


# --- Names, descriptions and what travels in the comment -------------------------------------------


def names_from_text(text: str) -> tuple[str, str]:
    """``(thai, english)`` from a short name: Moodle multi-language text, or one name in either language."""
    text = text.strip()
    found = {lang.lower()[:2]: body.strip() for lang, body in _MLANG.findall(text)}
    if found:
        return found.get("th", ""), found.get("en", "")
    return (text, "") if _THAI.search(text) else ("", text)


def shortname_for(name_th: str, name_en: str) -> tuple[str, bool]:
    """The short name written for these names, and whether it holds both of them in full."""
    if name_th and name_en:
        both = "{mlang th}" + name_th + "{mlang}{mlang en}" + name_en + "{mlang}"
        if len(both) <= SHORTNAME_MAX:
            return both, True
    name = name_en or name_th
    written = name if len(name) <= SHORTNAME_MAX else name[: SHORTNAME_MAX - 1] + "…"
    return written, names_from_text(written) == (name_th, name_en)


def split_extra(description: str) -> tuple[str, dict]:
    """The visible description and this site's extra data (``{}`` when there is none)."""
    match = _EXTRA.search(description or "")
    if not match:
        return description or "", {}
    try:
        extra = json.loads(match.group(1))
    except ValueError:
        return description, {}
    return description[: match.start()], extra if isinstance(extra, dict) else {}


def with_extra(visible: str, extra: dict) -> str:
    if not extra:
        return visible
    data = json.dumps(extra, ensure_ascii=False, sort_keys=True).replace("--", "-\\u002d")
    return f"{visible}<!-- skills-tracker {data} -->"


def _framework_visible(extra: dict) -> str:
    """What Moodle shows of one of this site's frameworks: the reference and the level descriptors."""
    parts = []
    if extra.get("reference"):
        parts.append(f"<p>{escape(extra['reference'])}</p>")
    levels = [
        level for level in extra.get("levels", []) if level.get("descriptor_en") or level.get("descriptor_th")
    ]
    if levels:
        items = "".join(
            f"<li>{escape(level.get('name_en') or level.get('name_th', ''))}: "
            f"{escape(level.get('descriptor_en') or level.get('descriptor_th', ''))}</li>"
            for level in levels
        )
        parts.append(f"<ol>{items}</ol>")
    return "".join(parts)


def scale_value_for(level: dict) -> str:
    """A level's name as a scale value: multi-language when it has Thai; no commas (they separate values)."""
    name_th, name_en = level.get("name_th", ""), level.get("name_en", "")
    text = (
        "{mlang th}" + name_th + "{mlang}{mlang en}" + name_en + "{mlang}"
        if name_th and name_en
        else (name_en or name_th)
    )
    return text.replace(",", "،").strip()


def default_scale_items(count: int) -> list[dict]:
    """For a framework made here: the lowest level is Moodle's default rating, the upper half proficient."""
    proficient_from = math.ceil((count + 1) / 2)
    return [
        {"id": level, "scaledefault": int(level == 1), "proficient": int(level >= proficient_from)}
        for level in range(1, count + 1)
    ]


def _description_in(text: str, text_format: str) -> str:
    return sanitise_html(text) if text_format == TextFormat.HTML else text


# --- Moodle rows to and from this site's framework data ---------------------------------------------


def framework_data(moodle: MoodleFramework) -> dict:
    """This site's framework (the shape of ``fixtures/frameworks/*.json``, with ``moodle`` attributes)."""
    visible, extra = split_extra(moodle.description)
    trusted = (
        bool(extra)
        and visible == _framework_visible(extra)
        and moodle.shortname == shortname_for(extra.get("name_th", ""), extra.get("name_en", ""))[0]
    )
    text_format = FORMAT_CODES[moodle.description_format]
    data: dict = {"code": moodle.idnumber, "moodle": {}, "levels": [], "areas": []}
    if trusted:
        data.update({key: extra.get(key, "") for key in ("name_th", "name_en", "issued", "reference")})
        data["version"] = extra.get("version") or None
    else:
        data["name_th"], data["name_en"] = names_from_text(moodle.shortname)
        data.update(
            {
                "issued": "",
                "reference": plain_text(visible, text_format),
                "version": extra.get("version") or None,
            }
        )
        if visible.strip():
            data["moodle"]["description"] = _description_in(visible, text_format)
            data["moodle"]["description_format"] = text_format
    known = {level.get("level"): level for level in extra.get("levels", [])} if trusted else {}
    for number, value in enumerate(moodle.scale_values, start=1):
        level = known.get(number)
        if level is not None and scale_value_for(level) == value:
            data["levels"].append({"level": number} | {key: level.get(key, "") for key in LEVEL_TEXTS})
        else:
            name_th, name_en = names_from_text(value)
            data["levels"].append(
                {
                    "level": number,
                    "name_th": name_th,
                    "name_en": name_en,
                    "group_en": "",
                    "descriptor_th": "",
                    "descriptor_en": "",
                }
            )
    items = scale_configuration_items(moodle.scale_configuration) or []
    if items != default_scale_items(len(moodle.scale_values)):
        data["moodle"]["scale_configuration"] = items
    if moodle.taxonomies != OUR_TAXONOMIES:
        data["moodle"]["taxonomies"] = moodle.taxonomies
    keep_exportids = any(c.rule_type == RULE_POINTS for c in moodle.competencies)

    by_idnumber = {c.idnumber: c for c in moodle.competencies}
    children: dict[str, list[MoodleCompetency]] = {}
    for competency in moodle.competencies:
        children.setdefault(competency.parent, []).append(competency)

    def top_of(competency: MoodleCompetency) -> MoodleCompetency:
        while competency.parent:
            competency = by_idnumber[competency.parent]
        return competency

    areas: dict[str, dict] = {}
    for top in children.get("", []):
        area = {"code": top.idnumber, "row": top.row, "competencies": []}
        node = _node_data(top, keep_exportids)
        area.update({"name_th": node["name_th"], "name_en": node["name_en"]})
        if top.idnumber in children:
            area["moodle"] = node["moodle"] | (
                {"description": node["description"]} if node["description"] else {}
            )
        else:
            area["moodle"] = {}
            area["competencies"].append(node)
        areas[top.idnumber] = area
        data["areas"].append(area)
    for competency in moodle.competencies:
        if not competency.parent:
            continue
        node = _node_data(competency, keep_exportids)
        top = top_of(competency)
        if competency.parent != top.idnumber:
            node["moodle"]["parent"] = competency.parent
        areas[top.idnumber]["competencies"].append(node)
    return data


def _node_data(competency: MoodleCompetency, keep_exportid: bool) -> dict:
    visible, extra = split_extra(competency.description)
    text_format = FORMAT_CODES[competency.description_format]
    node: dict = {"code": competency.idnumber, "row": competency.row, "moodle": {}}
    if (
        extra
        and competency.shortname == shortname_for(extra.get("name_th", ""), extra.get("name_en", ""))[0]
        and (
            visible
            == _node_visible(extra.get("description", ""), extra.get("description_format", TextFormat.PLAIN))
        )
    ):
        node["name_th"], node["name_en"] = extra.get("name_th", ""), extra.get("name_en", "")
        node["description"] = extra.get("description", "")
        text_format = extra.get("description_format", TextFormat.PLAIN)
    else:
        node["name_th"], node["name_en"] = names_from_text(competency.shortname)
        node["description"] = _description_in(visible, text_format)
    if text_format != TextFormat.PLAIN and node["description"]:
        node["moodle"]["description_format"] = text_format
    attributes = {
        "rule_type": competency.rule_type,
        "rule_outcome": competency.rule_outcome or "",
        "rule_config": "" if competency.rule_config == "null" else competency.rule_config,
        "related": competency.related,
        "scale_values": competency.scale_values,
        "scale_configuration": competency.scale_configuration if competency.scale_values else "",
        "exportid": competency.exportid if keep_exportid else "",
    }
    node["moodle"].update({key: value for key, value in attributes.items() if value})
    return node


def _node_visible(description: str, text_format: str) -> str:
    if not description:
        return ""
    return str(render_text(description, text_format)) if text_format != TextFormat.HTML else description


def moodle_framework(data: dict) -> MoodleFramework:
    """The Moodle rows for one of this site's frameworks (``framework_data`` reads them back the same)."""
    extra = {key: data.get(key) or "" for key in ("name_th", "name_en", "issued", "reference", "version")}
    extra["levels"] = [
        {"level": level["level"]} | {key: level.get(key, "") for key in LEVEL_TEXTS}
        for level in data["levels"]
    ]
    moodle_attrs = data.get("moodle") or {}
    shortname, _full = shortname_for(data.get("name_th", ""), data.get("name_en", ""))
    if moodle_attrs.get("description"):
        visible = moodle_attrs["description"]
        if (moodle_attrs.get("description_format") or TextFormat.HTML) != TextFormat.HTML:
            visible = str(render_text(visible, moodle_attrs["description_format"]))
        extra["reference"] = ""  # the visible description is the reference
    else:
        visible = _framework_visible(extra)
    if visible != _framework_visible(extra):
        extra = {key: value for key, value in extra.items() if key in ("version", "issued", "levels")} | {
            "name_th": data.get("name_th", ""),
            "name_en": data.get("name_en", ""),
        }
    items = moodle_attrs.get("scale_configuration") or default_scale_items(len(data["levels"]))
    framework = MoodleFramework(
        row=2,
        idnumber=data["code"],
        shortname=shortname,
        description=with_extra(visible, extra),
        description_format=1,
        scale_values=[scale_value_for(level) for level in data["levels"]],
        scale_configuration=json.dumps([{"scaleid": "0"}, *items], separators=(",", ":")),
        taxonomies=moodle_attrs.get("taxonomies", OUR_TAXONOMIES),
    )
    for area in data["areas"]:
        competencies = area.get("competencies", [])
        single = len(competencies) == 1 and competencies[0]["code"] == area["code"]
        if not single:
            area_node = {
                "code": area["code"],
                "name_th": area.get("name_th", ""),
                "name_en": area.get("name_en", ""),
                "description": (area.get("moodle") or {}).get("description", ""),
                "moodle": area.get("moodle") or {},
            }
            framework.competencies.append(_moodle_node(area_node, parent=""))
        for competency in competencies:
            parent = "" if single else (competency.get("moodle") or {}).get("parent") or area["code"]
            framework.competencies.append(_moodle_node(competency, parent=parent))
    return framework


def _moodle_node(node: dict, *, parent: str) -> MoodleCompetency:
    attrs = node.get("moodle") or {}
    description = node.get("description", "")
    text_format = attrs.get("description_format") or TextFormat.PLAIN
    shortname, full = shortname_for(node.get("name_th", ""), node.get("name_en", ""))
    if full:
        written, number = description, FORMAT_NUMBERS[text_format] if description else 1
    else:
        extra = {
            "name_th": node.get("name_th", ""),
            "name_en": node.get("name_en", ""),
            "description": description,
            "description_format": text_format,
        }
        written, number = with_extra(_node_visible(description, text_format), extra), 1
    return MoodleCompetency(
        row=0,
        idnumber=node["code"],
        shortname=shortname,
        parent=parent,
        description=written,
        description_format=number,
        scale_values=attrs.get("scale_values", ""),
        scale_configuration=attrs.get("scale_configuration", ""),
        rule_type=attrs.get("rule_type", ""),
        rule_outcome=int(attrs.get("rule_outcome") or 0),
        rule_config=attrs.get("rule_config", ""),
        related=attrs.get("related", ""),
        exportid=str(attrs.get("exportid") or ""),
    )


def framework_csv_write(framework: MoodleFramework) -> bytes:
    """The CSV Moodle's import tool reads (UTF-8 with a byte-order mark, which Moodle skips and Excel
    needs to show Thai)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([HEADERS[key] for key in COLUMNS])
    writer.writerow(
        [
            "",
            framework.idnumber,
            framework.shortname,
            framework.description,
            framework.description_format,
            ",".join(framework.scale_values),
            framework.scale_configuration,
            "",
            "",
            "",
            "",
            "",
            1,
            framework.taxonomies,
        ]
    )
    for c in framework.competencies:
        writer.writerow(
            [
                c.parent,
                c.idnumber,
                c.shortname,
                c.description,
                c.description_format,
                c.scale_values,
                c.scale_configuration,
                c.rule_type,
                c.rule_outcome,
                c.rule_config or "null",
                c.related,
                c.exportid,
                "",
                "",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
