"""Sniffing: encodings, line ends and delimiters of contact files, and the text stream."""

import codecs
import io
from pathlib import Path

import pytest

from relcli.domain.formats import sniff

FIXTURES = Path(__file__).parents[2] / "data" / "fixtures"


def fixture(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def text_of(data: bytes) -> str:
    return sniff.open_text(io.BytesIO(data)).read()


class Trickle(io.BytesIO):
    """A binary stream that answers a sized read with one byte, like a slow pipe."""

    def read(self, size: int | None = -1, /) -> bytes:
        return super().read(size if size is None or size < 0 else min(size, 1))


# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "encoding"),
    [
        ("linkedin/pedrofuentes_kawsay__Connections.csv", "utf-8-sig"),
        ("csv-other/roundcube_roundcubemail__all.csv", "utf-8-sig"),
        ("csv-other/mozilla_releases-comm-central__utf16_addressbook.csv", "utf-16"),
        ("vcards/roundcube_roundcubemail__utf-16_sample.vcf", "utf-16-be"),
        ("csv-other/mozilla_releases-comm-central__shiftjis_addressbook.csv", "shift_jis"),
        ("vcards/CyanogenMod_android_frameworks_opt_vcard__v21_japanese_2.vcf", "shift_jis"),
        ("vcards/roundcube_roundcubemail__johndoe.vcf", "cp1252"),
        ("google/walk-the-program_helix-crm__google-contacts.csv", "utf-8"),
        ("csv-other/mozilla_releases-comm-central__export.csv", "utf-8"),
    ],
)
def test_each_fixture_encoding_is_recognised(relative: str, encoding: str) -> None:
    assert sniff.encoding_of(fixture(relative)) == encoding


def test_utf8_bom_is_not_part_of_the_text() -> None:
    assert text_of(fixture("linkedin/pedrofuentes_kawsay__Connections.csv")).startswith("Notes:")


def test_utf16_le_with_bom_reads_as_text_without_the_bom() -> None:
    text = text_of(fixture("csv-other/mozilla_releases-comm-central__utf16_addressbook.csv"))
    assert text.startswith("First Name,Last Name,Display Name,")
    assert "John,Doe,John Doe,,johndoe@host.invalid" in text


def test_utf16_be_with_bom_reads_as_text() -> None:
    data = codecs.BOM_UTF16_BE + "Name\r\nÉva\r\n".encode("utf-16-be")
    assert text_of(data) == "Name\r\nÉva\r\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_found_by_the_nuls_in_every_other_byte(codec: str) -> None:
    data = "Name,Email\r\nŽofie Nováková,zofie@example.com\r\n".encode(codec)
    assert sniff.encoding_of(data) == codec
    assert text_of(data) == "Name,Email\r\nŽofie Nováková,zofie@example.com\r\n"


def test_utf16_be_fixture_without_bom_keeps_its_accented_names() -> None:
    assert "FN:Ǽgean ĽdaMonté" in text_of(
        fixture("vcards/roundcube_roundcubemail__utf-16_sample.vcf")
    )


def test_shift_jis_japanese_is_decoded() -> None:
    text = text_of(fixture("csv-other/mozilla_releases-comm-central__shiftjis_addressbook.csv"))
    assert "権兵衛,名無し,名無しの権兵衛" in text


def test_kanji_only_shift_jis_names_are_japanese() -> None:
    assert sniff.encoding_of("山田,太郎\r\n".encode("shift_jis")) == "shift_jis"


def test_cp1252_accents_that_happen_to_decode_as_shift_jis_stay_cp1252() -> None:
    data = "Name\r\nHélène Renée\r\n".encode("cp1252")
    assert sniff.encoding_of(data) == "cp1252"
    assert text_of(data) == "Name\r\nHélène Renée\r\n"


def test_cp1252_is_the_fallback_for_bytes_that_are_not_utf8() -> None:
    assert sniff.decode("Doë;Müller".encode("cp1252")) == "Doë;Müller"


def test_plain_ascii_and_empty_input_are_utf8() -> None:
    assert sniff.encoding_of(b"Name,Email\n") == "utf-8"
    assert sniff.encoding_of(b"") == "utf-8"
    assert text_of(b"") == ""


def test_utf8_cut_inside_a_character_at_the_end_of_the_head_is_still_utf8() -> None:
    head = "José".encode()[:-1]  # the é is cut in half
    assert sniff.encoding_of(head) == "utf-8"


def test_only_the_first_64_kib_decide_and_the_stream_covers_the_whole_file() -> None:
    tail = "Ünal,ünal@example.com\n".encode()
    data = b"a,b\n" * (sniff.HEAD_SIZE // 4) + tail
    text = sniff.open_text(io.BytesIO(data)).read()
    assert len(text) == sniff.HEAD_SIZE + len(tail.decode())
    assert text.endswith("Ünal,ünal@example.com\n")


def test_undecodable_bytes_become_replacement_characters() -> None:
    data = b"Name\n" * (sniff.HEAD_SIZE // 5 + 1) + b"Bad \xff\xfe here\n"
    assert text_of(data).endswith("Bad \ufffd\ufffd here\n")


def test_a_stream_that_returns_short_reads_is_read_whole() -> None:
    data = "Name\r\nRenée\r\n".encode() * 3
    assert sniff.open_text(Trickle(data)).read() == "Name\r\nRenée\r\n" * 3
    assert list(sniff.open_text(Trickle(data))) == ["Name\r\n", "Renée\r\n"] * 3


# --- line ends -----------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r", "\r\r\n"])
def test_line_ends_reach_the_reader_untouched(ending: str) -> None:
    data = f"Name{ending}Ann{ending}".encode()
    assert text_of(data) == f"Name{ending}Ann{ending}"


def test_a_mix_of_line_ends_is_kept_as_written() -> None:
    data = fixture("csv-other/mozilla_releases-comm-central__export.csv")
    text = text_of(data)
    assert text.count("\r\n") == 3
    assert '"custom\r3","custom\n4"' in text


# --- delimiters ----------------------------------------------------------------------


def test_comma_is_the_default_delimiter() -> None:
    assert sniff.delimiter_of("") == ","
    assert sniff.delimiter_of("just one column\nand another line\n") == ","


def test_semicolon_delimiter_of_the_european_excel_fixture() -> None:
    sample = text_of(fixture("csv-other/mozilla_releases-comm-central__csv_semicolon.csv"))
    assert sniff.delimiter_of(sample) == ";"


def test_tab_delimiter() -> None:
    assert sniff.delimiter_of("Name\tEmail\tPhone\nAnn\tann@example.com\t555\n") == "\t"


def test_delimiters_inside_quotes_do_not_count() -> None:
    sample = 'Name;Note\n"Doe, John";"a, b, c"\n"Roe, Ann";"d, e"\n'
    assert sniff.delimiter_of(sample) == ";"


def test_commas_in_a_semicolon_file_do_not_outvote_the_semicolons() -> None:
    sample = "Name;Company;City\nDoe, John;Acme;Bern\nAnn;Widgets, Inc.;Zug\nBob;X;Y\n"
    assert sniff.delimiter_of(sample) == ";"


def test_linkedin_preamble_does_not_decide_the_delimiter() -> None:
    sample = text_of(fixture("linkedin/labeldekho_linkedin-network-intelligence__Connections.csv"))
    assert sniff.delimiter_of(sample) == ","
    assert sniff.delimiter_of("Notes:\nSome text; more text.\n\nA,B,C\n1,2,3\n4,5,6\n") == ","


def test_an_excel_sep_line_decides_the_delimiter() -> None:
    assert sniff.delimiter_of("sep=;\r\nName,Email\r\nAnn,ann@example.com\r\n") == ";"


def test_cr_cr_lf_sample_is_split_into_records() -> None:
    assert sniff.delimiter_of("Name;Email\r\r\nAnn;a@example.com\r\r\n") == ";"
