"""Names kept in Thai and English, shown in the reader's language."""

from __future__ import annotations

from django.utils import translation


class BilingualNameMixin:
    """Models with ``name_th`` and ``name_en`` show the name in the reader's language."""

    @property
    def name(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_th or self.name_en
