import pytest

from learning.attendance_csv import AttendanceFileError, parse_attendance_csv


def test_excel_semicolons_with_bom_headers_in_any_case_and_extra_columns():
    data = (
        "\ufeffNaam;Duur (minuten);E-MAIL;Rol\r\n"
        "Anna de Vries;55;Anna.de.Vries@Gemeente-Hoorn.nl;Deelnemer\r\n"
        "Bram Jansen;12;bram@coa.nl;Deelnemer\r\n"
    ).encode()
    result = parse_attendance_csv(data)
    assert result.emails == ["anna.de.vries@gemeente-hoorn.nl", "bram@coa.nl"]
    assert result.duplicates == [] and result.invalid == []


def test_commas_quotes_and_duplicates_are_reported_not_dropped():
    data = (
        b"User Email,Name (Original Name),Join Time\n"
        b'a@ggd.nl,"Jansen, A.",10:00\n'
        b'A@GGD.nl,"Jansen, A.",10:40\n'
        b'geen-adres,"Onbekend",10:05\n'
        b"\n"
        b"c@politie.nl,C,10:01\n"
    )
    result = parse_attendance_csv(data)
    assert result.emails == ["a@ggd.nl", "c@politie.nl"]
    assert result.duplicates == [(3, "a@ggd.nl")]
    assert result.invalid == [(4, "geen-adres")]
    assert result.blank_lines == 1


def test_teams_summary_block_above_the_table_and_windows_1252():
    data = (
        "1. Samenvatting\tx\nVergadertitel\tWebinar polarisatie\n\n"
        "Volledige naam\tDeelnametijd\tE-mailadres\n"
        "Zoë Müller\t10:00\tzoe@vluchtelingenwerk.nl\n"
    ).encode("cp1252")
    assert parse_attendance_csv(data).emails == ["zoe@vluchtelingenwerk.nl"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"Naam;Duur\nAnna;55\n", "Geen kolom met e-mailadressen gevonden"),
        (b"\x00\x01\xff" * 10, "Het bestand is geen tekstbestand (CSV)."),
        (b"\xff\xfeN\x00\xd8", "Het bestand is geen tekstbestand (CSV)."),
        # a quoted field longer than the csv module's limit (131072 characters)
        (
            b'E-mail;Notitie\na@ggd.nl;"' + b"x" * 140_000 + b'"\n',
            "Het bestand kon niet als CSV worden gelezen",
        ),
    ],
)
def test_unusable_files_give_a_clear_message(data, message):
    with pytest.raises(AttendanceFileError) as info:
        parse_attendance_csv(data)
    assert message in str(info.value)


def test_row_shorter_than_the_header_counts_as_invalid_not_a_crash():
    result = parse_attendance_csv(b"Naam;E-mail\nAnna\n")
    assert result.invalid == [(2, "")]


def test_teams_export_in_utf16_with_tabs():
    data = (
        "Volledige naam\tDeelnametijd\tE-mailadres\r\n"
        "Zoë Müller\t10:00\tZoe@VluchtelingenWerk.nl\r\n"
        "Ahmed Y\u0131lmaz\t10:02\tahmed@coa.nl\r\n"
    ).encode("utf-16")  # with a byte-order mark, as Teams writes it
    result = parse_attendance_csv(data)
    assert result.emails == ["zoe@vluchtelingenwerk.nl", "ahmed@coa.nl"]
