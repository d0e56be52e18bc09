from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from website.pagecache import shared_for_anonymous

from .selectors import theme_listing


@shared_for_anonymous  # public and read-only: anonymous visitors share one copy
def theme(request, slug):
    context = theme_listing(slug, page_number=request.GET.get("pagina"))
    if context is None:
        raise Http404
    context["crumbs"] = [
        (
            reverse("outreach:theme", args=[slug]),
            _("Theme: %(name)s") % {"name": context["tag"].name},
        )
    ]
    return render(request, "pages/outreach/theme.html", context)
