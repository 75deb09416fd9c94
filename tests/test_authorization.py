"""Who may reach what: every route, for every kind of visitor, against own, others' and missing
records, checked against one table of decided outcomes; and private words never leak."""

import io
import uuid
import zipfile
from dataclasses import dataclass
from itertools import product

import pytest
from werkzeug.exceptions import HTTPException

from extensions import db
from referrals.models import Person
from tests import cv_samples
from tests.authorization_world import (
    ACCEPTED,
    ACTORS,
    ANONYMOUS,
    APPLICATIONS,
    CLAIMED,
    DECISIONS,
    DUPLICATES,
    ENTRIES,
    IMPORT_FILE,
    INTERACTION_FORM,
    NARROWER,
    OPENINGS,
    OWNER,
    PROFILE_TEXT_FIELDS,
    RANKED,
    RECOMMENDATIONS,
    RELS,
    ROLE,
    TARGETS,
    VISIBLE,
    WITH_CV,
    World,
    _plant_profile_markers,
    build_world,
)
from tests.conftest import PASSWORD, database_rows, post

# --- Outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """A response status, whether the request changes the database, and a bounce to sign in."""

    status: int
    writes: bool = False
    to_login: bool = False


SHOWN, AWAY, DONE = Expect(200), Expect(302), Expect(302, writes=True)
LINK = Expect(200, writes=True)  # the invitation link page
INVALID, FORBIDDEN, HIDDEN, REFUSED = Expect(400), Expect(403), Expect(404), Expect(409)
LOGIN = Expect(302, to_login=True)


def always(outcome):
    """The same outcome for every visitor and target."""
    return lambda actor, target: outcome


def public(*, anonymous, signed_in):
    """One outcome for visitors who are not signed in, another for those who are."""
    return lambda actor, target: anonymous if actor in ANONYMOUS else signed_in


def signed_in(rule):
    """Anonymous and disabled visitors are sent to sign in; the rule decides for the rest."""
    return lambda actor, target: LOGIN if actor in ANONYMOUS else rule(actor, target)


def recruiters_only_rule(rule):
    """Other roles are refused whatever the target; for recruiters the rule decides."""
    return signed_in(lambda actor, target: rule(actor, target) if ROLE[actor] == "recruiter"
                     else FORBIDDEN)


def recruiters_only(outcome):
    """Recruiters get the outcome; other roles are refused whatever the target."""
    return recruiters_only_rule(always(outcome))


def profile_page(actor, target):
    """A profile is shown to whom its visibility allows; to others it does not exist. A
    merged-away record's page leads to the record it was merged into, for those who see that."""
    if target == "merged":
        return AWAY if "contact_r1" in VISIBLE[actor] else HIDDEN
    return SHOWN if target in VISIBLE[actor] else HIDDEN


def owner_only(outcome):
    """The record's owner gets the outcome; others who can see it are refused; the rest 404."""

    def rule(actor, target):
        if target not in VISIBLE[actor]:
            return HIDDEN
        return outcome if OWNER[target] == actor else FORBIDDEN

    return signed_in(rule)


def invite(actor, target):
    """Only a recruiter keeping an unclaimed contact can make an invitation link."""
    if ROLE[actor] != "recruiter":
        return FORBIDDEN
    if target not in VISIBLE[actor]:
        return HIDDEN
    if OWNER[target] != actor:
        return FORBIDDEN
    return REFUSED if target in CLAIMED else LINK


def merge(actor, target):
    """The owner merges a record with the same e-mail; a record without one is refused."""
    if target not in VISIBLE[actor]:
        return HIDDEN
    if OWNER[target] != actor:
        return FORBIDDEN
    return DONE if target in DUPLICATES else INVALID


def connect(actor, target):
    """Ask to connect with a claimed profile one can see, unless already connected."""
    if target not in VISIBLE[actor]:
        return HIDDEN
    if OWNER[target] == actor or target not in CLAIMED:
        return REFUSED
    return REFUSED if frozenset({actor, OWNER[target]}) in ACCEPTED else DONE


def claim_page(actor, target):
    """In a browser that opened the live link (r2's invitation of c2's address): anyone not
    signed in may ask for an account there, the owner of the address claims, others are
    refused (403)."""
    return SHOWN if actor in ANONYMOUS or actor == "c2" else FORBIDDEN


def claim(actor, target):
    """Asking for an account (answered alike whether the address has one; its owner is
    mailed) and the address's owner claiming both write; anyone else is refused."""
    return DONE if actor in ANONYMOUS or actor == "c2" else FORBIDDEN


def relationship_rule(*, party, unless=None):
    """Parties get `party` (or `unless(rel, actor)` when it gives one); others get 404."""

    def rule(actor, target):
        rel = RELS.get(target)
        if rel is None or actor not in rel.parties:
            return HIDDEN
        return (unless and unless(rel, actor)) or party

    return signed_in(rule)


def not_yet_accepted(rel, actor):
    """Nothing is logged until a connection is accepted."""
    return REFUSED if rel.status != "accepted" else None


def not_the_asked_side(rel, actor):
    """Only the asked side answers, and only while the request is pending."""
    return REFUSED if rel.status != "pending" or rel.asked_by == actor else None


def entry_rule(*, logger, other_side, once_answered=None):
    """The logger and the other party of an interaction get their outcomes; the rest 404."""

    def rule(actor, target):
        entry = ENTRIES.get(target)
        if entry is None or actor not in RELS[entry.rel].parties:
            return HIDDEN
        if actor == entry.logger:
            return logger
        if once_answered is not None and entry.status != "pending":
            return once_answered
        return other_side

    return signed_in(rule)


def opening_page(*, owner, client=HIDDEN):
    """The recruiter who owns an opening gets `owner`, its client `client`; the rest 404."""

    def rule(actor, target):
        if target not in OPENINGS:
            return HIDDEN
        return owner(target) if actor == "r2" else client if actor == "cl" else HIDDEN

    return signed_in(rule)


def own_opening(outcome):
    """Recruiters only; the owner gets the outcome for their openings, other recruiters 404."""
    return recruiters_only_rule(lambda actor, target: outcome(target)
                                if actor == "r2" and target in OPENINGS else HIDDEN)


def person_in_opening(outcome):
    """The owner acts on someone ranked for their opening; anyone else is not there (404)."""

    def rule(actor, target):
        opening, person = target
        if actor != "r2" or opening not in OPENINGS:
            return HIDDEN
        return outcome(opening) if person in RANKED else HIDDEN

    return recruiters_only_rule(rule)


def consent(actor, target):
    """Only the candidate asked answers a consent request; candidates asked nothing get 404."""
    if ROLE[actor] != "candidate":
        return FORBIDDEN
    _answer, decision = target
    return DONE if DECISIONS.get(decision) == actor else HIDDEN


TABLE = {
    # the same "check your e-mail" page for a new or a taken address; nobody is signed in
    "auth.register": {"GET": public(anonymous=SHOWN, signed_in=AWAY),
                      "POST": public(anonymous=LINK, signed_in=AWAY)},
    "auth.login": {"GET": public(anonymous=SHOWN, signed_in=AWAY),
                   # a disabled account's right password is refused like a wrong one
                   "POST": lambda actor, target: {"anon": DONE, "dis": INVALID}.get(actor, AWAY)},
    "auth.logout": {"POST": signed_in(always(DONE))},
    "auth.change_password": {"GET": signed_in(always(SHOWN)), "POST": signed_in(always(DONE))},
    # the link's token is used once, then the browser goes on to /claim without it
    "claims.open": {"GET": lambda actor, target: AWAY if target == "live" else HIDDEN},
    "claims.claim": {"GET": claim_page, "POST": claim},
    "claims.sent": {"GET": always(SHOWN)},
    # sessions: each user's own; c1 has a second one (sess_c1), which only c1 may end
    "sessions.index": {"GET": signed_in(always(SHOWN))},
    "sessions.end": {"POST": signed_in(lambda actor, target:
                                       DONE if (actor, target) == ("c1", "sess_c1") else HIDDEN)},
    "sessions.end_others": {"POST": signed_in(lambda actor, target:
                                              DONE if actor == "c1" else AWAY)},
    "dashboard.index": {"GET": always(SHOWN)},
    "people.new": {"GET": recruiters_only(SHOWN), "POST": recruiters_only(DONE)},
    "people.me": {"GET": signed_in(always(AWAY))},
    "people.show": {"GET": signed_in(profile_page)},
    "people.edit": {"GET": owner_only(SHOWN), "POST": owner_only(DONE)},
    "people.invite": {"POST": signed_in(invite)},
    "people.merge": {"GET": owner_only(SHOWN), "POST": signed_in(merge)},
    "people.connect": {"POST": signed_in(connect)},
    "history.show": {"GET": relationship_rule(party=SHOWN)},
    "history.log": {"POST": relationship_rule(party=DONE, unless=not_yet_accepted)},
    "history.cadence": {"POST": relationship_rule(party=DONE)},
    "history.accept": {"POST": relationship_rule(party=DONE, unless=not_the_asked_side)},
    "history.decline": {"POST": relationship_rule(party=DONE, unless=not_the_asked_side)},
    "history.edit": {"GET": entry_rule(logger=SHOWN, other_side=FORBIDDEN),
                     "POST": entry_rule(logger=DONE, other_side=FORBIDDEN)},
    "history.confirm": {"POST": entry_rule(logger=REFUSED, other_side=DONE,
                                           once_answered=REFUSED)},
    "history.dispute": {"POST": entry_rule(logger=REFUSED, other_side=DONE,
                                           once_answered=REFUSED)},
    "history.remove": {"POST": entry_rule(logger=DONE, other_side=FORBIDDEN)},
    "openings.index": {"GET": signed_in(lambda actor, target: FORBIDDEN
                                        if ROLE[actor] == "candidate" else SHOWN)},
    # r1 has no client in their network, so the client r2 posts is not one of r1's choices
    "openings.new": {"GET": recruiters_only(SHOWN),
                     "POST": recruiters_only_rule(lambda actor, target:
                                                  DONE if actor == "r2" else INVALID)},
    "openings.edit": {"GET": own_opening(lambda opening: SHOWN),
                      "POST": own_opening(lambda opening: DONE)},
    "openings.show": {"GET": opening_page(owner=lambda opening: SHOWN, client=SHOWN)},
    "openings.close": {"POST": own_opening(lambda opening:
                                           DONE if opening == "op_r2" else AWAY)},
    "openings.reopen": {"POST": own_opening(lambda opening:
                                            DONE if opening == "op_closed" else AWAY)},
    # shortlisting or dismissing on a closed opening is allowed (the page hides the buttons)
    "openings.shortlist": {"POST": person_in_opening(lambda opening: DONE)},
    "openings.dismiss": {"POST": person_in_opening(lambda opening: DONE)},
    "openings.recommend": {"POST": person_in_opening(lambda opening:
                                                     DONE if opening == "op_r2" else REFUSED)},
    "openings.consent": {"POST": signed_in(consent)},
    # results and suggestions are scoped inside the index (tests/search/test_search_pages.py)
    "search.results": {"GET": signed_in(always(SHOWN))},
    "search.typeahead": {"GET": signed_in(always(SHOWN))},
}


# --- The pipeline (issue 12): a recommendation is its recruiter's and, once sent, its client's;
# everyone else finds nothing there (404), candidates are refused (403).
def recommendation(*, recruiter, client, unsent=None):
    """r2 gets `recruiter`, cl gets `client` on what was sent to them; the rest 404."""

    def rule(actor, target):
        if ROLE[actor] == "candidate":
            return FORBIDDEN
        if target in RECOMMENDATIONS:
            return recruiter if actor == "r2" else client if actor == "cl" else HIDDEN
        if target in DECISIONS and actor == "r2":
            return unsent or recruiter  # asked, not sent: the recruiter's alone
        return HIDDEN

    return signed_in(rule)


TABLE.update({
    # the client's first visit marks the recommendation opened (the vouch is then fixed)
    "pipeline.recommendation": {"GET": recommendation(recruiter=SHOWN, client=LINK)},
    "pipeline.vouch": {"POST": recruiters_only_rule(
        lambda actor, target: DONE if actor == "r2" and target != "missing" else HIDDEN)},
    "pipeline.move": {"POST": recommendation(recruiter=DONE, client=DONE, unsent=REFUSED)},
    "pipeline.write": {"POST": recommendation(recruiter=DONE, client=DONE, unsent=REFUSED)},
    "pipeline.opportunities": {"GET": signed_in(lambda actor, target:
                                                SHOWN if ROLE[actor] == "candidate"
                                                else FORBIDDEN)},
})
BODIES_PIPELINE = {
    "pipeline.vouch": lambda *_: {"vouch": "Known them for ten years."},
    "pipeline.move": lambda *_: {"stage": "interview", "note": "Tuesday?"},
    "pipeline.write": lambda *_: {"body": "Are they open to hybrid work?"},
}
# --- end of the pipeline ----------------------------------------------------------------------
# --- Mail (issue 10): its routes, what their URL arguments point at (their TARGETS are in
# tests/authorization_world.py, with the links themselves), and what POSTs carry ----
# (kept together so that merging with other branches' table entries stays easy)


def live_link(outcome):
    """A mailed link works for whoever holds it, signed in or not; a forged one is not there."""
    return lambda actor, target: HIDDEN if target == "forged" else outcome


TABLE.update({
    # c1's address is verified already: following the link again changes nothing
    "account.verify": {"GET": live_link(AWAY)},
    "account.resend": {"POST": signed_in(always(AWAY))},  # everyone here is verified
    "account.forgot": {"GET": public(anonymous=SHOWN, signed_in=AWAY),
                       "POST": public(anonymous=DONE, signed_in=AWAY)},
    "account.reset": {"GET": live_link(SHOWN), "POST": live_link(DONE)},
    "mail.settings": {"GET": signed_in(always(SHOWN)), "POST": signed_in(always(DONE))},
    "mail.change_email": {"POST": signed_in(always(DONE))},
    "mail.calendar_renew": {"POST": signed_in(always(DONE))},
    # only r2 has a calendar feed to turn off
    "mail.calendar_stop": {"POST": signed_in(lambda actor, target:
                                             DONE if actor == "r2" else AWAY)},
    "mail.calendar_feed": {"GET": live_link(SHOWN)},
    "mail.unsubscribe": {"GET": live_link(SHOWN), "POST": live_link(LINK)},
    "dev.mail": {"GET": always(SHOWN)},  # registered in development and tests only
})


MAIL_BODIES = {
    "account.forgot": lambda world, *_: {"email": world.emails["c1"]},
    "account.reset": lambda *_: {"password": "a new sturdy passphrase 7",
                                 "confirm": "a new sturdy passphrase 7"},
    "mail.settings": lambda *_: {"entries": "y", "digest_day": "3",
                                 "timezone": "Europe/London"},
    "mail.change_email": lambda *_: {"email": f"moved-{uuid.uuid4().hex[:8]}@example.com",
                                     "password": PASSWORD},
}
# --- end of mail block -----------------------------------------------------------------------

# --- Imports, exports and deletion (issue 14): r1 has a batch in preview, one awaiting its column
# mapping, and one imported (built in tests/authorization_world.py). Batches are their owner's
# alone (404); exports have no argument, each user takes their own.


def own_batch(outcomes: dict):
    """Recruiters only; r1 gets the outcome for their batch by its state, others 404."""
    return recruiters_only_rule(lambda actor, target: outcomes[target]
                                if actor == "r1" and target in outcomes else HIDDEN)


def delete_person(outcome):
    """Recruiters keeping an unclaimed record get the outcome; claimed ones are refused."""

    def rule(actor, target):
        if ROLE[actor] != "recruiter":
            return FORBIDDEN
        if target not in VISIBLE[actor]:
            return HIDDEN
        if OWNER[target] != actor:
            return FORBIDDEN
        return REFUSED if target in CLAIMED else outcome

    return rule


TABLE.update({
    "imports.upload": {"GET": recruiters_only(SHOWN), "POST": recruiters_only(DONE)},
    "imports.show": {"GET": own_batch(dict.fromkeys(("batch_r1", "batch_r1_map",
                                                     "batch_r1_done"), SHOWN))},
    "imports.map_columns": {"POST": own_batch({"batch_r1": REFUSED, "batch_r1_map": DONE,
                                               "batch_r1_done": REFUSED})},
    "imports.run": {"POST": own_batch({"batch_r1": DONE, "batch_r1_map": REFUSED,
                                       "batch_r1_done": REFUSED})},
    "imports.discard": {"POST": own_batch({"batch_r1": DONE, "batch_r1_map": DONE,
                                           "batch_r1_done": REFUSED})},
    "imports.undo": {"POST": own_batch({"batch_r1": REFUSED, "batch_r1_map": REFUSED,
                                        "batch_r1_done": DONE})},
    # exports: each signed-in user takes their own data; nothing of others' to point at
    "exports.index": {"GET": signed_in(always(SHOWN))},
    "exports.as_json": {"GET": signed_in(always(SHOWN))},
    "exports.as_csv": {"GET": signed_in(always(SHOWN))},
    "exports.as_vcard": {"GET": signed_in(always(SHOWN))},
    # deleting a person: the recruiter keeping an unclaimed record; claimed ones are refused
    "erasure.delete_person": {"GET": signed_in(delete_person(SHOWN)),
                              "POST": signed_in(delete_person(DONE))},
    # deleting one's own account: every signed-in user, for their own account only
    "erasure.delete_account": {"GET": signed_in(always(SHOWN)), "POST": signed_in(always(DONE))},
})


# --- Standing (issue 15): applying, deciding applications, the administrator's page ---------


def decide_application(actor, target):
    """A site administrator decides any application; an organisation's admin those to their
    organisation; to everyone else no application exists (404)."""
    if target not in APPLICATIONS:
        return HIDDEN
    return DONE if actor == "ad" or APPLICATIONS[target] == actor else HIDDEN


def site_admin_only(rule):
    """The site administrator gets the rule's outcome; everyone else is refused (403)."""
    return signed_in(lambda actor, target: rule(actor, target) if actor == "ad" else FORBIDDEN)


TABLE.update({
    "standing.apply": {"GET": signed_in(always(SHOWN)),
                       # c1 and c2 have applied already, the rest have standing; only the
                       # administrator (a person at a domain nobody registered) may propose
                       "POST": signed_in(lambda actor, target:
                                         DONE if actor == "ad" else REFUSED)},
    "standing.applications": {"GET": signed_in(lambda actor, target: SHOWN
                                               if actor in ("ad", "r1", "r2") else FORBIDDEN)},
    "standing.approve": {"POST": signed_in(decide_application)},
    "standing.refuse": {"POST": signed_in(decide_application)},
    "admin.index": {"GET": site_admin_only(always(SHOWN))},
    "admin.suspend": {"POST": site_admin_only(lambda actor, target: {
        "u_c2": DONE, "u_sus": REFUSED}.get(target, HIDDEN))},
    "admin.restore": {"POST": site_admin_only(lambda actor, target: {
        "u_c2": REFUSED, "u_sus": DONE}.get(target, HIDDEN))},
})
BODIES_STANDING = {"standing.apply": lambda *_: {"name": "Fresh Firm", "kind": "recruiting firm"}}


def manage_organisation(outcome):
    """The site administrator manages every organisation, r1 and r2 their own (only r1's is a
    target); other admins find no such organisation (404); the rest are refused (403)."""
    def rule(actor, target):
        organisation = target[1] if isinstance(target, tuple) else target
        if actor not in ("ad", "r1", "r2"):
            return FORBIDDEN
        if organisation == "missing" or not (actor == "ad" or organisation == "org_r1"
                                             and actor == "r1"):
            return HIDDEN
        return outcome(target) if callable(outcome) else outcome

    return signed_in(rule)


def confirm_domain(outcome):
    """A mailed link works for the admin who asked (r1); a forged one for nobody (400)."""
    return signed_in(lambda actor, target: INVALID if target == "forged"
                     else outcome if actor == "r1" else FORBIDDEN)


TABLE.update({
    "organisations.domains": {"GET": manage_organisation(SHOWN)},
    # r1 is mailed a link (a message queued); the site administrator adds the domain at once
    "organisations.add_domain": {"POST": manage_organisation(DONE)},
    # (domain, organisation): only r1's second domain belongs to r1's firm
    "organisations.remove_domain": {"POST": manage_organisation(
        lambda target: DONE if target == ("dom_r1_extra", "org_r1") else HIDDEN)},
    "organisations.confirm_domain": {"GET": confirm_domain(SHOWN), "POST": confirm_domain(DONE)},
})
BODIES_STANDING["organisations.add_domain"] = lambda *_: {
    "domain": (domain := f"added-{uuid.uuid4().hex[:8]}.example"), "address": f"it@{domain}"}
# --- CVs (issue 12): downloaded by whoever may read the profile; changed by its keeper ------


def cv_download(actor, target):
    """A CV is there for whom the profile is; a profile without one has none to give (404)."""
    return SHOWN if target in VISIBLE[actor] and target in WITH_CV else HIDDEN


def cv_remove(actor, target):
    """The keeper removes the CV; with none there, they are sent back to the profile."""
    if target not in VISIBLE[actor]:
        return HIDDEN
    if OWNER[target] != actor:
        return FORBIDDEN
    return DONE if target in WITH_CV else AWAY


TABLE.update({
    "cvs.download": {"GET": signed_in(cv_download)},
    "cvs.upload": {"POST": owner_only(DONE)},
    "cvs.remove": {"POST": signed_in(cv_remove)},
})
# --- end of CVs ------------------------------------------------------------------------------
# --- Pages at scale (issue 13): the lists of the dashboard in full, and "confirm all" ---------


def entries_waiting(rel, actor):
    """Confirm all: done when the other party logged entries still pending, else nothing to
    do (back to the dashboard, nothing written)."""
    waiting = any(entry.rel == name and entry.logger != actor and entry.status == "pending"
                  for entry in ENTRIES.values() for name, r in RELS.items() if r is rel)
    # Recommending contact_r2 to cl logged a referral r2 -> cl that waits for cl's answer.
    waiting = waiting or (rel is RELS.get("rel_r2_cl") and actor == "cl")
    return None if waiting else AWAY


TABLE.update({
    "dashboard.losing_touch": {"GET": signed_in(always(SHOWN))},
    "dashboard.waiting": {"GET": signed_in(always(SHOWN))},
    "dashboard.confirm_all": {"POST": relationship_rule(party=DONE, unless=entries_waiting)},
})
# --- end of pages at scale -------------------------------------------------------------------


def page_text(response) -> str:
    """What a response shows: its text, or the text of every file in a zip it downloads."""
    if response.mimetype != "application/zip":
        return response.get_data(as_text=True)
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


# --- end of imports, exports and deletion -----------------------------------------------------
ROUTES = [(endpoint, method) for endpoint, methods in TABLE.items() for method in methods]


@pytest.fixture(scope="module")
def built_worlds() -> list:
    """The module's first world, kept so that later tests start from a copy of it."""
    return []


@pytest.fixture
def world(app, make, built_worlds) -> World:
    """The seven visitors' world: built once per module, copied into each test's database."""
    if built_worlds and built_worlds[0].image is not None:
        return built_worlds[0].copy_into(app, make)
    built_worlds[:] = [build_world(app, make)]
    return built_worlds[0]


# --- What each POST carries ------------------------------------------------------------------


def _new_account(world, actor, target):
    email = f"new-{uuid.uuid4().hex[:12]}@example.com"
    return {"name": "Nadia Field", "email": email,
            "password": "a sturdy passphrase 42", "confirm": "a sturdy passphrase 42"}


def _sign_in(world, actor, target):
    return {"email": world.emails["dis" if actor == "dis" else "c1"], "password": PASSWORD}


def _claim(world, actor, target):
    if actor in ANONYMOUS:
        return {"name": "Nadia Field", "password": "a sturdy passphrase 42",
                "confirm": "a sturdy passphrase 42"}
    return {"visibility": "connections"}


def _profile(world, actor, target):
    """The record's own values sent back as the edit form does, so nobody's visibility changes."""
    person = db.session.get(Person, world.ids[target]) or Person(name="Someone",
                                                                visibility="recruiters")
    return {name: getattr(person, name) or "" for name in PROFILE_TEXT_FIELDS}


def _merge(world, actor, target):
    return {"duplicate_id": world.ids[DUPLICATES.get(target, "contact_r1_dup")]}


def _opening(world, actor, target):
    """Every field of the opening form, as a browser sends it."""
    return {"client_id": world.ids["p_cl"], "title": "Senior People Partner", "min_years": "",
            **dict.fromkeys(("organisation", "location", "must_skills", "nice_skills",
                             "qualifications", "description"), "")}


BODIES = {
    "auth.register": _new_account,
    "auth.login": _sign_in,
    "auth.change_password": lambda *_: {"current": PASSWORD,
                                        "password": "a new sturdy passphrase 7",
                                        "confirm": "a new sturdy passphrase 7"},
    "claims.claim": _claim,
    "people.new": lambda *_: {"name": "Fresh Contact", "role": "candidate"},
    "people.edit": _profile,
    "people.merge": _merge,
    "history.log": lambda *_: INTERACTION_FORM,
    "history.edit": lambda *_: INTERACTION_FORM,
    "history.cadence": lambda *_: {"cadence_days": "30"},
    "history.dispute": lambda *_: {"reason": "That is not what happened."},
    "openings.new": _opening,
    "openings.edit": _opening,
    "openings.dismiss": lambda *_: {"reason": "Wants a shorter commute."},
    **MAIL_BODIES,
    **BODIES_PIPELINE,
}
BODIES.update({  # imports (issue 14)
    "imports.upload": lambda *_: {"file": (io.BytesIO(IMPORT_FILE), "Connections.csv")},
    "imports.map_columns": lambda *_: {"name": "Who", "organisation": "Firm", **dict.fromkeys(
        ("first_name", "last_name", "email", "title", "url", "connected_on"), "")},
    "imports.run": lambda *_: {"role": "candidate"},
    "erasure.delete_account": lambda *_: {"password": PASSWORD, "understood": "y"},
    **BODIES_STANDING,
    "cvs.upload": lambda *_: {"file": (io.BytesIO(cv_samples.pdf()), "cv.pdf")},
})

# --- Checking --------------------------------------------------------------------------------


def changed_tables(before: dict, after: dict) -> list[str]:
    """The names of the tables whose rows differ."""
    return sorted(name for name in after if before.get(name) != after[name])


def send(world: World, endpoint: str, method: str, actor: str, target: str | None):
    """Make the visitor's request; POSTs carry a valid CSRF token and a minimal valid form."""
    client, path = world.browser(actor), world.path(endpoint, target)
    if endpoint in ("claims.claim", "claims.sent"):  # this browser opened the live link
        client.get(world.path("claims.open", "live"))
    if method == "GET":
        return path, client.get(path)
    body = BODIES.get(endpoint, lambda *_: {})(world, actor, target)
    form_page = "/login" if actor in ANONYMOUS else "/password"  # a light page with a form
    return path, post(client, path, body, token_from=form_page)


def mismatch(want: Expect, response, changed: list[str]) -> str | None:
    """What differs between the decided outcome and the response, or None."""
    location = response.headers.get("Location", "")
    if response.status_code != want.status:
        return f"expected {want.status}, got {response.status_code} {location}".rstrip()
    if want.to_login != location.startswith("/login?next="):
        return f"expected {'a' if want.to_login else 'no'} bounce to sign in, got {location!r}"
    if want.writes and not changed:
        return "expected a change, but nothing was written"
    if changed and not want.writes:
        return f"expected no change, but it wrote to {', '.join(changed)}"
    return None


def targets_of(app, endpoint: str) -> list:
    """The named records a route's URL can point at: a name for one argument, a tuple of names
    (in argument-name order) for several, None for a route without arguments."""
    arguments = sorted(next(app.url_map.iter_rules(endpoint)).arguments)
    choices = {**TARGETS, **NARROWER} if len(arguments) > 1 else TARGETS
    unknown = [name for name in arguments if name not in choices]
    assert not unknown, f"{endpoint}: add what URL argument(s) {unknown} can point at to TARGETS"
    combos = list(product(*(choices[name] for name in arguments)))
    return [combo[0] if len(combo) == 1 else combo or None for combo in combos]


def get_pages(app) -> list[tuple]:
    """(endpoint, target) for every GET route and every target it can point at."""
    return [(rule.endpoint, target) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and "GET" in rule.methods
            for target in targets_of(app, rule.endpoint)]


def leaks(pages: dict, markers: dict) -> list[str]:
    """Where a marker reached a visitor not allowed to see it: 'kind shown to who on url'."""
    return [f"{marker.rsplit('-', 1)[0]} shown to {actor} on {url}"
            for (actor, url), body in pages.items()
            for marker, allowed in markers.items() if actor not in allowed and marker in body]


def crawl(world: World) -> dict:
    """Each visitor's view of every GET page: {(visitor, url): body}."""
    pages = {}
    for actor in ACTORS:
        client = world.browser(actor)
        for endpoint, target in get_pages(world.app):
            url = world.path(endpoint, target)
            pages[actor, url] = page_text(client.get(url))
    return pages


# --- Tests -----------------------------------------------------------------------------------


def test_every_route_has_a_decided_outcome(app):
    """A new route (or method) cannot ship until this table says who may use it."""
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static" for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == set(ROUTES)
    for endpoint, _method in routes:
        targets_of(app, endpoint)  # a URL argument without targets raises here


def check(world: World, endpoint: str, method: str, cases: list) -> list[str]:
    """Send each (visitor, target) case; one line per case whose outcome is not the table's.

    Requests that should change nothing go first on the world as built; each one that should
    change something starts from the world as built again.
    """
    rule = TABLE[endpoint][method]
    expected = {case: rule(*case) for case in cases}
    untouched, problems = True, []
    rows = built = database_rows()
    for actor, target in sorted(cases, key=lambda case: expected[case].writes):
        want = expected[actor, target]
        if want.writes and not untouched:
            world = world.fresh()
            rows = built if world.image else database_rows()
        path, response = send(world, endpoint, method, actor, target)
        before, rows = rows, database_rows()
        changed = changed_tables(before, rows)
        untouched = untouched and not changed
        problem = mismatch(want, response, changed)
        if problem:
            problems.append(f"{actor} {method} {path} ({target}): {problem}")
    return problems


def cases_of(app, endpoint: str, method: str) -> list:
    """Every (visitor, target) pair of a route."""
    return [(actor, target) for actor in ACTORS for target in targets_of(app, endpoint)]


@pytest.mark.parametrize("endpoint, method", ROUTES, ids=[f"{m} {e}" for e, m in ROUTES])
def test_route_gives_every_visitor_the_decided_outcome(app, world, endpoint, method):
    """Each visitor and target gets the table's status, and only allowed requests write."""
    problems = check(world, endpoint, method, cases_of(app, endpoint, method))
    assert not problems, "\n".join(problems)


def test_private_words_reach_only_their_author(world):
    """Private notes and private or connections-only profile details never reach others."""
    pages = crawl(world)
    found = leaks(pages, world.markers)
    assert not found, "\n".join(found)
    unseen = [marker for marker, allowed in world.markers.items() if allowed and not any(
        marker in body for (actor, _url), body in pages.items() if actor in allowed)]
    assert not unseen, f"planted but never shown to those allowed: {unseen}"


def test_private_title_and_organisation_reach_only_those_allowed(world):
    """Title and organisation obey the profile's visibility like its other details."""
    markers, fields = {}, ("title", "organisation")
    _plant_profile_markers(markers, db.session.get(Person, world.ids["p_c2"]), {"c2"}, fields)
    _plant_profile_markers(markers, db.session.get(Person, world.ids["p_cl"]), {"cl", "r2"},
                           fields)
    found = leaks(crawl(world), markers)
    assert not found, "\n".join(found)


def test_every_page_carries_the_security_headers(world):
    """Every GET page, for every visitor: a strict CSP, no framing, no sniffing; no caching of
    what a signed-in person sees; and a POST-only URL asked with GET says what it allows."""
    problems = []
    for actor in ACTORS:
        client = world.browser(actor)
        for endpoint, target in get_pages(world.app):
            url = world.path(endpoint, target)
            headers = client.get(url).headers
            csp = headers.get("Content-Security-Policy", "")
            if "script-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
                problems.append(f"{actor} {url}: CSP {csp!r}")
            if headers.get("X-Content-Type-Options") != "nosniff":
                problems.append(f"{actor} {url}: no nosniff")
            if actor not in ANONYMOUS and headers.get("Cache-Control") != "no-store":
                problems.append(f"{actor} {url}: Cache-Control {headers.get('Cache-Control')}")
    adapter = world.app.url_map.bind("localhost")
    for rule in world.app.url_map.iter_rules():
        if rule.endpoint != "static" and "GET" not in rule.methods:
            target = targets_of(world.app, rule.endpoint)[0]
            path = world.path(rule.endpoint, target)
            try:  # a path another route answers with GET (/verify/resend is /verify/<token>)
                adapter.match(path, method="GET")
                continue
            except HTTPException:
                pass
            answer = world.browser("r1").get(path)
            if answer.status_code != 405 or "POST" not in answer.headers.get("Allow", ""):
                problems.append(f"GET {rule.rule}: {answer.status_code} "
                                f"Allow={answer.headers.get('Allow')!r}")
    assert not problems, "\n".join(problems)
