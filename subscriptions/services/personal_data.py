"""Subscriptions are personal data (data-subject rights, issue 15 item 6): what we hold
about one address, and erasing it. Erasing is what unsubscribing does: the subscription,
its themes, its claims on mailings and the e-mails this app stored for it go; the
mailings' counts stay.

The protocol is the one of the ``cter_personal_data`` hook (``website.hooks``):
``find(*, email) -> list[PersonalRecord]``, ``blockers(*, email, now) -> list[str]``,
``erase(*, email, now) -> dict[kind, int]``; ``source()`` bundles them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from subscriptions.models import Delivery, Subscription
from subscriptions.services.common import normalise_email
from subscriptions.services.subscribers import forget_addresses
from website import hooks as cter

Record = cter.PersonalRecord


def _label(name: str) -> str:
    return Subscription._meta.get_field(name).verbose_name


def find(*, email: str) -> list:
    """The subscription of ``email`` (at most one: addresses are unique), with Dutch
    field names; dates as values. Three queries."""
    email = normalise_email(email)
    if not email:
        return []
    subs = Subscription.objects.filter(email=email).prefetch_related(
        "target_groups", "theme_links__tag"
    )
    records = []
    for sub in subs:
        received = Delivery.objects.filter(subscription=sub).count()
        records.append(
            Record(
                Subscription._meta.verbose_name,
                [
                    (_label("email"), sub.email),
                    (_label("frequency"), sub.get_frequency_display()),
                    (_label("target_groups"), ", ".join(g.name for g in sub.target_groups.all())),
                    (_("Themes"), ", ".join(link.tag.name for link in sub.theme_links.all())),
                    (_label("created_at"), sub.created_at),
                    (_label("confirmed_at"), sub.confirmed_at or _("not confirmed")),
                    (_("Mailings received (last weeks)"), received),
                ],
            )
        )
    return records


def blockers(*, email: str, now: dt.datetime) -> list[str]:
    """Nothing stands in the way: a subscription can always go."""
    return []


def erase(*, email: str, now: dt.datetime) -> dict:
    email = normalise_email(email)
    if not email:
        return {}
    with transaction.atomic():
        removed = forget_addresses([email])
    return {Subscription._meta.verbose_name_plural: removed} if removed else {}


def source():
    """The app's entry in the ``cter_personal_data`` hook."""
    return cter.PersonalDataSource(
        label=_("Keep me informed"), find=find, blockers=blockers, erase=erase
    )
