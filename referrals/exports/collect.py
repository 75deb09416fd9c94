"""Gathering everything a user may take out, as plain data (the schema is docs/export.md).

What is theirs: their profile; the people in their network with their own standing of each;
every history they are party to, with their own private notes and never the other side's;
their openings and the decisions on them (recruiters), the recommendations made to them
(clients), and the recommendations that concern them (candidates).
"""

import json

from sqlalchemy import or_, select

from extensions import db, utcnow
from referrals.access import can_view_profile
from referrals.history.services import direction_for
from referrals.models import Interaction, Person, Relationship
from referrals.network.models import CvFile
from referrals.network.people import PROFILE_FIELDS
from referrals.openings.models import Opening, OpeningDecision
from referrals.trust import strength

SCHEMA_VERSION = 1
SHARED_DECISIONS = ("awaiting_consent", "consent_declined", "recommended")
PUBLIC_FIELDS = ("name", "role", "headline", "title", "organisation", "location")


def collect_export(user) -> dict:
    """Everything the user may take, as JSON-ready dicts and lists."""
    me = user.person
    rels = db.session.scalars(select(Relationship).where(
        or_(Relationship.a_id == me.id, Relationship.b_id == me.id))
        .order_by(Relationship.id)).all()
    return {"schema_version": SCHEMA_VERSION, "exported_at": utcnow().isoformat(),
            "account": {"email": user.email, "role": user.role},
            "profile": {"id": me.id, "role": me.role,
                        **{f: getattr(me, f) for f in PROFILE_FIELDS}, "cv": _cv(me.id)},
            "network": _network(user, rels), "histories": _histories(user, rels),
            "openings": _openings(user), "recommendations": _recommendations(user)}


def _network(user, rels: list) -> list[dict]:
    me, today = user.person.id, utcnow().date()
    rows, seen = [], set()
    for rel in rels:
        other = rel.other(me)
        if other.merged_into_id:
            continue
        seen.add(other.id)
        kept = other.owner_id == user.id and not other.is_claimed
        st = strength.strength_of(rel, today, me) if rel.status == "accepted" else None
        # Their profile's visibility still rules: a private profile gives its name alone.
        shown = PUBLIC_FIELDS if can_view_profile(user, other) else ("name", "role")
        rows.append({"person_id": other.id,
                     **{f: getattr(other, f) if f in shown else "" for f in PUBLIC_FIELDS},
                     "email": (other.email or "") if kept else "", "kept_by_me": kept,
                     "status": rel.status, "score": st.score if st else None,
                     "band": st.band if st else None,
                     "first_contact": _iso(rel.trust_first_contact),
                     "last_contact": _iso(rel.last_contact_on),
                     **({"cv": _cv(other.id)} if kept else {})})
    kept_alone = db.session.scalars(select(Person).where(  # kept records with no relationship
        Person.owner_id == user.id, Person.user_id.is_(None),
        Person.merged_into_id.is_(None), Person.id.not_in(seen or {0}))).all()
    rows += [{"person_id": p.id, **{f: getattr(p, f) for f in PUBLIC_FIELDS},
              "email": p.email or "", "kept_by_me": True, "status": None, "score": None,
              "band": None, "first_contact": None, "last_contact": None, "cv": _cv(p.id)}
             for p in kept_alone]
    return rows


def _cv(person_id: int) -> dict | None:
    """A CV's facts (not its bytes: the profile page offers the file itself), or None."""
    cv = db.session.scalar(select(CvFile).where(CvFile.person_id == person_id))
    if cv is None:
        return None
    return {"filename": cv.filename, "content_type": cv.content_type, "size": cv.size,
            "sha256": cv.sha256, "uploaded_at": cv.uploaded_at.isoformat()}


def _histories(user, rels: list) -> list[dict]:
    me = user.person.id
    by_id = {rel.id: rel for rel in rels}
    entries = db.session.scalars(select(Interaction).where(
        Interaction.relationship_id.in_(by_id or {0}))
        .order_by(Interaction.relationship_id, Interaction.occurred_on, Interaction.id)).all()
    rows = []
    for entry in entries:
        rel = by_id[entry.relationship_id]
        mine = entry.logged_by_user_id == user.id
        rows.append({"id": entry.id, "relationship_id": rel.id, "with_person_id":
                     rel.other(me).id, "with_name": rel.other(me).name,
                     "occurred_on": _iso(entry.occurred_on), "kind": entry.kind,
                     "direction": direction_for(entry.giver, rel.side_of(me)),
                     "logged_by": "me" if mine else "them", "status": entry.status,
                     "note": entry.note, "dispute_reason": entry.dispute_reason,
                     "private_note": entry.private_note if mine else ""})
    return rows


def _role(user) -> str:
    """The role whose records the export holds: an account waiting for standing it had before
    organisations (auth.models.User.former_role) still takes what it ran then."""
    return user.former_role or user.role


def _openings(user) -> list[dict]:
    role = _role(user)
    if role == "recruiter":
        where = Opening.recruiter_id == user.id
    elif role == "client":
        where = Opening.client_id == user.person.id
    else:
        return []
    return [{"id": o.id, "title": o.title, "organisation": o.organisation,
             "location": o.location, "status": o.status, "description": o.description,
             "must_skills": o.must_skills, "nice_skills": o.nice_skills,
             "mine": o.recruiter_id == user.id}
            for o in db.session.scalars(select(Opening).where(where).order_by(Opening.id))]


def _recommendations(user) -> list[dict]:
    query = select(OpeningDecision, Opening).join(Opening).order_by(OpeningDecision.id)
    role = _role(user)
    if role == "recruiter":
        query = query.where(Opening.recruiter_id == user.id)
    elif role == "client":
        query = query.where(Opening.client_id == user.person.id,
                            OpeningDecision.action == "recommended")
    else:
        query = query.where(OpeningDecision.person_id == user.person.id,
                            OpeningDecision.action.in_(SHARED_DECISIONS))
    rows = []
    for decision, opening in db.session.execute(query):
        own = role == "recruiter"
        rows.append({"opening_id": opening.id, "opening_title": opening.title,
                     "person_id": decision.person_id, "person_name": decision.person.name,
                     "action": decision.action, "wildcard": decision.wildcard,
                     "reason": decision.reason if own else "",
                     # The recruiter's own view of the ranking (their trust figures) is theirs;
                     # the client has the vouch written to them.
                     "explanation": json.loads(decision.explanation or "[]") if own else [],
                     "vouch": decision.vouch if own or role == "client" else "",
                     "stage": decision.stage if decision.action == "recommended" else "",
                     "at": _iso(decision.updated_at)})
    return rows


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def contacts_of(data: dict) -> list[dict]:
    """The network rows of an export, as the vCard writer takes them."""
    return [row for row in data["network"] if row["name"]]
