"""E-mail domains and organisation names: which addresses may stand for an organisation, and
whether a profile's employer is an organisation. Pure Python."""

import re
import unicodedata

# Addresses anyone can open: they prove nothing about an employer, so none of them can be an
# organisation's verified domain.
FREE_WEBMAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
    "msn.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "aol.com", "icloud.com", "me.com",
    "mac.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de",
    "mail.com", "zoho.com", "yandex.com", "yandex.ru", "fastmail.com", "hey.com", "tutanota.com",
    "qq.com", "163.com",
})
# Words a company's name carries or drops at will ("Acme Ltd" is "Acme", "ACME Inc." too).
LEGAL_SUFFIXES = frozenset({
    "ltd", "limited", "inc", "incorporated", "llc", "llp", "plc", "gmbh", "ag", "sa", "sas",
    "bv", "nv", "co", "corp", "corporation", "company", "group", "holdings", "the", "pty",
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


def name_key(name: str) -> str:
    """An organisation name folded for comparison: accents, case, punctuation and legal
    suffixes dropped ("Northwind Talent Ltd." and "northwind talent" give the same key)."""
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", folded.lower().replace("&", " and ")).split()
    kept = [word for word in words if word not in LEGAL_SUFFIXES]
    return " ".join(kept or words)


def domain_key(domain: str) -> str:
    """The name part of a domain ("northwind-talent.co.uk" gives "northwind talent")."""
    labels = [label for label in (domain or "").lower().split(".") if label]
    if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "ac", "gov", "net"}:
        labels = labels[:-2]  # a country's second level: co.uk, com.au
    elif len(labels) >= 2:
        labels = labels[:-1]
    return name_key(labels[-1].replace("-", " ")) if labels else ""


def employer_keys(name: str, domains: list[str]) -> frozenset[str]:
    """The keys a profile's employer field may match to be this organisation."""
    keys = {name_key(name), *(domain_key(domain) for domain in domains)}
    return frozenset(key for key in keys if key)


def is_employer(employer: str, keys: frozenset[str]) -> bool:
    """Whether a profile's employer field names the organisation these keys describe."""
    key = name_key(employer)
    return bool(key) and key in keys
