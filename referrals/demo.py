"""A small demo network with years of history, so a newcomer sees something real."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from auth.models import Membership, Organisation, OrganisationDomain, User
from auth.passwords import hash_password
from extensions import db, utcnow
from referrals.access import pair
from referrals.models import Interaction, Person, Relationship
from referrals.openings.models import Opening
from referrals.statuses import InteractionStatus
from referrals.trust import store as trust_store
from search.changes import note_search_change

DEMO_PASSWORD = "kinship-demo-2026"
DOMAIN = "demo.example.org"  # the candidates' addresses (and the site administrator's)
ADMIN = ("ada", "Ada Lovell")  # a site administrator: approves applications, suspends

# The recruiters' and clients' organisations, verified, each its member's admin:
# key -> (organisation, kind, e-mail domain). Their standing was granted, not chosen.
ORGANISATIONS = {
    "priya": ("Carter & Vale", "recruiting firm", "carter-vale.example"),
    "tom": ("Northbridge Talent", "recruiting firm", "northbridge.example"),
    "grace": ("Northwind Retail", "hiring organisation", "northwind-retail.example"),
    "oliver": ("Fabrikam Health", "hiring organisation", "fabrikam-health.example"),
}

# (key, role, name, title, organisation, location, years, headline, skills, open_to_work)
PEOPLE = [
    ("priya", "recruiter", "Priya Shah", "Principal Consultant, HR Executive Search",
     "Carter & Vale", "London", 16, "Interim and permanent HR leadership hires",
     ["Executive search", "HR leadership", "Interim management"], False),
    ("tom", "recruiter", "Tom Okafor", "Senior Recruiter", "Northbridge Talent", "Manchester",
     9, "Talent acquisition and reward hires across the North",
     ["Talent acquisition", "Reward", "Market mapping"], False),
    ("helen", "candidate", "Helen Brooks", "HR Director", "Ashford Logistics", "London", 8,
     "People leader for fast-growing logistics businesses",
     ["HRBP", "Employee relations", "Organisational development", "Change management"], True),
    ("daniel", "candidate", "Daniel Reyes", "HR Business Partner", "Mercer & Lowe", "Bristol",
     11, "Generalist HRBP, retail and consumer",
     ["HR business partner", "Employee relations", "TUPE"], True),
    ("aisha", "candidate", "Aisha Khan", "Reward Manager", "Halden Bank", "London", 7,
     "Compensation and benefits for regulated industries",
     ["Compensation and benefits", "Executive reward", "Job evaluation", "CIPD Level 7"], True),
    ("marco", "candidate", "Marco Bianchi", "Senior Software Engineer", "Quill Systems",
     "Leeds", 10, "Backend engineer, payments", ["Python", "PostgreSQL", "Payments"], False),
    ("sophie", "candidate", "Sophie Laurent", "Head of Learning and Development", "Brightwell",
     "Remote (UK)", 12, "Building learning cultures that stick",
     ["L&D", "Leadership development", "Coaching", "DEI"], False),
    ("grace", "client", "Grace Liu", "Chief People Officer", "Northwind Retail", "London", 20,
     "CPO, 400 stores and growing", ["People strategy", "Board reporting"], False),
    ("oliver", "client", "Oliver Stone", "Head of Talent", "Fabrikam Health", "Manchester", 14,
     "Hiring for a national health provider", ["Talent acquisition", "Workforce planning"],
     False),
]

# (recruiter, other, pattern, years of history) — patterns below show the essay's cases.
HISTORIES = [
    ("priya", "helen", "regular_give_and_take", 9),
    ("priya", "daniel", "silent_then_ask", 6),
    ("priya", "aisha", "steady", 4),
    ("priya", "marco", "regular_give_and_take", 8),
    ("priya", "sophie", "burst", 1),
    ("priya", "grace", "client_partner", 10),
    ("priya", "oliver", "steady", 2),
    ("tom", "aisha", "regular_give_and_take", 5),
    ("tom", "oliver", "client_partner", 6),
    ("tom", "daniel", "steady", 3),
]

UNCLAIMED = [
    ("priya", "Rachel Green", "Talent Acquisition Lead", "Kestrel Energy", "Glasgow",
     ["Talent acquisition", "Employer branding"]),
    ("priya", "Samuel Adeyemi", "OD Consultant", "Independent", "Birmingham",
     ["Organisational development", "Culture change"]),
]


def seed_demo(today: date, rng_seed: int = 7) -> dict:
    """Create the demo network if the database has no users; returns who can sign in."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return {}
    rng = random.Random(rng_seed)
    password_hash = hash_password(DEMO_PASSWORD)
    people = {}
    for key, role, name, title, org, location, years, headline, skills, open_ in PEOPLE:
        domain = ORGANISATIONS[key][2] if key in ORGANISATIONS else DOMAIN
        user = User(email=f"{key}@{domain}", role=role, password_hash=password_hash,
                    email_verified_at=utcnow())  # demo addresses count as proven
        db.session.add(user)
        db.session.flush()
        if key in ORGANISATIONS:
            _organisation(user, *ORGANISATIONS[key])
        person = Person(user_id=user.id, owner_id=user.id, role=role, name=name,
                        email=user.email, title=title, organisation=org, location=location,
                        years_experience=years, headline=headline, skills="\n".join(skills),
                        summary=f"{name} — {headline.lower()}. Based in {location}.",
                        open_to_work=open_, visibility="recruiters")
        db.session.add(person)
        db.session.flush()
        people[key] = person
    for owner, name, title, org, location, skills in UNCLAIMED:
        recruiter = people[owner]
        person = Person(owner_id=recruiter.user_id, role="candidate", name=name, title=title,
                        organisation=org, location=location, skills="\n".join(skills),
                        visibility="connections")
        db.session.add(person)
        db.session.flush()
        _connect(recruiter, person)
    for owner, other, pattern, years in HISTORIES:
        rel = _connect(people[owner], people[other])
        for day, kind, giver_key, confirmed in _pattern(pattern, years, today, rng):
            giver = "mutual" if giver_key == "mutual" else rel.side_of(
                people[owner].id if giver_key == "recruiter" else people[other].id)
            logger = people[owner] if rng.random() < 0.6 else people[other]
            db.session.add(Interaction(
                rel=rel, occurred_on=day, kind=kind, giver=giver, logged_by_id=logger.id,
                logged_by_user_id=logger.user_id, note=_note(kind),
                status=InteractionStatus.CONFIRMED if confirmed else InteractionStatus.PENDING))
        db.session.flush()
        trust_store.rebuild(rel)
        rel.last_contact_on = max((i.occurred_on for i in rel.interactions), default=None)
    db.session.add(Opening(
        recruiter_id=people["priya"].user_id, client_id=people["grace"].id,
        title="Head of Reward", organisation="Northwind Retail", location="London",
        min_years=10, must_skills="Compensation and benefits\nExecutive reward",
        nice_skills="Job evaluation", qualifications="CIPD Level 7",
        description="Lead reward for 12,000 colleagues across 400 stores."))
    admin = _site_admin(password_hash)
    note_search_change(*(p.id for p in db.session.scalars(select(Person))))
    db.session.commit()
    return {**{p.name: p.email for p in people.values()},
            f"{admin.person.name} (site administrator)": admin.email}


def _organisation(user: User, name: str, kind: str, domain: str) -> None:
    """A verified organisation with the user as its admin member."""
    now = utcnow()
    organisation = Organisation(name=name, kind=kind, verified_at=now)
    db.session.add_all([organisation, OrganisationDomain(organisation=organisation,
                                                         domain=domain, verified_at=now),
                        Membership(organisation=organisation, user=user, is_admin=True)])


def _site_admin(password_hash: str) -> User:
    """The demo's site administrator, a person with a private profile."""
    key, name = ADMIN
    user = User(email=f"{key}@{DOMAIN}", role="candidate", password_hash=password_hash,
                email_verified_at=utcnow(), is_admin=True)
    db.session.add(user)
    db.session.flush()
    db.session.add(Person(user_id=user.id, owner_id=user.id, role="candidate", name=name,
                          email=user.email, title="Site administrator",
                          visibility="private"))
    db.session.flush()
    return user


def _connect(x: Person, y: Person) -> Relationship:
    a_id, b_id = pair(x.id, y.id)
    rel = Relationship(a_id=a_id, b_id=b_id, status="accepted", requested_by_id=x.id)
    db.session.add(rel)
    db.session.flush()
    trust_store.rebuild(rel)  # the explicit empty ledger a recompute would write, not ""
    return rel


def _pattern(name: str, years: int, today: date, rng: random.Random):
    """(day, kind, giver: 'recruiter'|'other'|'mutual', confirmed) tuples for a history shape."""
    start = today - timedelta(days=365 * years)
    if name == "burst":
        return [(today - timedelta(days=200 - i * 2), rng.choice(["message", "call"]),
                 "mutual", True) for i in range(12)]
    if name == "silent_then_ask":
        early = [(start + timedelta(days=30 * i), "meeting", "mutual", True) for i in range(3)]
        return early + [(today - timedelta(days=12), "ask", "recruiter", False)]
    cadence, kinds = {
        "regular_give_and_take": (120, [("check_in", "mutual"), ("advice", "recruiter"),
                                        ("market_insight", "other"), ("referral", "other"),
                                        ("introduction", "recruiter"), ("favour", "other")]),
        "steady": (150, [("check_in", "mutual"), ("call", "mutual"), ("advice", "other"),
                         ("market_insight", "recruiter")]),
        "client_partner": (90, [("meeting", "mutual"), ("hire", "recruiter"),
                                ("market_insight", "recruiter"), ("referral", "other"),
                                ("check_in", "mutual")]),
    }[name]
    events, day = [], start
    while day < today - timedelta(days=20):
        kind, giver = rng.choice(kinds)
        confirmed = day < today - timedelta(days=60) or rng.random() < 0.5
        events.append((day, kind, giver, confirmed))
        day += timedelta(days=cadence + rng.randint(-25, 25))
    return events


def _note(kind: str) -> str:
    return {
        "check_in": "Annual catch-up over coffee.",
        "advice": "Talked through a tricky restructure.",
        "market_insight": "Swapped views on HR salary trends.",
        "referral": "Referred a candidate for a role.",
        "introduction": "Introduced to a peer at another firm.",
        "hire": "Placement completed.",
        "favour": "Covered a panel interview at short notice.",
        "meeting": "Quarterly planning meeting.",
        "ask": "Asked for help finding a new role.",
    }.get(kind, "")
