"""The world test_authorization.py visits: seven visitors, the records named by who keeps them,
and the builder that makes them (with the mail links and import batches) through the services."""

import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta

from flask import url_for

from extensions import db, utcnow
from referrals.access import relationship_between
from referrals.history import services as history
from referrals.models import Person
from referrals.network import invitations, merging, people
from referrals.openings import services as openings
from referrals.openings.models import Opening
from tests import database_image
from tests.conftest import login

# --- Who visits ------------------------------------------------------------------------------

ACTORS = ("anon", "dis", "c1", "c2", "r1", "r2", "cl", "ad")
ANONYMOUS = {"anon", "dis"}  # a disabled account's open session counts for nothing
# "ad" is a site administrator: a person (candidate) who decides applications and accounts.
ROLE = {"c1": "candidate", "c2": "candidate", "r1": "recruiter", "r2": "recruiter",
        "cl": "client", "dis": "candidate", "ad": "candidate"}

# --- The world they visit: records named by who keeps them -----------------------------------

PEOPLE = ("p_r1", "p_r2", "p_c1", "p_c2", "p_cl", "p_dis", "contact_r1", "contact_r1_dup",
          "contact_r2", "merged", "missing")
OWNER = {"p_r1": "r1", "p_r2": "r2", "p_c1": "c1", "p_c2": "c2", "p_cl": "cl", "p_dis": "dis",
         "contact_r1": "r1", "contact_r1_dup": "r1", "contact_r2": "r2", "merged": "r1"}
CLAIMED = {"p_r1", "p_r2", "p_c1", "p_c2", "p_cl", "p_dis"}
# Whose profile each signed-in user may read. p_c2 is private, p_cl is for connections only,
# the rest are "recruiters" (which also lets connections read them); contacts are for
# connections, and only their keeper is connected to them; merged-away records are gone.
# cl may also read contact_r2, whom r2 recommended to them on an open role (issue 12).
VISIBLE = {
    "r1": {"p_r1", "p_r2", "p_c1", "p_dis", "contact_r1", "contact_r1_dup"},
    "r2": {"p_r1", "p_r2", "p_c1", "p_cl", "p_dis", "contact_r2"},
    "c1": {"p_c1", "p_r1"},
    "c2": {"p_c2", "p_r2"},
    "cl": {"p_cl", "p_r2", "contact_r2", "p_c1"},  # c1 asked cl to connect: cl sees who asks
    "ad": set(),  # connected to nobody: being an administrator shows no one's profile
}
ACCEPTED = {frozenset(pair) for pair in (("r1", "c1"), ("r2", "c2"), ("r2", "cl"))}
DUPLICATES = {"contact_r1": "contact_r1_dup", "contact_r1_dup": "contact_r1"}


@dataclass(frozen=True)
class Rel:
    """A relationship: the users who are its parties, its status and who asked."""

    parties: frozenset
    status: str
    asked_by: str


RELS = {
    "rel_r1_c1": Rel(frozenset({"r1", "c1"}), "accepted", "r1"),
    "rel_r2_c2": Rel(frozenset({"r2", "c2"}), "accepted", "r2"),
    "rel_r2_cl": Rel(frozenset({"r2", "cl"}), "accepted", "r2"),
    "rel_c1_cl": Rel(frozenset({"c1", "cl"}), "pending", "c1"),
    "rel_c2_r1": Rel(frozenset({"c2", "r1"}), "declined", "c2"),
    "rel_r1_contact": Rel(frozenset({"r1"}), "accepted", "r1"),  # the contact has no account
}


@dataclass(frozen=True)
class Entry:
    """An interaction: its relationship, who logged it and its status."""

    rel: str
    logger: str
    status: str


ENTRIES = {
    "i_r1": Entry("rel_r1_c1", "r1", "pending"),
    "i_c1": Entry("rel_r1_c1", "c1", "pending"),
    "i_c2": Entry("rel_r2_c2", "c2", "confirmed"),
    "i_cl": Entry("rel_r2_cl", "cl", "pending"),
    "i_r1_contact": Entry("rel_r1_contact", "r1", "pending"),
}
# r2 fills two roles for the client cl; one is closed. Nobody here ranks for them: c2, whom r2
# has known well for years, keeps a private ("only me") profile, which never ranks for anyone;
# c1 is outside r2's network and contact_r2 has no shared history. (Acting on people who do
# rank is covered in tests/referrals/openings/test_openings.py.)
OPENINGS = ("op_r2", "op_closed")
RANKED: set[str] = set()
# c2 asked to be consulted first, and r2 asked: the decision awaits c2's answer.
DECISIONS = {"dec_c2": "c2"}
# r2 recommended contact_r2 (kept, no account, no consent asked) to cl on op_r2: sent, unread.
RECOMMENDATIONS = {"rec_cl": "cl"}
TARGETS = {  # what each URL argument of a route can point at
    "person_id": PEOPLE,
    "rel_id": (*RELS, "missing"),
    "interaction_id": (*ENTRIES, "missing"),
    "token": ("live", "bogus"),
    "opening_id": (*OPENINGS, "missing"),
    "decision_id": (*DECISIONS, *RECOMMENDATIONS, "missing"),
    "answer": ("agree", "decline"),
}
# --- Standing (issue 15): r1 and r2 each admin their recruiting firm; c1 (at r2's domain)
# applied to r2's firm, c2 proposed a new firm (only a site administrator decides that one);
# "sus" is an account the administrator suspended (not a visitor).
ORGANISATIONS = {"r1": ("Harbour Search", "harbour.example"),
                 "r2": ("Northwind Talent", "northwind.example")}
EMAILS = {"r1": "r1@harbour.example", "r2": "r2@northwind.example",
          "c1": "c1@northwind.example", "c2": "c2@newfirm.example"}
APPLICATIONS = {"app_c1": "r2", "app_c2": None}  # -> the organisation admin who may decide
TARGETS.update({"application_id": (*APPLICATIONS, "missing"),
                "user_id": ("u_c2", "u_sus", "missing")})
# --- An organisation's domains: r1's firm has a second domain; c2's proposed firm waits; r1
# asked to add a third, and its link was mailed ("domain_r1").
TARGETS.update({"organisation_id": ("org_r1", "org_new", "missing"),
                "domain_id": ("dom_r1_extra", "dom_r2", "missing"),
                "domain_token": ("domain_r1", "forged")})
# Routes that act on a person within an opening try only the people that matter there.
NARROWER = {"person_id": ("p_c2", "p_c1", "contact_r2", "missing")}
MISSING_ID = 999999
# --- Mail (issue 10): its routes, what their URL arguments point at, and what POSTs carry ----
# (kept together so that merging with other branches' table entries stays easy)
TARGETS.update({"verify_token": ("verify_c1", "forged"), "reset_token": ("reset_c1", "forged"),
                "unsub_token": ("unsub_c1", "forged"), "feed_token": ("feed_r2", "forged")})


def _mail_links(users: dict) -> dict:
    """The links mailed to c1 (verify, reset, unsubscribe) and r2's calendar feed."""
    from auth import tokens
    from mail import services as mail_services

    c1 = users["c1"]
    return {"verify_c1": tokens.verify_token(c1.id, c1.email, c1.email),
            "reset_c1": tokens.reset_token(c1),
            "unsub_c1": tokens.unsubscribe_token(c1.id, "entries"),
            "feed_r2": mail_services.renew_calendar_token(users["r2"]),
            "forged": "forged.token.value"}


def _add_domains(users: dict, firms: dict, proposal) -> dict:
    """r1's firm gets a second domain from the site administrator; r1's link for a third."""
    from auth import org_domains, tokens

    org_domains.propose_domain(users["ad"], firms["r1"], "harbour-search.example")
    extra = next(d for d in firms["r1"].domains if d.domain.startswith("harbour-search"))
    return {"org_r1": firms["r1"].id, "org_new": proposal.organisation_id,
            "dom_r1_extra": extra.id, "dom_r2": firms["r2"].domains[0].id,
            "domain_r1": tokens.domain_token(users["r1"].id, firms["r1"].id,
                                             "harbour.co.example")}


# --- Imports, exports and deletion (issue 14): r1 has a batch in preview, one awaiting its column
# mapping, and one imported; the upload takes a small LinkedIn file. Batches are their owner's
# alone (404); exports have no argument, each user takes their own.
IMPORT_FILE = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
               "Imported,Person,https://www.linkedin.com/in/imported-person,,Acme,HRBP,"
               "22 Dec 2025\n").encode()
TARGETS["batch_id"] = ("batch_r1", "batch_r1_map", "batch_r1_done", "missing")


def _add_imports(r1) -> dict:
    """r1's three import batches, built through the services the pages use."""
    from referrals.imports import batches, staging

    done = staging.stage_upload(r1, "Connections.csv", IMPORT_FILE)
    batches.import_batch(r1, done, {})
    return {"batch_r1": staging.stage_upload(r1, "Connections.csv", IMPORT_FILE).id,
            "batch_r1_map": staging.stage_upload(r1, "people.csv", b"Who;Firm\nAl;Acme\n").id,
            "batch_r1_done": done.id}


# --- CVs (issue 12): c1 (seen by recruiters), c2 (private) and r1's kept contact have one, each
# carrying a marker that only those who may read the profile may ever see.
WITH_CV = {"p_c1", "p_c2", "contact_r1"}


def _add_cvs(world: "World", owners: dict) -> None:
    from referrals.network import cvs
    from tests import cv_samples

    for name in sorted(WITH_CV):
        person = db.session.get(Person, world.ids[name])
        marker = _marker("CVMARK")
        cvs.attach_cv(owners[OWNER[name]], person, f"{name}.pdf", cv_samples.pdf(marker))
        world.markers[marker] = {actor for actor, seen in VISIBLE.items() if name in seen}
# --- Sessions (issue 15): c1 is also signed in on a second device, whose session only c1 may
# end; everyone else is signed in once, in the browser the tests use.
TARGETS["session_id"] = ("sess_c1", "missing")


def _second_session(user) -> int:
    from auth import services
    from auth.models import UserSession

    token = services.start_session(user, device="Safari on iPhone").session_token
    user.session_token = None
    return db.session.scalar(db.select(UserSession.id).where(UserSession.token == token))


# --- Building the world ----------------------------------------------------------------------

DUPLICATE_EMAIL = "kept.twice@example.com"
PROFILE_TEXT_FIELDS = ("name", "email", "headline", "title", "organisation", "location",
                       "skills", "summary", "visibility")
INTERACTION_FORM = {"occurred_on": "2024-03-05", "kind": "advice", "direction": "i_gave",
                    "note": "", "private_note": ""}


@dataclass
class World:
    """The records by name, a signed-in browser per visitor, the markers planted, and a copy
    of the database (tests/database_image.py) to start each test and each change from."""

    app: object
    make: object
    emails: dict
    ids: dict
    markers: dict = field(default_factory=dict)  # marker text -> visitors allowed to see it
    clients: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)
    image: bytes | dict | None = None
    cv_files: dict = field(default_factory=dict)  # stored name -> bytes, with the image

    def browser(self, actor: str):
        """The visitor's browser; an anonymous visitor gets a fresh one each time."""
        return self.app.test_client() if actor == "anon" else self.clients[actor]

    def path(self, endpoint: str, target: str | None) -> str:
        """The route's path with the target's id (or token) filled in."""
        names = sorted(next(self.app.url_map.iter_rules(endpoint)).arguments)
        targets = target if isinstance(target, tuple) else (target,)
        return url_for(endpoint, _external=False,
                       **{name: self.ids[t] for name, t in zip(names, targets, strict=False)})

    def save(self) -> None:
        """Keep a copy of the database, the CV files and every browser's cookie."""
        self.image, self.cv_files = database_image.take(self.app)
        self.cookies = {actor: client.get_cookie("session").value
                        for actor, client in self.clients.items()}

    def fresh(self) -> "World":
        """This world as it was saved."""
        database_image.restore(self.app, self.image, self.cv_files)
        for actor, value in self.cookies.items():
            self.clients[actor].set_cookie("session", value)
        return self

    def copy_into(self, app, make) -> "World":
        """The same world in another test's app and database."""
        clients = {actor: app.test_client() for actor in self.clients}
        return replace(self, app=app, make=make, clients=clients).fresh()


def _marker(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex}"


def _plant_profile_markers(markers: dict, person: Person, allowed: set, fields: tuple) -> None:
    values = {name: _marker(f"PROFMARK-{name}") for name in fields}
    people.update_profile(person, **values)
    markers.update({value: allowed for value in values.values()})


def _add_openings(make, r2, c2, cl, rel_r2_c2, contact_r2, markers) -> dict:
    """r2's open and closed roles for cl, a years-long trusted history with c2 (so c2 ranks for
    them without search), a request for c2's consent on a third role, and contact_r2
    recommended to cl on the open role (r2's private note about them is r2's alone)."""
    today = utcnow().date()
    for n in range(12):
        logger, other = (r2, c2) if n % 2 else (c2, r2)
        make.log(logger, rel_r2_c2, kind="advice", direction="i_gave",
                 day=today - timedelta(days=90 * n + 1), confirm_by=other)
    people.update_profile(c2.person, consent_required=True)
    role = {"client_id": cl.person.id, "title": "People Partner"}
    ids = {"op_r2": openings.create_opening(r2, **role).id,
           "op_closed": openings.create_opening(r2, **role).id,
           "agree": "agree", "decline": "decline"}
    openings.set_status(db.session.get(Opening, ids["op_closed"]), "closed")
    asked = openings.create_opening(r2, **role)
    ids["dec_c2"] = openings.recommend(r2, asked, c2.person, wildcard=False,
                                       explanation=["Years of confirmed advice."]).id
    private = _marker("PRIVMARK-r2")
    make.log(r2, relationship_between(r2.person.id, contact_r2.id), private_note=private)
    markers[private] = {"r2"}
    ids["rec_cl"] = openings.recommend(
        r2, db.session.get(Opening, ids["op_r2"]), contact_r2, wildcard=False,
        explanation=["your trust with them: 80 (strong)"], vouch="Known them for years.").id
    return ids


def build_world(app, make) -> World:
    """Seven visitors, their profiles, contacts, relationships and interactions, signed in."""
    from auth import standing

    firms = {key: make.organisation(name, domain) for key, (name, domain)
             in ORGANISATIONS.items()}
    users = {"r1": make.user("recruiter", member_of=firms["r1"], org_admin=True,
                             email=EMAILS["r1"]),
             "r2": make.user("recruiter", member_of=firms["r2"], org_admin=True,
                             email=EMAILS["r2"]),
             "c1": make.user("candidate", email=EMAILS["c1"]),
             "c2": make.user("candidate", email=EMAILS["c2"]),
             "cl": make.user("client"), "dis": make.user("candidate"),
             "ad": make.user("candidate", site_admin=True, visibility="private")}
    r1, r2, c1, c2, cl = (users[k] for k in ("r1", "r2", "c1", "c2", "cl"))
    applications = {"app_c1": standing.apply_for_standing(c1),
                    "app_c2": standing.apply_for_standing(c2, name="New Firm",
                                                          kind="recruiting firm")}
    suspended = make.user("candidate", visibility="private")
    standing.suspend(users["ad"], suspended)
    people.update_profile(c2.person, visibility="private")
    people.update_profile(cl.person, visibility="connections")
    contact_r1 = make.contact(r1, "Kept Contact", email=DUPLICATE_EMAIL)
    contact_r1_dup = make.contact(r1, "Kept Contact Again", email=DUPLICATE_EMAIL)
    merged = make.contact(r1, "Merged Contact", email=DUPLICATE_EMAIL)
    merging.merge_duplicate(r1, contact_r1, merged)
    # r2 keeps a record of c2 made before c2 had an account: its invitation is c2's to claim.
    contact_r2 = make.contact(r2, "Contact Of R2", email=c2.email)
    rels = {"rel_r1_c1": make.connect(r1, c1), "rel_r2_c2": make.connect(r2, c2),
            "rel_r2_cl": make.connect(r2, cl),
            "rel_c1_cl": people.request_connection(c1, cl.person),
            "rel_c2_r1": people.request_connection(c2, r1.person),
            "rel_r1_contact": relationship_between(r1.person.id, contact_r1.id)}
    people.respond_to_connection(r1, rels["rel_c2_r1"].id, accept=False)
    world = World(app, make, {actor: user.email for actor, user in users.items()},
                  {"missing": MISSING_ID, "bogus": "not-a-real-invitation-token"})
    private = {actor: _marker("PRIVMARK") for actor in ("r1", "c1")}
    entries = {
        "i_r1": make.log(r1, rels["rel_r1_c1"], private_note=private["r1"]),
        "i_c1": make.log(c1, rels["rel_r1_c1"], private_note=private["c1"]),
        "i_c2": make.log(c2, rels["rel_r2_c2"], confirm_by=r2),
        "i_cl": make.log(cl, rels["rel_r2_cl"]),
        "i_r1_contact": make.log(r1, rels["rel_r1_contact"]),
    }
    world.markers.update({private["r1"]: {"r1"}, private["c1"]: {"c1"}})
    removed = _marker("PRIVMARK-removed")  # the audit trail keeps the entry, not its private note
    history.remove_interaction(c1, make.log(c1, rels["rel_r1_c1"], note="Coffee",
                                            private_note=removed))
    world.markers[removed] = set()
    fields = ("headline", "location", "skills", "summary")
    _plant_profile_markers(world.markers, c2.person, {"c2"}, fields)
    _plant_profile_markers(world.markers, cl.person, {"cl", "r2"}, fields)
    _plant_profile_markers(world.markers, contact_r1, {"r1"}, ("summary",))
    world.ids.update({f"p_{k}": u.person.id for k, u in users.items()})
    world.ids.update({"contact_r1": contact_r1.id, "contact_r1_dup": contact_r1_dup.id,
                      "contact_r2": contact_r2.id, "merged": merged.id, "live":
                      invitations.create_invitation(r2, contact_r2)})
    world.ids.update({name: rel.id for name, rel in rels.items()})
    world.ids.update({name: entry.id for name, entry in entries.items()})
    world.ids.update(_add_openings(make, r2, c2, cl, rels["rel_r2_c2"], contact_r2,
                                   world.markers))
    world.ids.update(_mail_links(users))
    world.ids.update(_add_imports(r1))
    world.ids.update({name: application.id for name, application in applications.items()})
    world.ids.update({"u_c2": c2.id, "u_sus": suspended.id})
    world.ids.update(_add_domains(users, firms, applications["app_c2"]))
    _add_cvs(world, users)
    world.ids["sess_c1"] = _second_session(c1)
    for actor, user in users.items():
        world.clients[actor] = app.test_client()
        login(world.clients[actor], user.email)
    users["dis"].is_disabled = True  # after signing in: the open session must stop working
    db.session.commit()
    world.save()
    return world
