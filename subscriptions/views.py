"""Public pages of "Houd mij op de hoogte" (``/op-de-hoogte/``).

Personal links carry the subscription's token. A GET never changes anything (mail
scanners and link previews open links): confirming and unsubscribing need the button,
a POST. The unsubscribe URL also takes the mail client's one-click POST (RFC 8058),
without a CSRF token: the token in the URL is the proof."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from subscriptions import selectors, services
from subscriptions.forms import PreferencesForm, SubscribeForm
from subscriptions.models import CONFIRM_WITHIN
from subscriptions.services.common import normalise_email
from website import ratelimit, reference
from website.counting import client_address, countable


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _crumbs(*extra):
    return [(reverse("subscriptions:subscribe"), _("Keep me informed")), *extra]


def _message(request, *, title, text, status=200, link=None):
    return _private(
        render(
            request,
            "pages/subscriptions/message.html",
            {"title": title, "text": text, "link": link, "crumbs": _crumbs(("", title))},
            status=status,
        )
    )


def _choices():
    return {"groups": reference.target_groups(), "themes": selectors.themes_in_use()}


def _client(request) -> str:
    return client_address(request, "CLIENT_IP_HEADER", "LEARNING_CLIENT_IP_HEADER") or "unknown"


def _initial(request, choices) -> dict:
    """Preselect a target group or theme from a landing page's link (?doelgroep=, ?thema=)."""
    group = request.GET.get("doelgroep", "")[:100]
    theme = request.GET.get("thema", "")[:100]
    return {
        "target_groups": [g.pk for g in choices["groups"] if g.slug == group],
        "themes": [t.pk for t in choices["themes"] if t.slug == theme],
    }


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    choices = _choices()
    if request.method == "POST":
        form = SubscribeForm(request.POST, **choices)
    else:
        form = SubscribeForm(initial=_initial(request, choices), **choices)
    status = 200
    limited = ratelimit.Decision(True)
    if request.method == "POST":  # every attempt counts for the client, valid or not
        limited = ratelimit.check_request(request, "subscribe")
    if not limited:
        status = ratelimit.refuse(form, limited, field="email")
    elif request.method == "POST" and form.is_bot():
        return redirect("subscriptions:sent")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        limited = ratelimit.check("subscribe", email=normalise_email(data["email"]))
        if limited:
            try:
                services.subscribe(
                    email=data["email"],
                    frequency=data["frequency"],
                    target_group_ids=[g.pk for g in data["target_groups"]],
                    theme_ids=[t.pk for t in data["themes"]],
                    now=timezone.now(),
                )
            except services.SubscriptionError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                return redirect("subscriptions:sent")
        else:
            status = ratelimit.refuse(form, limited, field="email")
    elif request.method == "POST":
        status = 400
    response = render(
        request,
        "pages/subscriptions/subscribe.html",
        {"form": form, "crumbs": _crumbs(), "days": CONFIRM_WITHIN.days},
        status=status,
    )
    return _private(ratelimit.retry_after(response, limited))


@require_safe
def sent(request):
    return _message(
        request,
        title=_("Check your e-mail"),
        text=_(
            "We have sent an e-mail to the address you gave. Confirm your subscription with "
            "the link in it within %(days)s days; until then we send you nothing else. Were "
            "you already subscribed? Then the e-mail has your personal link to change or end "
            "your subscription. No e-mail? Check your spam folder."
        )
        % {"days": CONFIRM_WITHIN.days},
    )


def _link_gone(request):
    return _message(
        request,
        title=_("This link no longer works"),
        text=_(
            "The link has expired or the subscription has ended. You can subscribe again; "
            "it takes a minute."
        ),
        status=410,
        link=(reverse("subscriptions:subscribe"), _("Subscribe again")),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, subscription_token: str):
    token = subscription_token
    now = timezone.now()
    if request.method == "POST":
        sub = services.confirm(token=token, now=now)
        if sub is None:
            return _link_gone(request)
        return _message(
            request,
            title=_("Your subscription is confirmed"),
            text=_(
                "Thank you. From now on we e-mail you when something new appears for the "
                "target groups and themes you chose. Every e-mail has a link to change your "
                "choice or to unsubscribe."
            ),
            link=(reverse("subscriptions:manage", args=[token]), _("Change my choice")),
        )
    if services.pending_by_token(token, now=now) is None:
        sub = selectors.subscription_by_token(token)
        if sub is not None and sub.confirmed_at:
            return redirect("subscriptions:manage", subscription_token=token)
        return _link_gone(request)
    return _private(
        render(
            request,
            "pages/subscriptions/confirm.html",
            {"crumbs": _crumbs(("", _("Confirm your subscription")))},
        )
    )


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, subscription_token: str):
    token = subscription_token
    sub = selectors.subscription_by_token(token)
    if sub is None:
        return _link_gone(request)
    if sub.confirmed_at is None:
        return redirect("subscriptions:confirm", subscription_token=token)
    choices = _choices()
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_preferences(
                    token=token,
                    frequency=data["frequency"],
                    target_group_ids=[g.pk for g in data["target_groups"]],
                    theme_ids=[t.pk for t in data["themes"]],
                    now=timezone.now(),
                )
            except services.SubscriptionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your choice has been saved."))
                return redirect("subscriptions:manage", subscription_token=token)
        status = 400
    else:
        form = PreferencesForm(
            initial={
                "target_groups": [g.pk for g in sub.target_groups.all()],
                "themes": [link.tag_id for link in sub.theme_links.all()],
                "frequency": sub.frequency,
            },
            **choices,
        )
    return _private(
        render(
            request,
            "pages/subscriptions/manage.html",
            {
                "form": form,
                "token": token,
                "crumbs": _crumbs(("", _("Your subscription"))),
            },
            status=status,
        )
    )


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs with no cookie; the token suffices
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, subscription_token: str):
    token = subscription_token
    if request.method == "POST":
        services.unsubscribe(token=token, now=timezone.now())
        # The same answer whether or not there was still a subscription (idempotent).
        return _message(
            request,
            title=_("You have been unsubscribed"),
            text=_(
                "We no longer e-mail you and have deleted your e-mail address and your "
                "choices. Changed your mind? You can subscribe again at any time."
            ),
            link=(reverse("subscriptions:subscribe"), _("Subscribe again")),
        )
    if selectors.subscription_by_token(token) is None:
        return _link_gone(request)
    return _private(
        render(
            request,
            "pages/subscriptions/unsubscribe.html",
            {"crumbs": _crumbs(("", _("Unsubscribe")))},
        )
    )


@require_safe
def click(request, mailing_id: int, position: int):
    """A link in a mailing: count it (once per visitor per day, no person) and go on."""
    item, target = services.click_target(mailing_id=mailing_id, position=position)
    if item is None:
        raise Http404
    if countable(request):
        services.count_click(
            item=item,
            ip=_client(request),
            user_agent=request.headers.get("User-Agent", ""),
            now=timezone.now(),
        )
    if not target:
        return _message(
            request,
            title=_("This item is no longer available"),
            text=_("It has been taken offline since we e-mailed you about it."),
            status=410,
            link=("/producten/", _("See everything that is available")),
        )
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "private, no-store"
    return response
