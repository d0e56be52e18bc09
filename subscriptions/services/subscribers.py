"""Subscribing with double opt-in, changing preferences and unsubscribing.

No enumeration: ``subscribe`` behaves the same to the caller for a new, a pending and a
confirmed address (the view always answers "check your e-mail"); only the e-mail that
goes to the address differs: a confirmation link, or, for an address that is already
subscribed, its personal link to change or end the subscription (preferences typed into
the public form never overwrite a confirmed subscription: whoever owns the address
changes them through that link)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from subscriptions.models import (
    CONFIRM_WITHIN,
    Frequency,
    Subscription,
    SubscriptionTheme,
    new_token,
)
from subscriptions.services.common import (
    TAG_PREFIX,
    SubscriptionError,
    confirm_url,
    manage_url,
    normalise_email,
    unsubscribe_headers,
    unsubscribe_url,
)
from website import mail
from website.models import OutboxEmail


def _check_choice(*, frequency: str, target_group_ids: Iterable[int], theme_ids: Iterable[int]):
    if frequency not in Frequency.values:
        raise SubscriptionError(_("Choose how often you want to hear from us."))
    if not list(target_group_ids) and not list(theme_ids):
        raise SubscriptionError(_("Choose at least one target group or theme."))


def _set_preferences(sub: Subscription, *, frequency, target_group_ids, theme_ids, now) -> None:
    sub.frequency = frequency
    sub.updated_at = now
    sub.save(update_fields=["frequency", "updated_at"])
    sub.target_groups.set(sorted(set(target_group_ids)))
    SubscriptionTheme.objects.filter(subscription=sub).exclude(tag_id__in=theme_ids).delete()
    have = set(SubscriptionTheme.objects.filter(subscription=sub).values_list("tag_id", flat=True))
    SubscriptionTheme.objects.bulk_create(
        [SubscriptionTheme(subscription=sub, tag_id=t) for t in sorted(set(theme_ids) - have)]
    )


def _mail(sub: Subscription, *, template: str, subject) -> None:
    context = {
        "confirm_url": confirm_url(sub.token),
        "manage_url": manage_url(sub.token),
        "unsubscribe_url": unsubscribe_url(sub.token),
        "days": CONFIRM_WITHIN.days,
    }
    text, html = mail.render(f"subscriptions/email/{template}", context)
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
    mail.store_and_send(
        to=sub.email,
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(sub.token),
        tag=TAG_PREFIX + template,
    )


def subscribe(
    *,
    email: str,
    frequency: str,
    target_group_ids: Iterable[int],
    theme_ids: Iterable[int],
    now: dt.datetime,
) -> str:
    """Start a subscription (or answer an existing one); returns what happened ("new",
    "pending" or "known") for tests and logs only: the caller shows the same page."""
    target_group_ids, theme_ids = list(target_group_ids), list(theme_ids)
    _check_choice(frequency=frequency, target_group_ids=target_group_ids, theme_ids=theme_ids)
    email = normalise_email(email)
    with transaction.atomic():
        sub = Subscription.objects.select_for_update(of=("self",)).filter(email=email).first()
        outcome = "pending"
        if sub is None:
            try:
                with transaction.atomic():
                    sub = Subscription.objects.create(
                        email=email, frequency=frequency, created_at=now, updated_at=now
                    )
                outcome = "new"
            except IntegrityError:  # the same address a moment ago, in another request
                sub = Subscription.objects.select_for_update(of=("self",)).get(email=email)
        if sub.confirmed_at is not None:
            _mail(
                sub,
                template="known",
                subject=_("Your subscription to news from Samen Veilig CTER"),
            )
            return "known"
        if sub.created_at < now - CONFIRM_WITHIN:  # expired, not yet cleaned up: start anew
            sub.created_at, sub.token = now, new_token()
            sub.save(update_fields=["created_at", "token"])
        _set_preferences(
            sub,
            frequency=frequency,
            target_group_ids=target_group_ids,
            theme_ids=theme_ids,
            now=now,
        )
        _mail(
            sub,
            template="confirm",
            subject=_("Please confirm: keep me informed"),
        )
        return outcome


def pending_by_token(token: str, *, now: dt.datetime) -> Subscription | None:
    """An unconfirmed subscription whose confirmation link still works."""
    return Subscription.objects.filter(
        token=token, confirmed_at__isnull=True, created_at__gte=now - CONFIRM_WITHIN
    ).first()


def confirm(*, token: str, now: dt.datetime) -> Subscription | None:
    """Confirm the address (a conditional UPDATE: two clicks at once confirm once);
    None when the link is unknown or expired. Confirming twice is harmless."""
    Subscription.objects.filter(
        token=token, confirmed_at__isnull=True, created_at__gte=now - CONFIRM_WITHIN
    ).update(confirmed_at=now, updated_at=now)
    return Subscription.objects.filter(token=token, confirmed_at__isnull=False).first()


def update_preferences(
    *,
    token: str,
    frequency: str,
    target_group_ids: Iterable[int],
    theme_ids: Iterable[int],
    now: dt.datetime,
) -> Subscription:
    target_group_ids, theme_ids = list(target_group_ids), list(theme_ids)
    _check_choice(frequency=frequency, target_group_ids=target_group_ids, theme_ids=theme_ids)
    with transaction.atomic():
        sub = (
            Subscription.objects.select_for_update(of=("self",))
            .filter(token=token, confirmed_at__isnull=False)
            .first()
        )
        if sub is None:
            raise SubscriptionError(_("This link no longer works. Subscribe again."))
        _set_preferences(
            sub,
            frequency=frequency,
            target_group_ids=target_group_ids,
            theme_ids=theme_ids,
            now=now,
        )
        return sub


def forget_addresses(emails: list[str]) -> int:
    """Delete the subscriptions of these addresses with everything linked to them (their
    claims on mailings, their themes) and the e-mails this app stored for them; the
    mailings' counts stay. Returns the number of subscriptions deleted."""
    # Sent ones name the address; pending ones carry links that no longer work.
    OutboxEmail.objects.filter(to__in=emails, tag__startswith=TAG_PREFIX).delete()
    deleted = Subscription.objects.filter(email__in=emails).delete()[1]
    return deleted.get(Subscription._meta.label, 0)


def unsubscribe(*, token: str, now: dt.datetime) -> bool:
    """Remove the subscription behind ``token`` (one-click, RFC 8058, or the page's
    button); False when there was none (already removed, or never confirmed and expired)."""
    email = Subscription.objects.filter(token=token).values_list("email", flat=True).first()
    if email is None:
        return False
    with transaction.atomic():
        return forget_addresses([email]) > 0


def expire_unconfirmed(*, now: dt.datetime) -> int:
    """Unconfirmed subscriptions older than ``CONFIRM_WITHIN`` go, with their e-mails
    (run by the scheduled jobs). The rows are locked first: one confirmed meanwhile stays."""
    with transaction.atomic():
        emails = list(
            Subscription.objects.select_for_update(of=("self",))
            .filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN)
            .values_list("email", flat=True)
        )
        return forget_addresses(emails) if emails else 0
