from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem

from subscriptions import admin_views, demo, selectors, services
from subscriptions.models import Mailing, MailingKind, MailingStatus
from subscriptions.services import personal_data
from website import hooks as cter

hooks.register(cter.DEMO_CONTENT, demo.seed, order=45)
hooks.register(cter.REACH_SOURCES, selectors.reach_figures)
hooks.register(cter.EMAIL_DELIVERED, services.count_delivery)
hooks.register(cter.PERSONAL_DATA, personal_data.source, order=50)


@hooks.register(cter.SCHEDULED_JOBS, order=30)
def scheduled_mailings(*, now):
    counts = services.run_scheduled(now=now)
    return (
        f"{counts['mailed']} announcement(s) and {counts['digests']} monthly overview(s) "
        f"queued, {counts['expired']} unconfirmed subscription(s) and {counts['claims']} "
        "old claim(s) removed."
    )


@hooks.register(cter.SITE_LINKS)
def subscribe_link():
    return cter.SiteLink(
        name="subscribe",
        label=_("Keep me informed"),
        url=reverse("subscriptions:subscribe"),
        description=_(
            "Get an e-mail when something new appears for your target group or theme, "
            "right away or once a month."
        ),
    )


admin_urls = (
    [
        path("", admin_views.index, name="index"),
        path("<id:mailing_id>/", admin_views.decide, name="decide"),
    ],
    "subscriptions_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("op-de-hoogte/", include(admin_urls))]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_decide(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return EditorMenuItem(
        _("Keep me informed"), reverse("subscriptions_admin:index"), icon_name="mail", order=270
    )


def _awaiting(page_id):
    return (
        Mailing.objects.filter(
            kind=MailingKind.DIRECT, page_id=page_id, status=MailingStatus.AWAITING
        )
        .values_list("pk", flat=True)
        .first()
    )


@hooks.register("after_publish_page")
def ask_about_announcing(request, page):
    """Publishing sent nothing; an editor who may announce it sees the e-mail and the
    number of recipients next and decides."""
    if not admin_views.can_decide(request.user):
        return None
    mailing_id = _awaiting(page.pk)
    if mailing_id is None:
        return None
    messages.success(
        request,
        _("“%(title)s” has been published. Do you want to tell subscribers about it?")
        % {"title": page.get_admin_display_title()},
    )
    return redirect("subscriptions_admin:decide", mailing_id=mailing_id)


class AnnounceMenuItem(ActionMenuItem):
    label = _("Tell subscribers…")
    name = "action-announce"
    icon_name = "mail"

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and page is not None
            and admin_views.can_decide(context["request"].user)
            and _awaiting(page.pk) is not None
        )

    def get_url(self, parent_context):
        return reverse("subscriptions_admin:decide", args=[_awaiting(parent_context["page"].pk)])


@hooks.register("register_page_action_menu_item")
def register_announce_menu_item():
    return AnnounceMenuItem(order=60)
