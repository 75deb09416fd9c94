"""E-mail domains: which addresses may stand for an organisation. Pure Python (whether a
profile's employer is an organisation: auth/employers.py)."""

import re

# Addresses anyone can open: they prove nothing about an employer, so none of them can be an
# organisation's verified domain.
FREE_WEBMAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
    "msn.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "aol.com", "icloud.com", "me.com",
    "mac.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de",
    "mail.com", "zoho.com", "yandex.com", "yandex.ru", "fastmail.com", "hey.com", "tutanota.com",
    "qq.com", "163.com",
})
_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def domain_of(email: str) -> str:
    """The domain of an address, lower case ('' when it has none)."""
    _, at, domain = (email or "").strip().lower().rpartition("@")
    return domain if at else ""


def is_free_webmail(domain: str) -> bool:
    """Whether a domain is an address anyone can open (gmail.com, outlook.com, ...)."""
    return domain.strip().lower() in FREE_WEBMAIL


def is_valid_domain(domain: str) -> bool:
    """Whether a string is a plain DNS domain name (letters, digits, hyphens, dots)."""
    return bool(_DOMAIN.match(domain or ""))

