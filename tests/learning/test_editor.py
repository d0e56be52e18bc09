import datetime as dt

import pytest
from django.contrib.auth.models import User
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from learning.models import Session, TrainingPage

pytestmark = pytest.mark.django_db


def test_editor_creates_training_with_multi_daypart_session(client, catalogue):
    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    day = dt.date.today() + dt.timedelta(days=30)
    data = nested_form_data(
        {
            "title": "Verdieping casusoverleg",
            "slug": "verdieping-casusoverleg",
            "intro": "Voor wie de basis volgde.",
            "objectives": rich_text("<p>Risicotaxatie</p>"),
            "level": "in_depth",
            "kind": "training",
            "format": "on_site",
            "duration_label": "2 dagdelen",
            "dayparts": "2",
            "target_groups": [],
            "tags": "radicalisering, samenwerking",
            "trainers": "",
            "price": "Gratis",
            "practical_info": rich_text(""),
            "sessions": inline_formset(
                [
                    {
                        "date": day.isoformat(),
                        "start_time": "09:30",
                        "end_time": "12:30",
                        "more_dayparts": streamfield(
                            [
                                (
                                    "daypart",
                                    {
                                        "date": (day + dt.timedelta(days=7)).isoformat(),
                                        "start_time": "09:30",
                                        "end_time": "12:30",
                                    },
                                )
                            ]
                        ),
                        "online": "",
                        "join_url": "",
                        "location": "Zijlweg 245, Haarlem",
                        "capacity": "12",
                        "deadline": "",
                        "region": "",
                        "status": "planned",
                    }
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/add/learning/trainingpage/{catalogue.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = TrainingPage.objects.get(slug="verdieping-casusoverleg")
    assert page.live
    session = Session.objects.get(page=page)
    assert len(session.dayparts()) == 2
    assert session.ends_at.date() == day + dt.timedelta(days=7)
    assert sorted(t.slug for t in page.tags.all()) == ["radicalisering", "samenwerking"]
