from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .page_cache import install_write_tracking


class SkillsSiteConfig(AppConfig):
    name = "skills_site"
    verbose_name = _("Site")

    def ready(self):
        install_write_tracking()
