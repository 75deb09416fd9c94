"""Whether a profile's employer, written as people write it, is a given organisation. Pure
Python.

A candidate types their employer freely: "Acme Ltd", "ACME", "acme.co.uk", "Acme Group plc",
"Acme (UK) Limited". An organisation is known by its name and its verified e-mail domains.
Both sides fold to keys (accents, case, punctuation, spaces, legal suffixes and a trailing
region dropped) and the employer is the organisation when a key is shared. The rule hides a
candidate's "open to work" from their own employer, so it leans towards matching: "Acme UK"
is Acme; "Acme Bank" is not.
"""

import re
import unicodedata

from auth.domains import is_valid_domain

# Words a company's name carries or drops at will ("Acme Ltd" is "Acme", "ACME Inc." too).
LEGAL_SUFFIXES = frozenset({
    "ltd", "limited", "inc", "incorporated", "llc", "llp", "plc", "gmbh", "ag", "sa", "sas",
    "bv", "nv", "co", "corp", "corporation", "company", "group", "holdings", "the", "pty",
})
# Words that, ending a name, say which branch of a company rather than which company
# ("Acme UK", "Acme Europe"): the candidate works for Acme all the same.
REGION_QUALIFIERS = frozenset({
    "uk", "gb", "us", "usa", "eu", "europe", "emea", "apac", "americas", "international",
    "global", "worldwide",
})
# A country's second level in a domain (acme.co.uk, acme.com.au): not the company's name.
SECOND_LEVELS = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc"})


def _words(text: str, *, fold: bool) -> list[str]:
    if fold:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\([^)]*\)", " ", text.lower().replace("&", " and "))  # "(UK)" and the like
    return re.sub(r"[^\w]+" if not fold else r"[^a-z0-9]+", " ", text).replace("_", " ").split()


def name_key(name: str, *, fold: bool = True) -> str:
    """An organisation name as words to compare: accents (unless fold=False), case,
    punctuation, bracketed asides, legal suffixes and a trailing region dropped
    ("Northwind Talent (UK) Ltd." and "northwind talent" give "northwind talent")."""
    words = _words(name or "", fold=fold)
    kept = [word for word in words if word not in LEGAL_SUFFIXES]
    while len(kept) > 1 and kept[-1] in REGION_QUALIFIERS:
        kept.pop()
    return " ".join(kept or words)


def domain_key(domain: str) -> str:
    """The name part of a domain ("northwind-talent.co.uk" gives "northwind talent")."""
    labels = [label for label in (domain or "").lower().split(".") if label]
    if len(labels) >= 3 and labels[-2] in SECOND_LEVELS:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return name_key(labels[-1].replace("-", " ")) if labels else ""


def host_in(text: str) -> str:
    """The domain an employer field names when it is a web or e-mail address
    ("https://www.acme.co.uk/about", "acme.com", "jo@acme.com"), else ''."""
    host = (text or "").strip().lower().rpartition("@")[2]
    host = re.sub(r"^[a-z]+://", "", host).split("/")[0].removeprefix("www.")
    return host if " " not in host and is_valid_domain(host) else ""


def _compact(key: str) -> str:
    return key.replace(" ", "")


def employer_keys(name: str, domains: list[str]) -> frozenset[str]:
    """The keys of an organisation: its name's and each of its domains' (spaces dropped, so
    "Northwind Talent" and northwindtalent.com agree)."""
    keys = {_compact(name_key(name)), *(_compact(domain_key(domain)) for domain in domains)}
    return frozenset(key for key in keys if key)


def keys_of_employer(employer: str) -> frozenset[str]:
    """The keys a profile's employer field stands for: its name's and, when it is written as
    a web or e-mail address, that domain's."""
    return frozenset(key for key in stored_keys(employer) if key)


def is_employer(employer: str, keys: frozenset[str]) -> bool:
    """Whether a profile's employer field names the organisation these keys describe."""
    return bool(keys_of_employer(employer) & keys)



def stored_keys(employer: str) -> tuple[str, str]:
    """A profile's employer as stored for lookups: the key of its name and, when it is
    written as a web or e-mail address, its domain's ('' where there is none)."""
    host = host_in(employer)
    return _compact(name_key(employer or "")), _compact(domain_key(host)) if host else ""
