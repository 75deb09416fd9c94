"""The search box: a results page with facets and pagination, and typeahead suggestions."""

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from auth import limits
from auth.validators import without_control_characters
from extensions import utcnow
from referrals.kinds import ROLES
from referrals.network import dashboard as network
from search import fields as registry
from search import page as results_page
from search import services
from search.fields import FLAG

bp = Blueprint("search", __name__, url_prefix="/search")

MAX_PAGE = 1_000_000  # larger numbers mean "the last page" too (results stop at 1,000)
SORTS = {"relevance": "Relevance", "trust": "My trust with them", "last_contact": "Last contact"}


def _filters() -> dict:
    """The facet values chosen in the query string: up to 10 per facet; yes/no for a flag."""
    facets = registry.REGISTRY.facets
    filters = {f.name: [v[:200] for v in request.args.getlist(f.name) if v][:10]
               for f in facets if f.kind != FLAG}
    for f in facets:
        if f.kind == FLAG and request.args.get(f.name) in ("true", "false"):
            filters[f.name] = request.args[f.name] == "true"
    return {k: v for k, v in filters.items() if v not in ([], None)}


@bp.route("/")
@limits.search
@login_required
def results():
    """Signed-in users: people they may see, ranked, with why they matched."""
    query = without_control_characters(request.args.get("q", ""))[:10_000]
    sort = request.args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    # Any page number past the end (however large) shows the last page, and the page says so.
    page = request.args.get("page", "1").strip()
    if page.isascii() and page.isdigit():
        page = MAX_PAGE if len(page) > 7 else min(int(page), MAX_PAGE)  # no 5,000-digit ints
    else:
        page = 1
    exact = request.args.get("exact") == "1"
    sort_values = None
    if sort != "relevance":
        sort_values = network.sort_values_for(current_user.person.id, sort, utcnow().date())
    filters = _filters()
    found = services.search_people(current_user, query, filters, page,
                                   "relevance" if sort == "relevance" else "values",
                                   sort_values, exact)
    hits = found.page.hits if found.page else []
    cards = results_page.cards(hits, services.card_rows([hit.person_id for hit in hits]),
                               found.open_hidden, _person_href())
    facet_groups = results_page.facet_groups(
        registry.REGISTRY.facets, found.page.facets if found.page else {}, filters,
        {"q": query, "sort": sort}, url_for("search.results"), {"role": dict(ROLES)})
    return render_template("search/results.html", query=query, found=found, cards=cards,
                           page=found.page, sort=sort, sorts=SORTS, exact=exact,
                           filters=filters, facet_groups=facet_groups,
                           # the filters as URL values (flags as true/false)
                           filter_args={k: str(v).lower() if isinstance(v, bool) else v
                                        for k, v in filters.items()},
                           narrowable=bool(filters) or bool(facet_groups),
                           # recruiters also see every profile shown to all recruiters
                           recruiter_standing=current_user.role == "recruiter")


def _person_href():
    """person id -> its page's URL, built once per request rather than once per card."""
    template = url_for("people.show", person_id=0)
    head, tail = template.rsplit("/0", 1)
    return lambda person_id: f"{head}/{person_id}{tail}"


@bp.route("/typeahead")
@limits.typeahead
@login_required
def typeahead():
    """Signed-in users: names and skills starting with what they typed (JSON)."""
    prefix = without_control_characters(request.args.get("q", ""))[:100]
    suggestions, rebuilding = services.typeahead(current_user, prefix) if prefix else ([], False)
    answer = {"suggestions": suggestions}
    if rebuilding:  # the box says so under the suggestions (static/typeahead.js)
        answer.update(rebuilding=True, notice=services.REBUILDING)
    return jsonify(answer)
