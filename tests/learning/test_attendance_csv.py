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
        (b"\x00\x01\xff" * 10, "Geen kolom met e-mailadressen gevonden"),
    ],
)
def test_unusable_files_give_a_clear_message(data, message):
    with pytest.raises(AttendanceFileError) as info:
        parse_attendance_csv(data)
    assert message in str(info.value)


def test_row_shorter_than_the_header_counts_as_invalid_not_a_crash():
    result = parse_attendance_csv(b"Naam;E-mail\nAnna\n")
    assert result.invalid == [(2, "")]
