"""Calendar files (RFC 5545): one VEVENT per daypart, TZID Europe/Amsterdam with a
narrow VTIMEZONE, stable UIDs and increasing SEQUENCE so updates replace events."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone

from learning.models import AMSTERDAM, Registration, Session, SessionStatus

PRODID = "-//Noord-Holland Samen Veilig//CTER trainingen//NL"
UID_DOMAIN = "cter.samenveilig-nh.nl"


def _calendar(method: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    return cal


def _finish(cal: icalendar.Calendar, sessions) -> bytes:
    starts = [s.starts_at for s in sessions] or [timezone.now()]
    ends = [s.ends_at for s in sessions] or [timezone.now()]
    cal.add_missing_timezones(
        first_date=(min(starts) - dt.timedelta(days=366)).date(),
        last_date=(max(ends) + dt.timedelta(days=366)).date(),
    )
    return cal.to_ical()


def _description(session: Session, *, join_url: str = "", personal_url: str = "") -> str:
    lines = [session.page.intro]
    if join_url:
        lines.append(f"Deelnemen: {join_url}")
    if personal_url:
        lines.append(f"Uw aanmelding: {personal_url}")
    return "\n\n".join(x for x in lines if x)


def _event(session, index, start, end, *, uid, sequence, now, cancelled=False):
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", start.astimezone(AMSTERDAM))
    event.add("dtend", end.astimezone(AMSTERDAM))
    total = len(session.dayparts())
    title = session.page.title
    if total > 1:
        title = f"{title} (dagdeel {index + 1} van {total})"
    event.add("summary", title)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _alarm() -> icalendar.Alarm:
    before = getattr(settings, "LEARNING_REMINDER_BEFORE", dt.timedelta(days=1))
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Herinnering")
    alarm.add("trigger", -before)
    return alarm


def registration_ics(
    *, registration: Registration, personal_url: str, now=None, cancel: bool = False
) -> bytes:
    """The invite for one registration; ``cancel`` produces METHOD:CANCEL."""
    now = now or timezone.now()
    session = registration.session
    cancelled = cancel or session.status == SessionStatus.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "PUBLISH")
    _add_registration(cal, registration, personal_url, now=now, cancelled=cancelled)
    return _finish(cal, [session])


def track_ics(*, registrations, now=None) -> bytes:
    """One calendar file for a whole connection track: the events of every
    ``(registration, personal_url)`` given, with the same UIDs as each registration's own
    invite, so later updates of one meeting replace its event."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    for registration, personal_url in registrations:
        _add_registration(cal, registration, personal_url, now=now, cancelled=False)
    return _finish(cal, [r.session for r, _url in registrations])


def _add_registration(cal, registration, personal_url, *, now, cancelled) -> None:
    session = registration.session
    join = session.join_url if registration.status == "confirmed" and session.online else ""
    for index, (start, end) in enumerate(session.dayparts()):
        event = _event(
            session,
            index,
            start,
            end,
            uid=f"registration-{registration.pk}-session-{session.pk}-part-{index + 1}@{UID_DOMAIN}",
            sequence=session.sequence + registration.sequence,
            now=now,
            cancelled=cancelled,
        )
        event.add("location", join or ("Online" if session.online else session.location))
        event.add("description", _description(session, join_url=join, personal_url=personal_url))
        event.add("url", personal_url)
        if not cancelled:
            event.add_component(_alarm())
        cal.add_component(event)


def feed_ics(*, sessions, base_url: str, now=None, name: str = "") -> bytes:
    """A subscribable feed of upcoming sessions (no join links: those are private)."""
    now = now or timezone.now()
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name or "CTER trainingen en webinars")
    for session in sessions:
        url = base_url + session.page.url
        for index, (start, end) in enumerate(session.dayparts()):
            event = _event(
                session,
                index,
                start,
                end,
                uid=f"session-{session.pk}-part-{index + 1}@{UID_DOMAIN}",
                sequence=session.sequence,
                now=now,
                cancelled=session.status == SessionStatus.CANCELLED,
            )
            event.add("location", "Online" if session.online else session.location)
            event.add("description", _description(session))
            event.add("url", url)
            cal.add_component(event)
    return _finish(cal, list(sessions))
