"""E-mail domains and organisation names, compared as people write them (pure, no fixtures)."""

import pytest

from auth.domains import (
    domain_key,
    domain_of,
    employer_keys,
    is_employer,
    is_free_webmail,
    is_valid_domain,
    name_key,
)


@pytest.mark.parametrize("written", ["Northwind Talent", "northwind talent",
                                     "Northwind Talent Ltd.", "NORTHWIND TALENT LIMITED",
                                     "  Northwind   Talent, Inc "])
def test_an_organisation_is_the_same_however_its_name_is_written(written):
    assert name_key(written) == "northwind talent"


def test_accents_and_ampersands_are_folded():
    assert name_key("Carter & Vale") == name_key("carter and vale")
    assert name_key("Zoë Ltd") == "zoe"


def test_a_domain_names_its_organisation():
    assert domain_key("northwind-talent.co.uk") == "northwind talent"
    assert domain_key("acme.com") == "acme"
    assert domain_key("mail.acme.com") == "acme"


def test_employer_matches_by_name_or_domain_but_not_by_a_shared_word():
    keys = employer_keys("Ashford Logistics", ["ashford-logistics.example"])
    assert is_employer("Ashford Logistics Ltd", keys)
    assert is_employer("ashford logistics", keys)
    assert not is_employer("Ashford Bank", keys)
    assert not is_employer("", keys)


def test_free_webmail_and_malformed_domains():
    assert is_free_webmail("gmail.com") and is_free_webmail("Outlook.com")
    assert not is_free_webmail("northwind.example")
    assert domain_of("Pat@Northwind.Example") == "northwind.example"
    assert domain_of("no-at-sign") == ""
    assert is_valid_domain("northwind.example")
    assert not is_valid_domain("northwind") and not is_valid_domain("a..b.com")
