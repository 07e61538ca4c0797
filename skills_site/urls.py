from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from api.views import api

from .admin_views import SiteHistoryView
from .views import healthz

# Single sign-on: allauth's OpenID Connect views, with the ID token's signature always checked
# (skills_site/sso.py); these come before allauth's own URLs, which they answer for.
sso_urls = []
if settings.SSO is not None:  # allauth's social accounts are installed only then
    from . import sso

    sso_urls = [
        path("accounts/oidc/<str:provider_id>/login/", sso.sso_login, name="sso_login"),
        path("accounts/oidc/<str:provider_id>/login/callback/", sso.sso_callback, name="sso_callback"),
    ]

urlpatterns = sso_urls + [
    path("healthz", healthz, name="healthz"),
    # The admin signs in through the site's own sign-in page, with its second factor.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    # Wagtail's site history, open to HR only (these come first, so they answer its URLs).
    path("admin/reports/site-history/", require_admin_access(SiteHistoryView.as_view()), name="site_history"),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
        name="site_history_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("me/", include("profiles.urls")),
    path("learning/", include("courses.urls")),
    path("assessments/", include("assessments.urls")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
