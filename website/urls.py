from django.conf import settings
from django.http import HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from website import views
from website.accounts import views as account_views


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return HttpResponseRedirect(static_url("favicon.svg"))


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),
    # Wagtail's document view, hardened (attachment, nosniff, sandbox): website/documents.py
    path(
        "documents/<id:document_id>/<str:document_filename>",
        views.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("zoeken/", views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("favicon.ico", favicon),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
    path("", include("learning.urls")),
    path("", include("outreach.urls")),
    path("", include("podcasts.urls")),
    path("", include("subscriptions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
