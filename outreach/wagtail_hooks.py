from wagtail import hooks

from .models.reach import ReachKind
from .services import count_request


@hooks.register("before_serve_page")
def count_page_view(page, request, serve_args, serve_kwargs):
    count_request(request, kind=ReachKind.VIEW, object_id=page.pk)


@hooks.register("before_serve_document")
def count_document_download(document, request):
    count_request(request, kind=ReachKind.DOWNLOAD, object_id=document.pk)
