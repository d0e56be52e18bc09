import pytest
from django.utils import timezone

from outreach import services
from outreach.models import ReachCount

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_counting_search_and_filters_on_postgresql(client, outreach_site):
    now = timezone.now()
    args = {"kind": "view", "object_id": 7, "ip": "10.1.1.1", "user_agent": "Mozilla/5.0"}
    assert services.record_hit(now=now, **args) is True
    assert services.record_hit(now=now, **args) is False  # unique constraint, no error
    assert services.record_hit(now=now, **{**args, "ip": "10.1.1.2"}) is True
    assert ReachCount.objects.get(object_id=7).count == 2
    html = client.get("/zoeken/", {"q": "radicaliseringsproces", "type": "infosheet"}).content
    assert b"/producten/informatieblad-zorg/" in html
    html = client.get("/producten/", {"doelgroep": "onderwijs", "thema": "polarisatie"}).content
    assert b"/producten/animatie-polarisatie/" in html
    assert b"/producten/informatieblad-gemeenten/" not in html
