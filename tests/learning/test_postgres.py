import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from learning import services
from learning.models import Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_registrants_for_ten_places(make_training, make_session, person_factory):
    session = make_session(make_training(), capacity=10)
    people = [person_factory(i) for i in range(60)]
    barrier = threading.Barrier(len(people))
    errors = []
    arrival = {}

    def register(person):
        try:
            barrier.wait()
            now = timezone.now()
            services.register(session_id=session.pk, person=person, now=now)
            arrival[person.email] = time.monotonic()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    registrations = list(Registration.objects.filter(session=session).select_related("participant"))
    assert len(registrations) == 60
    confirmed = [r for r in registrations if r.status == "confirmed"]
    waiting = [r for r in registrations if r.status == "waiting"]
    assert len(confirmed) == 10 and len(waiting) == 50
    # Arrival order = order in which the session lock was granted = primary key order.
    ordered = sorted(registrations, key=lambda r: r.pk)
    assert all(r.status == "confirmed" for r in ordered[:10])
    assert all(r.status == "waiting" for r in ordered[10:])
    # Promotion picks the earliest waiting registrant.
    services.cancel_registration(registration_id=ordered[0].pk, now=timezone.now())
    first_waiting = min(waiting, key=lambda r: (r.created_at, r.pk))
    first_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed"
