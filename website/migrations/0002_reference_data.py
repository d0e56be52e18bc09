"""The three Zorg- en Veiligheidshuis regions, their 32 municipalities and the
initial target groups. Staff can edit them afterwards as snippets."""

from django.db import migrations
from django.utils.text import slugify

REGIONS = {
    "Noord-Holland Noord": [
        "Alkmaar", "Bergen", "Castricum", "Den Helder", "Dijk en Waard", "Drechterland",
        "Enkhuizen", "Heiloo", "Hollands Kroon", "Hoorn", "Koggenland", "Medemblik",
        "Opmeer", "Schagen", "Stede Broec", "Texel",
    ],
    "Kennemerland": [
        "Beverwijk", "Bloemendaal", "Haarlem", "Haarlemmermeer", "Heemskerk", "Heemstede",
        "Uitgeest", "Velsen", "Zandvoort",
    ],
    "Zaanstreek-Waterland": [
        "Edam-Volendam", "Landsmeer", "Oostzaan", "Purmerend", "Waterland", "Wormerland",
        "Zaanstad",
    ],
}

TARGET_GROUPS = [
    ("gemeenten", "Gemeenten (ambtenaren)"),
    ("bestuurders", "Bestuurders (burgemeesters en wethouders)"),
    ("asielketen", "Asiel- en vluchtelingenketen (o.a. VluchtelingenWerk, COA, IND)"),
    ("zorg", "Zorg (GGZ, GGD)"),
    ("politie-om", "Politie en Openbaar Ministerie"),
    ("onderwijs", "Onderwijs"),
    ("sociaal-domein", "Sociaal domein en jeugd"),
    ("zorg-en-veiligheidshuizen", "Zorg- en Veiligheidshuizen"),
]


def create(apps, schema_editor):
    Region = apps.get_model("website", "Region")
    Municipality = apps.get_model("website", "Municipality")
    TargetGroup = apps.get_model("website", "TargetGroup")
    for region_name, municipalities in REGIONS.items():
        region, _ = Region.objects.get_or_create(
            slug=slugify(region_name), defaults={"name": region_name}
        )
        for name in municipalities:
            Municipality.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "region": region}
            )
    for order, (slug, name) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("website", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
