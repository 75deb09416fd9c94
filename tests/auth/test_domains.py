"""E-mail domains: which may stand for an organisation (pure, no fixtures)."""

from auth.domains import domain_of, is_free_webmail, is_valid_domain


def test_free_webmail_and_malformed_domains():
    assert is_free_webmail("gmail.com") and is_free_webmail("Outlook.com")
    assert not is_free_webmail("northwind.example")
    assert domain_of("Pat@Northwind.Example") == "northwind.example"
    assert domain_of("no-at-sign") == ""
    assert is_valid_domain("northwind.example")
    assert not is_valid_domain("northwind") and not is_valid_domain("a..b.com")
