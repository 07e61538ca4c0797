"""The Thai font shipped with the project, for charts and PDF files on any machine."""

from functools import cache
from pathlib import Path

from django.conf import settings

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
THAI_FONT_REGULAR = FONT_DIR / "Laksaman.ttf"
THAI_FONT_BOLD = FONT_DIR / "Laksaman-Bold.ttf"
THAI_FONT_FAMILY = "Laksaman"


@cache
def matplotlib_thai_font() -> str:
    """Register the bundled font with matplotlib once; returns the family name to use."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(THAI_FONT_REGULAR))
    font_manager.fontManager.addfont(str(THAI_FONT_BOLD))
    return THAI_FONT_FAMILY
