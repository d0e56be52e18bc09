"""Requests for a training in company or a pressure cooker, and the sessions they become.

A coordinator turns a request into a session of a training that is not listed publicly
(``TrainingPage.unlisted``): a copy of the chosen training (without its sessions) or an
unlisted training chosen as it is. The session gets a private registration link; the
requesting organisation's people register through it with the same form, capacity,
e-mails, calendar files, reminders and attendance as any session, and it counts towards
the yearly targets and reach like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from learning.models import (
    AMSTERDAM,
    PrivateLink,
    RequestKind,
    RequestStatus,
    Session,
    TrainingPage,
    TrainingRequest,
)
from learning.services.common import RegistrationError
from website.mail import store_and_send
from website.models import Region, SiteSettings


class RequestError(RegistrationError):
    """A request could not be turned into a session (shown next to the form)."""


def submit_request(*, kind: RequestKind, data: dict, now: dt.datetime) -> TrainingRequest:
    with transaction.atomic():
        request = TrainingRequest.objects.create(kind=kind, **data)
        to = SiteSettings.load().coordinator_email
        if to:
            context = {"request": request}
            store_and_send(
                to=to,
                subject=str(_("New request: %(kind)s") % {"kind": request.get_kind_display()}),
                text=render_to_string("learning/email/request_notice.txt", context),
                html="",
                ics="",
            )
    return request


@dataclass(frozen=True)
class SessionPlan:
    """Date, time and place of the session a request becomes."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time
    capacity: int
    online: bool = False
    location: str = ""
    join_url: str = ""
    deadline: dt.datetime | None = None
    region: Region | None = None


@dataclass(frozen=True)
class ScheduledRequest:
    request: TrainingRequest
    session: Session
    link: PrivateLink

    @property
    def url(self) -> str:
        return private_url(self.link)


def private_url(link: PrivateLink) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("learning:register_private", args=[link.token])


def _unlisted_copy(training: TrainingPage, request: TrainingRequest, *, user) -> TrainingPage:
    """A copy of ``training`` next to it, not listed publicly, without its sessions."""
    parent = training.get_parent()
    base = slugify(f"{training.slug}-{request.get_kind_display()}-{request.pk}")[:200]
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    title = _("%(title)s (%(kind)s: %(for)s)") % {
        "title": training.title,
        "kind": request.get_kind_display(),
        "for": request.requested_for,
    }
    copy = training.copy(
        to=parent,
        update_attrs={
            "title": str(title)[:255],
            "draft_title": str(title)[:255],
            "slug": slug,
            "unlisted": True,
            "show_in_menus": False,
            "in_company": False,
        },
        exclude_fields=["sessions"],
        copy_revisions=False,
        keep_live=True,
        user=user,
    )
    return TrainingPage.objects.get(pk=copy.pk)


def schedule_request(
    *,
    request_id: int,
    training_id: int,
    plan: SessionPlan,
    now: dt.datetime,
    user=None,
    email_contact: bool = True,
) -> ScheduledRequest:
    """Turn a request into a session of a training not listed publicly, with a private
    registration link; the request is marked scheduled and points at the session. With
    ``email_contact`` the contact person gets the link to share with their people."""
    with transaction.atomic():
        request = (
            TrainingRequest.objects.select_for_update(of=("self",))
            .select_related("municipality", "region")
            .filter(pk=request_id)
            .first()
        )
        if request is None:
            raise RequestError(_("This request no longer exists."))
        if request.status == RequestStatus.DECLINED:
            raise RequestError(_("This request was declined; set it back first."))
        training = TrainingPage.objects.live().filter(pk=training_id).first()
        if training is None:
            raise RequestError(_("Choose a published training."))
        if plan.end_time <= plan.start_time:
            raise RequestError(_("The session must end after it starts."))
        if dt.datetime.combine(plan.date, plan.start_time, tzinfo=AMSTERDAM) <= now:
            raise RequestError(_("Choose a date and time in the future."))
        if training.unlisted:
            if training.has_unpublished_changes:
                raise RequestError(
                    _(
                        "This training has changes that are not published. Publish or "
                        "discard them first, then plan the session."
                    )
                )
            page = training
        else:
            page = _unlisted_copy(training, request, user=user)
        session = Session.objects.create(
            page=page,
            date=plan.date,
            start_time=plan.start_time,
            end_time=plan.end_time,
            capacity=plan.capacity,
            online=plan.online,
            location=plan.location,
            join_url=plan.join_url,
            deadline=plan.deadline,
            region=plan.region,
        )
        # The page's published revision includes the new session, so a later publish by
        # an editor keeps it. Coordinators plan sessions without page-publishing rights:
        # this rule decides, not the page permissions.
        page = TrainingPage.objects.get(pk=page.pk)
        page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
        link = PrivateLink.objects.create(session=session, created_at=now)
        request.status = RequestStatus.SCHEDULED
        request.session = session
        request.save(update_fields=["status", "session"])
        scheduled = ScheduledRequest(request=request, session=session, link=link)
        if email_contact and request.contact_email:
            store_and_send(
                to=request.contact_email,
                subject=str(_("Your request is scheduled: %(title)s") % {"title": page.title}),
                text=render_to_string(
                    "learning/email/request_scheduled.txt",
                    {
                        "request": request,
                        "session": session,
                        "training": page,
                        "url": scheduled.url,
                        "dayparts": session.dayparts(),
                    },
                ),
                html="",
                ics="",
            )
    return scheduled


def private_link_for(*, session_id: int, now: dt.datetime) -> PrivateLink:
    """The private registration link of a session, made on first use."""
    link, _created = PrivateLink.objects.get_or_create(
        session_id=session_id, defaults={"created_at": now}
    )
    return link
