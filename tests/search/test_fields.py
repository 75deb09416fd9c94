"""The registry of searchable fields: every entry is complete, and a new one needs no other code."""

import dataclasses
import re

import pytest

from referrals.models import Person
from search import documents
from search import fields as registry
from search.engine import Viewer, open_index
from search.fields import FLAG, KEYWORD, TEXT, TEXTS, Facet, Registry, SearchField
from search.query import parse
from search.schema import build_schema, to_fields
from tests.conftest import login

RECRUITER = Viewer(user_id=1, person_id=None, role="recruiter")


def person(pid, **fields):
    """A search document with no registered field filled unless given."""
    doc = {f.name: {TEXT: "", TEXTS: [], FLAG: False}.get(f.kind) for f in
           registry.REGISTRY.fields}
    doc.update({"id": pid, "name": f"Person {pid}", "visibility": "recruiters", "owner": 900,
                "audience": [], "notes": []})
    doc.update(fields)
    return doc


def word_for(field) -> str:
    """A word no other field of the sample holds (letters only, so it survives analysis)."""
    return "Quill" + re.sub(r"[^a-z]", "", field.name)


def sample(field):
    """A value of the field's kind, distinct from every other field's."""
    word = word_for(field)
    return {TEXT: f"{word} craft", TEXTS: [f"{word} craft"], KEYWORD: word, FLAG: True}[
        field.kind]


def facet_value(field):
    """The facet value `sample(field)` files under."""
    value = sample(field)
    return value[0] if field.kind == TEXTS else value


@pytest.fixture
def index(tmp_path):
    ix = open_index(tmp_path / "idx")
    yield ix
    ix.close()


def ids(page):
    return [h.person_id for h in page.hits]


def test_every_registered_field_is_complete(index):
    fields = registry.REGISTRY.fields
    full = person(1, **{f.name: sample(f) for f in fields})
    index.rebuild([full, person(2)])
    indexed, schema = to_fields(full), build_schema()
    everyone = index.search_profiles("", RECRUITER)
    for f in fields:
        assert hasattr(Person, f.attribute), f.name
        if f.searched:
            assert (f.band, f.weight, sample(f)[0] if f.kind == TEXTS else sample(f)) in \
                indexed["all"], f.name
            assert indexed["doc"][f.name], f"{f.name} is not stored for highlights"
            for alias in (f.name, *f.aliases):
                query = f"{alias}:{word_for(f)}"
                parsed = parse(query)
                assert parsed.leaves[0].field == f.name and not parsed.messages, query
                page = index.search_profiles(query, RECRUITER)
                assert ids(page) == [1], query
                if f.highlight:
                    assert f"<mark>{word_for(f)}</mark>" in page.hits[0].highlights[f.name]
            phrase = f'{f.name}:"{word_for(f)} craft"'
            assert ids(index.search_profiles(phrase, RECRUITER)) == [1], phrase
            other = next(g for g in registry.REGISTRY.searched if g is not f)
            for query in (f"{other.name}:{word_for(f)}", f'{other.name}:"{word_for(f)} craft"'):
                assert index.search_profiles(query, RECRUITER).total == 0, query
            assert f.name in index.search_profiles("bogus:x", RECRUITER).message
        if f.facet is not None:
            assert f.facet_field in schema.names(), f.name
            assert (facet_value(f), 1) in everyone.facets[f.name], f.name
            narrowed = index.search_profiles("", RECRUITER, filters={f.name: facet_value(f)})
            assert ids(narrowed) == [1], f.name
        if f.typeahead:
            found = index.typeahead(word_for(f)[:5], RECRUITER)
            assert {"label": facet_value(f), "kind": f.typeahead} in found, f.name


def test_every_registered_field_is_read_from_a_person(app, make):
    user = make.user("candidate", headline="Reward lead", title="Reward Manager",
                     organisation="Acme", location="Leeds", skills="Payroll\nReward",
                     summary="Ten years in reward.", open_to_work=True)
    doc = documents.load_documents([user.person.id])[user.person.id]
    types = {TEXT: str, TEXTS: list, FLAG: bool, KEYWORD: object}
    for f in registry.REGISTRY.fields:
        assert isinstance(doc[f.name], types[f.kind]), f.name
        assert doc[f.name] not in ("", [], None), f"give the sample person a {f.name}"


def test_every_facet_is_shown_and_narrows_the_results_page(app, make):
    a = make.user("candidate", name="Alma Facet", location="Leeds", skills="Payroll",
                  open_to_work=True, visibility="recruiters")
    b = make.user("client", name="Bruno Facet", location="York", skills="Reward",
                  open_to_work=False, visibility="recruiters")
    recruiter = make.user("recruiter")
    browser = app.test_client()
    login(browser, recruiter.email)
    page = browser.get("/search/", query_string={"q": "facet"}).get_data(as_text=True)
    links = {u: f'href="/people/{u.person.id}"' for u in (a, b)}
    assert links[a] in page and links[b] in page
    filed = to_fields(documents.load_documents([a.person.id])[a.person.id])
    for f in registry.REGISTRY.facets:
        assert f"<h3>{f.facet.label}</h3>" in page, f.name
        assert f.facet_field in filed, f"give the sample person a {f.name}"
        value = filed[f.facet_field]
        value = value[0] if isinstance(value, list) else value
        narrowed = browser.get("/search/", query_string={"q": "facet", f.name: value})
        html = narrowed.get_data(as_text=True)
        assert links[a] in html and links[b] not in html, f.name
        assert 'aria-current="true"' in html, f.name


def test_a_field_added_to_the_registry_alone_is_searched_faceted_and_highlighted(
        index, monkeypatch):
    sector = SearchField("sector", "sector", TEXT, weight=2.0, band=7, aliases=("industry",),
                         facet=Facet("Sector"), highlight=True)
    monkeypatch.setattr(registry, "REGISTRY", Registry(registry.FIELDS + (sector,)))
    index.rebuild([person(1, sector="Retail"), person(2, summary="Once worked in retail."),
                   person(3, sector="Health care")])
    page = index.search_profiles("industry:retail", RECRUITER)
    assert ids(page) == [1]
    assert page.hits[0].highlights["sector"] == "<mark>Retail</mark>"
    assert ids(index.search_profiles("retail", RECRUITER)) == [1, 2]  # the weight tells
    assert ids(index.search_profiles('sector:"health care"', RECRUITER)) == [3]
    everyone = index.search_profiles("", RECRUITER)
    assert everyone.facets["sector"] == [("Health care", 1), ("Retail", 1)]
    assert ids(index.search_profiles("", RECRUITER, filters={"sector": ["Retail"]})) == [1]
    assert "sector" in index.search_profiles("bogus:x", RECRUITER).message


def test_a_facet_added_to_the_registry_alone_reaches_the_page_after_a_rebuild(
        app, make, runner, monkeypatch):
    senior = make.user("candidate", name="Sena Years", years_experience=12,
                       visibility="recruiters")
    make.user("candidate", name="Juno Years", years_experience=2, visibility="recruiters")
    recruiter = make.user("recruiter")
    browser = app.test_client()
    login(browser, recruiter.email)
    assert "Years of experience" not in browser.get("/search/?q=years").get_data(as_text=True)
    experience = SearchField("experience", "years_experience", KEYWORD,
                             facet=Facet("Years of experience"))
    monkeypatch.setattr(registry, "REGISTRY", Registry(registry.FIELDS + (experience,)))
    assert "Indexed" in runner.invoke(args=["search", "rebuild"]).output
    page = browser.get("/search/?q=years").get_data(as_text=True)
    assert "<h3>Years of experience</h3>" in page
    narrowed = browser.get("/search/", query_string={"q": "years", "experience": "12"})
    html = narrowed.get_data(as_text=True)
    assert "1 person" in html and f'href="/people/{senior.person.id}"' in html


@pytest.mark.parametrize("change, problem", [
    ({"name": "headline"}, "taken"),
    ({"aliases": ("company",)}, "used twice"),
    ({"aliases": ("notes",)}, "used twice"),
    ({"aliases": ("co-op",)}, "letters or underscores"),
    ({"band": 0}, "share a band"),
    ({"kind": KEYWORD}, "only text"),
    ({"kind": "number"}, "kind"),
    ({"name": "audience"}, "taken"),
    ({"facet": None, "typeahead": "skill"}, "needs a facet"),
    ({"facet": Facet("Sector", index_name="f_location")}, "share an index field"),
])
def test_the_registry_refuses_a_field_that_would_clash(change, problem):
    base = SearchField("sector", "sector", TEXT, weight=2.0, band=7, facet=Facet("Sector"))
    with pytest.raises(ValueError, match=problem):
        Registry(registry.FIELDS + (dataclasses.replace(base, **change),))
