import pytest

from website.models import Municipality, Region, TargetGroup

pytestmark = pytest.mark.django_db


def test_migrations_create_three_regions_with_32_municipalities():
    counts = {r.name: r.municipalities.count() for r in Region.objects.all()}
    assert counts == {"Kennemerland": 9, "Noord-Holland Noord": 16, "Zaanstreek-Waterland": 7}
    assert Municipality.objects.count() == 32
    assert Municipality.objects.get(name="Dijk en Waard").region.name == "Noord-Holland Noord"
    assert Municipality.objects.get(name="Edam-Volendam").region.name == "Zaanstreek-Waterland"


def test_migrations_create_eight_target_groups_in_order():
    names = list(TargetGroup.objects.values_list("name", flat=True))
    assert len(names) == 8
    assert names[0] == "Gemeenten (ambtenaren)"
    assert "Asiel- en vluchtelingenketen (o.a. VluchtelingenWerk, COA, IND)" in names
    assert names[-1] == "Zorg- en Veiligheidshuizen"
