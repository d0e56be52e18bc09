from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    """The floor: a Django view with no template and no query."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), path("", include("website.urls"))]
