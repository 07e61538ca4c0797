"""Checking the proof attached to a claim by what the file is, not by what it is called.

``filetype`` (a small, well-kept library of file signatures, already installed with Wagtail) reads the
first bytes; a PDF must also end as a PDF ends (a cut-off upload does not), and an image must open in
Pillow. Anything else is refused with a sentence naming what the file really is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
CONTENT_TYPES = {extension: mime for mime, extension in ALLOWED.items()}
_PROGRAMS = {"exe", "elf", "msi", "dmg", "apk", "deb", "rpm", "swf", "dex", "wasm"}


class ClaimFileError(ValueError):
    """A proof that cannot be kept; the message says why, for the employee."""


@dataclass(frozen=True)
class CheckedFile:
    file_type: str  # pdf, png or jpg
    size: int


def max_bytes() -> int:
    return settings.PRIOR_LEARNING_MAX_FILE_MB * 1024 * 1024


def claim_file_check(data: bytes) -> CheckedFile:
    """What the proof really is (PDF, PNG or JPEG), or ``ClaimFileError``."""
    if not data:
        raise ClaimFileError(_("The file is empty."))
    if len(data) > max_bytes():
        raise ClaimFileError(
            _("The file is larger than %(size)s MB: scan it at a lower resolution or save a smaller PDF.")
            % {"size": settings.PRIOR_LEARNING_MAX_FILE_MB}
        )
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ALLOWED:
        if data[:2] == b"MZ" or (kind is not None and kind.extension in _PROGRAMS):
            what = _("a program")
        elif kind is not None:
            what = _("a .%(extension)s file") % {"extension": kind.extension}
        else:
            what = _("not a file type this site knows")
        raise ClaimFileError(
            _("This file is %(what)s, whatever its name says: attach a PDF or a picture (PNG or JPEG).")
            % {"what": what}
        )
    extension = ALLOWED[kind.mime]
    if extension == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ClaimFileError(
                _("The PDF is incomplete (it does not end as a PDF does): save it again and retry.")
            )
    else:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ClaimFileError(_("The picture is damaged or incomplete: take or save it again.")) from None
    return CheckedFile(file_type=extension, size=len(data))
