"""Reading an uploaded text file (GIFT, CSV) whatever Windows saved it as, or saying clearly why not.

Moodle writes UTF-8; Thai offices also save files from Notepad or Excel as UTF-16 ("Unicode") or
as Thai Windows-874 ("ANSI"). Those are read, and the caller can tell the person which one it was.
Binary files (a workbook, a PDF, an image renamed ``.txt``), empty files, files over the size limit
and UTF-8 files cut off in the middle are refused with a sentence that says what to do.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

UTF8 = "UTF-8"
UTF16 = "UTF-16"
WINDOWS_874 = "Windows-874"

_THAI = re.compile("[\u0e00-\u0e7f]")
# Control characters that never appear in a text file (tab, line feed, form feed and carriage return do).
_BINARY = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters of a Thai or English text file (to recognise UTF-16 saved without a byte-order mark).
_PLAUSIBLE = re.compile("[\t\n\r\x20-\x7e\u00a0-\u024f\u0e00-\u0e7f\u2000-\u206f\u20ac\ufeff]")
# Thai letters written in UTF-8: E0 B8 xx or E0 B9 xx.
_UTF8_THAI = re.compile(rb"\xe0[\xb8\xb9][\x80-\xbf]")


class TextFileError(ValueError):
    """An upload that is not a text file this site can read; ``line`` is where the problem is."""

    def __init__(self, message: str, line: int = 1):
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class TextFile:
    text: str
    encoding: str  # UTF8, UTF16 or WINDOWS_874

    @property
    def converted(self) -> bool:
        return self.encoding != UTF8


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the first bytes read as text in one of them (Thai, Latin,
    punctuation and white space), as a file saved as UTF-16 without its byte-order mark does."""
    head = head[: len(head) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        plausible = sum(1 for char in text if _PLAUSIBLE.match(char))
        if text and plausible >= len(text) * 0.95:
            return encoding
    return None


def _not_text() -> TextFileError:
    return TextFileError(
        _(
            "This is not a text file (it may be a workbook, a PDF or a program). Save the file as "
            "text in UTF-8 and upload it again."
        )
    )


def read_text_upload(data: bytes, *, max_bytes: int) -> TextFile:
    """The text of an uploaded file: UTF-8 (with or without BOM), UTF-16 or Thai Windows-874."""
    if not data or not data.strip():
        raise TextFileError(_("The file is empty."))
    if len(data) > max_bytes:
        raise TextFileError(
            _("The file is %(size)s MB; at most %(max)s MB can be uploaded at once. Split it into parts.")
            % {"size": _megabytes(len(data)), "max": _megabytes(max_bytes)}
        )
    encoding = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data[:4096])
        if encoding is None:
            raise _not_text()
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise TextFileError(
                _(
                    "The file is saved as UTF-16 but is damaged or cut off. Save it again as UTF-8 "
                    "(in Notepad: Save as, Encoding: UTF-8) and upload it again."
                )
            ) from None
        return _checked(text.lstrip("\ufeff"), UTF16)
    try:
        return _checked(data.decode("utf-8-sig"), UTF8)
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            raise TextFileError(
                _("The file ends in the middle of a character: it was cut off. Upload the whole file again."),
                line=_line_of(data, error.start),
            ) from None
        first_error = error.start
    # Mostly UTF-8 with a broken byte here and there: not Windows-874, whatever cp874 makes of it.
    high_bytes = sum(1 for byte in data if byte >= 0x80)
    if high_bytes and len(_UTF8_THAI.findall(data)) * 3 >= high_bytes * 0.5:
        raise TextFileError(
            _("The file is UTF-8 but has a damaged character on this line. Fix or re-save it and try again."),
            line=_line_of(data, first_error),
        )
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        raise _not_text() from None
    if not _THAI.search(text):
        raise TextFileError(
            _("The file's encoding is not recognised. Save it as UTF-8 and upload it again."),
            line=_line_of(data, first_error),
        )
    return _checked(text, WINDOWS_874)


def _checked(text: str, encoding: str) -> TextFile:
    match = _BINARY.search(text[:65536])
    if match:
        raise _not_text()
    if not text.strip():
        raise TextFileError(_("The file is empty."))
    return TextFile(text=text.replace("\r\n", "\n").replace("\r", "\n"), encoding=encoding)


def encoding_note(encoding: str) -> str:
    """A sentence for the result page when the file was not UTF-8 (empty when it was)."""
    if encoding == UTF16:
        return _("The file was saved as UTF-16; it was read as such. Moodle itself needs UTF-8.")
    if encoding == WINDOWS_874:
        return _("The file was saved as Thai Windows-874; it was read as such. Moodle itself needs UTF-8.")
    return ""
