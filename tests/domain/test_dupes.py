"""The LinkedIn profile key: its fast path for the stored URL form agrees with the regex."""

from hypothesis import given
from hypothesis import strategies as st

from relcli.domain import dupes


def _by_regex(url: str) -> str | None:
    found = dupes._LINKEDIN.match(url.strip())
    return f"linkedin.com/in/{found.group(1).lower()}" if found else None


SLUG = st.text(alphabet="aZ09-_%é/?# .", max_size=12)


@given(slug=SLUG, pad=st.sampled_from(["", " ", "\t", "  "]))
def test_the_usual_form_gives_what_the_regex_gives(slug: str, pad: str) -> None:
    url = f"{pad}https://www.linkedin.com/in/{slug}{pad}"
    assert dupes.linkedin_key(url) == _by_regex(url)


def test_keys_of_the_forms_people_paste() -> None:
    assert (
        dupes.linkedin_key("https://www.linkedin.com/in/Ann-Lee/?trk=x")
        == "linkedin.com/in/ann-lee"
    )
    assert dupes.linkedin_key("http://de.linkedin.com/in/ann-lee") == "linkedin.com/in/ann-lee"
    assert dupes.linkedin_key("linkedin.com/in/ann-lee#about") == "linkedin.com/in/ann-lee"
    assert dupes.linkedin_key("https://www.linkedin.com/in/") is None
    assert dupes.linkedin_key("https://www.linkedin.com/company/acme") is None
    assert dupes.linkedin_key("https://example.com/in/ann") is None
    assert dupes.linkedin_key(None) is None


def test_identity_keys() -> None:
    who = dupes.identity("José  Núñez", "ACME Inc", ["Jo@Acme.io"], ["+1 415 555 0100", "12"],
                         "https://www.linkedin.com/in/JoseN", "US")  # fmt: skip
    assert (who.name_key, who.company_key, who.block) == (
        "jose nunez",
        "acme inc",
        "acme inc|nunez",
    )
    assert who.emails == {"jo@acme.io"}
    assert who.phones == {"+14155550100"}  # '12' is too short to identify anyone
    assert who.profile == "linkedin.com/in/josen"
    alone = dupes.identity("Ann", None, [], [], None, None)
    assert (alone.company_key, alone.block, alone.emails, alone.phones) == ("", "", set(), set())
