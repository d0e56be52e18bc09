"""Editors' screens: the mailings (awaiting a decision first) with their reach, the
subscriber counts, and the decision about one mailing with a preview of the e-mail and
the number of recipients. Needs ``subscriptions.change_mailing`` (group Communicatie)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from subscriptions import selectors, services
from subscriptions.models import Decision, Mailing, MailingKind, MailingStatus

PERMISSION = "subscriptions.change_mailing"


def can_decide(user) -> bool:
    return user.has_perm(PERMISSION)


def _check(request):
    if not can_decide(request.user):
        raise PermissionDenied


def index(request):
    _check(request)
    return render(
        request,
        "subscriptions/admin/index.html",
        {
            "mailings": selectors.mailing_list(),
            "counts": selectors.subscriber_counts(),
            "header_title": _("Keep me informed"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def decide(request, mailing_id: int):
    """GET: the e-mail as subscribers would get it and how many would get it; POST:
    send it, put it only in the monthly overview, or do not announce it."""
    _check(request)
    mailing = get_object_or_404(Mailing, pk=mailing_id, kind=MailingKind.DIRECT)
    error = ""
    if request.method == "POST":
        try:
            mailing = services.decide(
                mailing_id=mailing.pk,
                decision=request.POST.get("decision", "")[:20],
                user=request.user,
                now=timezone.now(),
            )
        except services.SubscriptionError as exc:
            error = exc.message
        else:
            messages.success(request, MESSAGES[mailing.decision])
            return redirect("subscriptions_admin:index")
    items = list(mailing.items.all())
    if not items:
        raise PermissionDenied
    context = services.direct_context(mailing, items, token=services.TOKEN_PLACEHOLDER)
    subject, text, _html = services.render_direct(mailing, items, token=services.TOKEN_PLACEHOLDER)
    return render(
        request,
        "subscriptions/admin/decide.html",
        {
            "mailing": mailing,
            "item": items[0],
            "subject": subject,
            "text": text,
            "preview": context,
            "counts": services.recipient_counts(items[0]),
            "awaiting": mailing.status == MailingStatus.AWAITING,
            "decisions": Decision,
            "error": error,
            "header_title": _("Announce: %(title)s") % {"title": items[0].title},
        },
        status=400 if error else 200,
    )


MESSAGES = {
    Decision.NOTIFY: _("The e-mails are on their way."),
    Decision.DIGEST: _("The item will be in the next monthly overview."),
    Decision.SKIP: _("The item will not be announced."),
}
