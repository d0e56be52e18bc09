from wagtail import hooks

from .models.reach import ReachKind
from .services import count_request


@hooks.register("on_serve_page", order=100)
def count_page_view(serve):
    """Count successful views only: inside Wagtail's view-restriction check (order 0),
    so password-protected or private pages that are refused are not counted."""

    def inner(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        if getattr(response, "status_code", None) == 200:
            count_request(request, kind=ReachKind.VIEW, object_id=page.pk)
        return response

    return inner


@hooks.register("before_serve_document", order=100)
def count_document_download(document, request):
    # order=100: after Wagtail's collection view-restriction check, which stops refused requests
    count_request(request, kind=ReachKind.DOWNLOAD, object_id=document.pk)
