"""Data-subject rights (issue 14): find, export and erase everything the site stores about
one e-mail address, across apps (hook ``PERSONAL_DATA`` in ``website.hooks``).

Every look-up, export and erasure is recorded in the audit trail on a
``PersonalDataRequest``, which holds the counts and never the address or the data.
Erasure keeps the facts reports need (the retention job's rule): it wipes or deletes what
identifies the person and leaves counts, scores and attendance.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from website import audit
from website.hooks import PersonalDataSource, PersonalRecord, personal_data_sources
from website.models import OutboxEmail, OutboxStatus, PersonalDataAction, PersonalDataRequest
from website.text import spreadsheet_text

AUDIT_ACTIONS = {
    PersonalDataAction.LOOKUP: audit.PERSONAL_DATA_LOOKUP,
    PersonalDataAction.EXPORT: audit.PERSONAL_DATA_EXPORT,
    PersonalDataAction.SELF_EXPORT: audit.PERSONAL_DATA_SELF_EXPORT,
    PersonalDataAction.ERASE: audit.PERSONAL_DATA_ERASE,
}


class PersonalDataError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Found:
    label: str  # the part of the site, e.g. "Trainingen"
    records: list[PersonalRecord]


def normalise(email: str) -> str:
    return (email or "").strip()


def find(*, email: str) -> list[Found]:
    email = normalise(email)
    if not email:
        return []
    return [Found(str(s.label), list(s.find(email=email))) for s in personal_data_sources()]


def counts(found: list[Found]) -> dict[str, int]:
    """Records per kind, e.g. {"Aanmelding": 2} (what the audit trail keeps)."""
    result: dict[str, int] = {}
    for part in found:
        for record in part.records:
            kind = str(record.kind)
            result[kind] = result.get(kind, 0) + 1
    return result


def record_request(action: str, *, records: dict[str, int], now: dt.datetime, **data):
    """One entry in the audit trail for a look-up, export or erasure."""
    request = PersonalDataRequest.objects.create(action=action, created_at=now, records=records)
    audit.record(
        request,
        AUDIT_ACTIONS[action],
        data={"records": sum(records.values()), **data},
        timestamp=now,
    )
    return request


def blockers(*, email: str, now: dt.datetime) -> list[str]:
    email = normalise(email)
    return [str(b) for s in personal_data_sources() for b in s.blockers(email=email, now=now)]


def erase(*, email: str, now: dt.datetime) -> dict[str, int]:
    """Erase what identifies the person everywhere, or nothing (``PersonalDataError`` with
    the reasons, e.g. a registration for a session still to come)."""
    email = normalise(email)
    if not email:
        raise PersonalDataError([_("Enter an e-mail address.")])
    reasons = blockers(email=email, now=now)
    if reasons:
        raise PersonalDataError(reasons)
    erased: dict[str, int] = {}
    with transaction.atomic():
        for source in personal_data_sources():
            for kind, number in source.erase(email=email, now=now).items():
                if number:
                    erased[str(kind)] = erased.get(str(kind), 0) + number
        record_request(PersonalDataAction.ERASE, records=erased, now=now)
    return erased


# ----- website's own records: the outgoing e-mails of every app -------------------------------


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def outbox_records(*, email: str) -> list[PersonalRecord]:
    """E-mails to this address (delivered ones keep only the envelope); one query."""
    kind = capfirst(str(OutboxEmail._meta.verbose_name))
    return [
        PersonalRecord(
            kind,
            [
                (_label(OutboxEmail, "to"), mail.to),
                (_label(OutboxEmail, "subject"), mail.subject),
                (_label(OutboxEmail, "status"), mail.get_status_display()),
                (_label(OutboxEmail, "created_at"), mail.created_at),
                (_label(OutboxEmail, "sent_at"), mail.sent_at),
            ],
        )
        for mail in OutboxEmail.objects.filter(to__iexact=email).order_by("created_at", "pk")
    ]


def outbox_blockers(*, email: str, now: dt.datetime) -> list[str]:
    if OutboxEmail.objects.filter(to__iexact=email, status=OutboxStatus.PENDING).exists():
        return [
            _("An e-mail to this address is still waiting to be sent; try again in a few minutes.")
        ]
    return []


def erase_outbox(*, email: str, now: dt.datetime) -> dict[str, int]:
    deleted, _detail = (
        OutboxEmail.objects.filter(to__iexact=email).exclude(status=OutboxStatus.PENDING).delete()
    )
    return {_("Outgoing e-mails"): deleted}


def outbox_source() -> PersonalDataSource:
    return PersonalDataSource(
        label=_("E-mails"), find=outbox_records, blockers=outbox_blockers, erase=erase_outbox
    )


# ----- exports (Dutch field names) -------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def as_json(*, email: str, found: list[Found], now: dt.datetime) -> bytes:
    document = {
        _("e-mail address"): normalise(email),
        _("exported at"): _text(now),
        _("data"): [
            {
                _("part"): part.label,
                _("kind"): str(record.kind),
                _("fields"): {capfirst(str(name)): _text(value) for name, value in record.fields},
            }
            for part in found
            for record in part.records
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def as_csv(*, found: list[Found]) -> bytes:
    """One row per field: part, kind, record number, field, value (semicolons, as Dutch
    spreadsheet programs expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Part"), _("Kind"), _("Record"), _("Field"), _("Value")])
    number = 0
    for part in found:
        for record in part.records:
            number += 1
            for name, value in record.fields:
                writer.writerow(
                    [
                        part.label,
                        str(record.kind),
                        number,
                        capfirst(str(name)),
                        spreadsheet_text(_text(value)),
                    ]
                )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
