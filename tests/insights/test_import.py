"""Importing figures from a CSV or XLSX sheet: line-numbered Dutch errors, all or
nothing, and hostile files answered with a message (never a 500)."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from insights import services
from insights.models import HouseFigures, Period
from insights.publication import Measure, Published
from insights.sheets import SheetError, read_sheet

pytestmark = pytest.mark.django_db

HEADER = "periode;huis;onderdeel;categorie;aantal\n"
GOOD = (
    HEADER + "2025-K1;Kennemerland;signalen;;34\n"
    "2025-K1;Kennemerland;casussen;;21\n"
    "2025-K1;Kennemerland;leeftijd;<18;6\n"
    "2025-K1;Kennemerland;leeftijd;18-23;7\n"
    "2025-K1;Kennemerland;ideologie;jihadistisch;9\n"
    "2025-K1;Kennemerland;gemeente;Haarlem;11\n"
    "2025-K1;Kennemerland;groepering;Soevereinenbeweging;5\n"
    "2025-K1;noord-holland-noord;signalen;;40\n"
    "2025-K1;noord-holland-noord;casussen;;25\n"
)


def run(text, *, replace=False, filename="cijfers.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return services.import_figures(
        rows=read_sheet(data, filename), replace=replace, now=timezone.now()
    )


def problems(text, **kwargs):
    with pytest.raises(services.FiguresError) as exc:
        run(text, **kwargs)
    return exc.value.lines


def test_a_good_sheet_is_imported_with_its_period(houses):
    result = run("\ufeff" + GOOD)
    assert result.created == 2
    assert result.periods_created == ["1e kwartaal 2025"]
    figures = HouseFigures.objects.get(house=houses["kennemerland"])
    assert (figures.signals, figures.cases, figures.age_under_18, figures.ideology_jihadist) == (
        34,
        21,
        6,
        9,
    )
    assert [(c.municipality.name, c.cases) for c in figures.municipality_counts.all()] == [
        ("Haarlem", 11)
    ]
    published = Published(Period.objects.get().published_figures)
    assert published.houses == ["kennemerland", "noord-holland-noord"]
    assert published.get(Measure.GROUPING, "kennemerland", "Soevereinenbeweging").value == 5


def test_a_comma_separated_sheet_works_too(houses):
    assert run(GOOD.replace(";", ",")).created == 2


def test_an_xlsx_sheet_in_the_same_shape(houses):
    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        cells = line.split(";")
        sheet.append([*cells[:4], int(cells[4]) if cells[4].isdigit() else cells[4]])
    sheet["E3"] = 21.0  # a whole number stored as a float is fine
    out = io.BytesIO()
    book.save(out)
    result = run(out.getvalue(), filename="cijfers.xlsx")
    assert result.created == 2
    assert HouseFigures.objects.get(house=houses["kennemerland"]).cases == 21


def test_every_problem_is_reported_with_its_line_and_nothing_is_saved(houses):
    sheet = (
        HEADER + "2025-K1;Kennemerland;signalen;;34\n"  # 2
        "2025-K1;Kennemerland;casussen;;10\n"  # 3
        "2025-K5;Kennemerland;signalen;;3\n"  # 4
        "2025-K1;Noord;signalen;;3\n"  # 5
        "2025-K1;Kennemerland;aanmeldingen;;3\n"  # 6
        "2025-K1;Kennemerland;leeftijd;<18;-2\n"  # 7
        "2025-K1;Kennemerland;leeftijd;18-23;2,5\n"  # 8
        "2025-K1;Kennemerland;leeftijd;40-50;1\n"  # 9
        "2025-K1;Kennemerland;ideologie;religieus;1\n"  # 10
        "2025-K1;Kennemerland;gemeente;Alkmaar;1\n"  # 11
        "2025-K1;Kennemerland;leeftijd;onbekend;1\n"  # 12
        "2025-K1;Kennemerland;signalen;;34\n"  # 13
        "2025-K1;Kennemerland;casussen;x;4\n"  # 14
        "2025-K1;Kennemerland;ideologie;jihadistisch;8\n"  # 15
        "2025-K1;Kennemerland;ideologie;links-extremistisch;5\n"  # 16
        "2025-K1;Zaanstreek-Waterland;signalen;;4\n"  # 17
    )
    lines = problems(sheet)
    assert lines == [
        "Regel 4: onbekende periode \u20182025-K5\u2019; schrijf 2025-K1 (een kwartaal) of "
        "2025-H1 (een halfjaar).",
        "Regel 5: onbekend Zorg- en Veiligheidshuis \u2018Noord\u2019; kies uit Kennemerland, "
        "Noord-Holland Noord, Zaanstreek-Waterland.",
        "Regel 6: onbekend onderdeel \u2018aanmeldingen\u2019; kies uit signalen, casussen, "
        "leeftijd, ideologie, gemeente, groepering.",
        "Regel 7: het aantal \u2018-2\u2019 is geen heel getal van 0 tot 100.000.",
        "Regel 8: het aantal \u20182,5\u2019 is geen heel getal van 0 tot 100.000.",
        "Regel 9: onbekende leeftijdsgroep \u201840-50\u2019; kies uit <18, 18-23, 24-35, 36+.",
        "Regel 10: onbekend type ideologie \u2018religieus\u2019; kies uit jihadistisch, "
        "rechts-extremistisch, links-extremistisch, anti-institutioneel.",
        "Regel 11: \u2018Alkmaar\u2019 is geen gemeente van Kennemerland.",
        "Regel 12: \u2018onbekend\u2019 rekenen we zelf uit: het totaal min wat bekend is. "
        "Laat deze regel weg.",
        "Regel 13: deze regel herhaalt regel 2.",
        "Regel 14: signalen en casussen hebben geen categorie; laat die leeg.",
        "Regels 2-16 (Kennemerland, 1e kwartaal 2025): De typen ideologie tellen op tot 13, "
        "meer dan de 10 casussen. Wat niet bekend is, telt vanzelf als "
        "\u2018overig/onbekend\u2019.",
        "Regels 17 (Zaanstreek-Waterland, 1e kwartaal 2025): het aantal casussen ontbreekt.",
    ]
    assert not Period.objects.exists()
    assert not HouseFigures.objects.exists()


def test_figures_entered_already_need_the_replace_box(houses):
    run(GOOD)
    lines = problems(GOOD)
    assert lines[0].startswith("Regels 2-8 (Kennemerland, 1e kwartaal 2025): deze cijfers zijn al")
    result = run(GOOD.replace(";34\n", ";35\n"), replace=True)
    assert (result.created, result.replaced) == (0, 2)
    assert HouseFigures.objects.get(house=houses["kennemerland"]).signals == 35


def test_a_new_period_that_overlaps_is_refused_on_its_first_line(houses, make_period):
    make_period(2025, 2)
    lines = problems(
        HEADER + "2025-H1;Kennemerland;signalen;;3\n2025-H1;Kennemerland;casussen;;3\n"
    )
    assert lines == [
        "Regel 2: Deze periode overlapt met 2e kwartaal 2025. Gebruik voor dezelfde maanden "
        "\u00f3f kwartalen \u00f3f halfjaren: anders kunnen cijfers van elkaar worden "
        "afgetrokken."
    ]


def test_a_missing_column_is_named():
    assert problems("periode;huis;onderdeel;aantal\n2025-K1;Kennemerland;signalen;3\n") == [
        "Regel 1: de kolom \u2018categorie\u2019 ontbreekt. De eerste regel noemt de kolommen: "
        "periode, huis, onderdeel, categorie, aantal."
    ]


def test_many_problems_are_capped(houses):
    sheet = HEADER + "".join(f"2025-K9;Kennemerland;signalen;;{i}\n" for i in range(80))
    lines = problems(sheet)
    assert len(lines) == 51
    assert lines[-1] == "\u2026 en nog 30 fouten."


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "Het bestand is leeg."),
        (b"\x00\x01\x02garbage\x00", "a.csv", "Dit is geen tekstbestand (CSV)."),
        (b"PK\x03\x04not really a zip", "a.xlsx", "Dit bestand is niet te lezen als Excel-werkmap"),
        (b"x" * (2 * 1024 * 1024 + 1), "a.csv", "Het bestand is groter dan 2 MB."),
        (b"a;b\n" * 5002, "a.csv", "Het bestand heeft meer dan 5000 regels"),
        (b"a" + b";a" * 30 + b"\n", "a.csv", "Regel 1 heeft meer dan 20 kolommen."),
        (b'a;"open quote\n' * 3, "a.csv", None),
        (b"anything", "cijfers.xls", "Sla het bestand eerst op als CSV"),
    ],
)
def test_hostile_files_get_a_dutch_message(data, filename, message):
    try:
        rows = read_sheet(data, filename)
    except SheetError as exc:
        assert message is None or exc.message.startswith(message), exc.message
    else:
        assert message is None
        with pytest.raises(services.FiguresError):
            services.import_figures(rows=rows, replace=False, now=timezone.now())


def test_a_zip_bomb_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * (50 * 1024 * 1024))
    assert len(out.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(SheetError) as exc:
        read_sheet(out.getvalue(), "bom.xlsx")
    assert exc.value.message == "De werkmap is uitgepakt te groot."


@pytest.mark.parametrize("count", ["\u0663", "1e3", "0x10", "3.5", "+4", "", "  "])
def test_odd_numbers_are_refused(houses, count):
    lines = problems(HEADER + f"2025-K1;Kennemerland;signalen;;{count}\n")
    assert lines[0].startswith("Regel 2: het aantal")


def test_labels_with_control_characters_or_formulas(houses):
    lines = problems(
        HEADER + "2025-K1;Kennemerland;signalen;;3\n2025-K1;Kennemerland;casussen;;9\n"
        "2025-K1;Kennemerland;groepering;Groep\x07X;5\n"
    )
    assert lines == ["Regel 4: Gebruik alleen letters, cijfers en leestekens."]
    # A label that looks like a formula is kept as text (and exported safely).
    run(
        HEADER + "2025-K1;Kennemerland;signalen;;3\n2025-K1;Kennemerland;casussen;;9\n"
        "2025-K1;Kennemerland;groepering;=HYPERLINK(1);5\n"
    )
    assert HouseFigures.objects.get().groupings.get().label == "=HYPERLINK(1)"


# ----- through the admin ----------------------------------------------------------------


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user("analist", "Analist"))
    return client


def upload(client, data, name="cijfers.csv", **extra):
    return client.post(
        "/admin/regionaal-beeld/importeren/",
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def test_the_admin_import_shows_line_numbered_errors(analyst_client, houses):
    response = upload(analyst_client, (HEADER + "2025-K5;Kennemerland;signalen;;3\n").encode())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Er is niets geïmporteerd; verbeter de regels hieronder." in content
    assert "Regel 2: onbekende periode" in content


def test_the_admin_import_saves_a_good_sheet(analyst_client, houses):
    response = upload(analyst_client, GOOD.encode())
    assert response.status_code == 200
    assert "Cijfers van 2 huizen en periodes geïmporteerd." in response.content.decode()
    assert HouseFigures.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00\x00" * 1000,
        b"PK\x03\x04" + b"\x00" * 100,
        "periode;huis;onderdeel;categorie;aantal\n\u202e2025-K1;\x1b[31m;;;\n".encode(),
        (
            "periode;huis;onderdeel;categorie;aantal\n" + "2025-K1;" + "A" * 100_000 + ";;;1\n"
        ).encode(),
        b"\xe9\xe8;\xff\n\x81\x82",
    ],
)
def test_hostile_uploads_never_give_a_500(analyst_client, houses, data):
    for name in ("cijfers.csv", "cijfers.xlsx"):
        response = upload(analyst_client, data, name=name)
        assert response.status_code == 200
        assert "Er is niets geïmporteerd" in response.content.decode() or (
            "niet te lezen" in response.content.decode()
            or "geen tekstbestand" in response.content.decode()
        )
    assert not HouseFigures.objects.exists()


def test_replacing_needs_the_change_permission(client, make_user, houses):

    user = make_user("invoerder")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_housefigures"),
    )
    client.force_login(user)
    response = upload(client, GOOD.encode(), replace="on")
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert not HouseFigures.objects.exists()
