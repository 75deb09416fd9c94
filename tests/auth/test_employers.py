"""Employers written as people write them, matched against an organisation's name and verified
domains (pure, no fixtures)."""

import pytest

from auth.employers import (
    domain_key,
    employer_keys,
    host_in,
    is_employer,
    name_key,
    stored_keys,
)

ACME = employer_keys("Acme", ["acme.com", "acme.co.uk"])


@pytest.mark.parametrize("written", ["Northwind Talent", "northwind talent",
                                     "Northwind Talent Ltd.", "NORTHWIND TALENT LIMITED",
                                     "  Northwind   Talent, Inc ", "Northwind Talent (UK) Ltd",
                                     "Northwind Talent Europe"])
def test_an_organisation_is_the_same_however_its_name_is_written(written):
    assert name_key(written) == "northwind talent"


def test_accents_and_ampersands_are_folded():
    assert name_key("Carter & Vale") == name_key("carter and vale")
    assert name_key("Zoë Ltd") == "zoe"
    assert name_key("Zoë Ltd", fold=False) == "zoë"


def test_a_domain_names_its_organisation():
    assert domain_key("northwind-talent.co.uk") == "northwind talent"
    assert domain_key("acme.com") == "acme"
    assert domain_key("mail.acme.com") == "acme"
    assert domain_key("acme.com.au") == "acme"


def test_an_employer_written_as_an_address_names_its_domain():
    assert host_in("acme.co.uk") == "acme.co.uk"
    assert host_in("https://www.Acme.com/about-us") == "acme.com"
    assert host_in("jo@acme.com") == "acme.com"
    assert host_in("Acme Ltd") == "" and host_in("Acme Ltd.") == ""


@pytest.mark.parametrize("written", ["Acme", "ACME", "Acme Ltd", "Acme Limited", "Acme plc",
                                     "Acme Group plc", "The Acme Company", "Acme, Inc.",
                                     "acme.co.uk", "www.acme.com", "Acme UK", "Acme (UK) Ltd",
                                     "ACME GmbH", "Acme LLC"])
def test_every_way_of_writing_the_employer_is_the_organisation(written):
    assert is_employer(written, ACME)


@pytest.mark.parametrize("written", ["Acme Bank", "Acmeon", "Apex", "", "   ", "Ltd",
                                     "acme-bank.com", "Northwind Acme"])
def test_another_company_sharing_a_word_is_not_the_organisation(written):
    assert not is_employer(written, ACME)


def test_a_name_and_a_domain_written_without_spaces_agree():
    keys = employer_keys("Northwind Talent", ["nwt.example"])
    assert is_employer("NorthwindTalent", keys)
    assert is_employer("nwt.example", keys)
    assert is_employer("Northwind Talent", employer_keys("NWT", ["northwindtalent.com"]))
    assert not is_employer("NWT Bank", keys)


@pytest.mark.parametrize("name, domains, written", [
    ("Acme", ["acme.co.uk"], "Acme Group plc"),
    ("Acme", ["acme.co.uk"], "https://www.acme.co.uk/"),
    ("Carter & Vale", [], "Carter and Vale LLP"),
    ("Carter & Vale", [], "CARTER & VALE"),
    ("Northwind Talent", ["northwindtalent.com"], "North-Wind Talent Ltd"),
    ("NWT", ["northwind-talent.com"], "Northwind Talent"),
    ("Zoë Ltd", [], "Zoë"),
    ("Zoë Ltd", [], "Zoe Ltd"),
    ("The Acme Company", [], "Acme"),
    ("McDonald's", [], "McDonalds"),
])
def test_the_stored_keys_find_every_match(name, domains, written):
    """search.services looks employers up by their stored keys: every match must share one."""
    assert is_employer(written, employer_keys(name, domains))
    assert set(stored_keys(written)) & employer_keys(name, domains)
