"""Benchmark an opening's two lists (shortlist and wild cards) over a large recruiter network.

    .venv/bin/python bench/wildcard_bench.py                # 100,000 people, 1,000,000 interactions
    .venv/bin/python bench/wildcard_bench.py --people 400 --relationships 60 --interactions 3000
    .venv/bin/python bench/wildcard_bench.py --database-url postgresql://postgres@127.0.0.1/bench

Builds, in a temporary folder, a synthetic HR network through the real code paths where it
matters (migrations; bulk inserts; `trust_store.recompute_all()` for the stored trust aggregates;
`search.services.rebuild()` for the Whoosh index), opens a few openings for a client, and times
what the opening page does: `referrals.openings.services.both_lists(opening, recruiter, today)`
(whom the recruiter's trust vouches for, search relevance, then both lists). Prints JSON: median and
p95 milliseconds per opening and overall, the sizes of both lists and of the pool, and where the
time goes.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update  # noqa: E402

from app import _normalise_db_url, create_app  # noqa: E402
from bench.common import insert_batches, write_report  # noqa: E402
from bench.search_bench import (  # noqa: E402
    CLOSERS,
    FIRST,
    LANGS,
    LAST,
    MIDDLES,
    OPENERS,
    ORG_A,
    ORG_B,
)
from extensions import db, utcnow  # noqa: E402

TARGET_P95_MS = 300

# --- Synthetic profiles: role families, each with its titles and the skills that go with them.
FAMILIES = {
    "reward": (8, [
        "Head of Reward", "Reward Manager", "Senior Reward Analyst", "Reward Business Partner",
        "Compensation and Benefits Manager", "Director of Reward", "Executive Reward Lead"], [
        "Reward", "Executive compensation", "Job evaluation", "Pay equity", "Salary benchmarking",
        "Bonus design", "Benefits administration", "Share schemes", "Pensions",
        "Gender pay gap reporting", "Remuneration committee"]),
    "er": (25, [
        "HR Business Partner", "Senior HR Business Partner", "Employee Relations Specialist",
        "ER Advisor", "HR Manager", "People Partner", "Head of Employee Relations"], [
        "Employee relations", "HR business partnering", "Employment law", "TUPE", "Mediation",
        "Grievance and disciplinary", "Case management", "Investigations", "Absence management",
        "Redundancy consultation", "Union negotiations"]),
    "ta": (20, [
        "Talent Acquisition Lead", "Talent Acquisition Partner", "Head of Talent Acquisition",
        "Senior Recruiter", "Recruitment Consultant", "Executive Search Consultant"], [
        "Talent acquisition", "Sourcing", "Executive search", "Employer branding",
        "Interviewing", "Assessment centres", "Volume hiring", "Tech recruitment",
        "Boolean search", "LinkedIn Recruiter", "Greenhouse"]),
    "ld": (12, [
        "L&D Manager", "Learning and Development Partner", "Head of Learning",
        "Leadership Development Lead", "Talent Manager"], [
        "Learning and development", "Leadership development", "Coaching", "Facilitation",
        "Talent management", "Apprenticeships", "Early careers", "Career frameworks"]),
    "od": (12, [
        "Organisational Development Lead", "OD Consultant", "Head of People",
        "Chief People Officer", "HR Director", "Culture Change Lead"], [
        "Organisational development", "Change management", "Culture change",
        "Workforce planning", "Succession planning", "Engagement surveys", "People analytics",
        "HR transformation", "M&A integration"]),
    "ops": (13, [
        "HRIS Analyst", "People Operations Manager", "Payroll Manager", "HR Advisor",
        "HR Generalist", "HR Information Systems Manager"], [
        "HRIS", "Workday", "SuccessFactors", "Payroll", "GDPR", "Onboarding", "Policy writing",
        "Shared services", "Absence management"]),
    "other": (10, [
        "Engineering Manager", "Finance Director", "Operations Director", "Head of Sales",
        "Software Engineer", "Plant Manager"], [
        "Python", "Budgeting", "Forecasting", "Lean", "Negotiation", "P&L management", "Agile",
        "Stakeholder management"]),
}
# Skills people in any HR family pick up besides their own (some are other families' musts).
GENERAL = ["Stakeholder management", "Coaching", "Change management", "Employee relations",
           "Reward", "DEI", "Wellbeing", "Performance management", "Executive compensation",
           "HR business partnering", "Talent acquisition", "Organisational development"]
QUALIFICATIONS = [("CIPD Level 7", 18), ("CIPD Level 5", 22), ("CIPD Level 3", 8),
                  ("Chartered MCIPD", 6), ("SHRM-SCP", 4), ("ILM Level 5", 5), (None, 37)]
PLACES = [("London", 34), ("Manchester", 10), ("Birmingham", 6), ("Leeds", 5), ("Bristol", 5),
          ("Glasgow", 4), ("Edinburgh", 4), ("Cardiff", 3), ("Belfast", 2), ("Newcastle", 3),
          ("Reading", 3), ("Cambridge", 3), ("Oxford", 2), ("Nottingham", 3), ("Sheffield", 2),
          ("Liverpool", 3), ("Southampton", 2), ("Milton Keynes", 2), ("Remote", 4)]
PLACE_FORMS = ("{}", "{}, UK", "{}, England")
SECTORS = ["financial services", "retail", "healthcare", "the public sector", "technology",
           "manufacturing", "professional services", "pharmaceuticals", "energy", "logistics"]
NOTES = ["Sharp; wants a step up within a year.", "Referred two good people last spring.",
         "Notice period three months; expects above market.", "Met at the CIPD conference."]
PUBLIC_NOTES = ["Coffee and a catch-up", "Call about the market", "Sent a shortlist",
                "Introduced to a hiring manager", "Asked for a reference"]

# --- Interaction patterns over a relationship (share of relationships, share of the volume).
PATTERNS = {  # name: (share of accepted relationships, relative number of interactions)
    "decade": (20, 3.0),  # a decade or more of regular give and take, still going
    "steady": (25, 1.5),  # a few years, regular, recent
    "burst": (18, 1.2),  # one to three intense spells, then quiet
    "one_way": (14, 0.6),  # one side only asks
    "faded": (15, 1.0),  # long, but nothing for years
    "new": (5, 0.2),  # started in the last months
    "none": (3, 0.0),  # connected, nothing logged
}
TWO_WAY_KINDS = [("message", 18), ("check_in", 14), ("call", 14), ("meeting", 9), ("event", 5),
                 ("advice", 10), ("market_insight", 7), ("introduction", 5), ("referral", 6),
                 ("favour", 4), ("ask", 6), ("hire", 2)]
CLIENT_KINDS = [("hire", 8), ("meeting", 15), ("market_insight", 10), ("call", 20),
                ("message", 20), ("referral", 8), ("check_in", 10), ("advice", 5), ("event", 4)]

OPENINGS = [
    {"title": "Head of Reward", "location": "London", "min_years": 10,
     "must_skills": "Reward\nExecutive compensation",
     "nice_skills": "Job evaluation\nPay equity\nShare schemes"},
    {"title": "HR Business Partner", "min_years": 5, "must_skills": "Employee relations",
     "nice_skills": "HR business partnering\nEmployment law\nTUPE"},
    {"title": "Head of People", "location": "London", "remote_ok": True, "min_years": 12,
     "must_skills": "Organisational development\nChange management",
     "qualifications": "CIPD Level 7", "nice_skills": "Workforce planning"},
    {"title": "Talent Acquisition Lead", "location": "Manchester", "min_years": 6,
     "must_skills": "Talent acquisition", "nice_skills": "Employer branding\nExecutive search"},
]


def _picker(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    cum = [sum(weights[:i + 1]) for i in range(len(weights))]
    return lambda: rng.choices(values, cum_weights=cum)[0]


def profile(rng, role: str, pick_family, pick_place, pick_qual) -> dict:
    """One realistic HR profile (a Person row without ids)."""
    family = pick_family() if role != "client" or rng.random() < 0.7 else "od"
    _, titles, own = FAMILIES[family]
    title = rng.choice(titles)
    skills = rng.sample(own, min(len(own), rng.randint(3, 6)))
    if family == "reward" and "Reward" not in skills and rng.random() < 0.85:
        skills.insert(0, "Reward")
    if family != "other":
        skills += rng.sample(GENERAL, rng.choice((0, 1, 1, 2, 3)))
        qual = pick_qual()
        if qual:
            skills.append(qual)
    skills = list(dict.fromkeys(s.title() if rng.random() < 0.1 else s for s in skills))
    senior = any(w in title for w in ("Head", "Director", "Chief"))
    years = (rng.randint(9, 28) if senior else rng.randint(5, 16) if "Senior" in title
             else rng.randint(1, 14))
    org = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)}"
    fill = {"title": title, "years": years, "sector": rng.choice(SECTORS), "skill": skills[0],
            "skill2": skills[-1], "n": rng.randint(3, 40), "lang": rng.choice(LANGS), "org": org}
    parts = [rng.choice(OPENERS), *rng.sample(MIDDLES, rng.randint(2, 4)), rng.choice(CLOSERS)]
    place = pick_place()
    return {
        "role": role, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "headline": f"{title} at {org}" if rng.random() < 0.7 else f"{title} | {skills[0]}",
        "title": title, "organisation": org,
        "location": "Remote, UK" if place == "Remote" else rng.choice(PLACE_FORMS).format(place),
        "years_experience": None if rng.random() < 0.05 else years,
        "skills": "\n".join(skills), "summary": " ".join(p.format(**fill) for p in parts),
        "open_to_work": role == "candidate" and rng.random() < 0.3,
        "visibility": rng.choices(("recruiters", "connections", "private"), (65, 25, 10))[0],
        "consent_required": rng.random() < 0.1,
    }


def _days(rng, pattern: str, n: int, today: date) -> list[date]:
    """n days of contact for a relationship following `pattern`."""
    def regular(start_ago, end_ago):
        start, span = today - timedelta(days=start_ago), max(1, start_ago - end_ago)
        return [start + timedelta(days=int((i + rng.random()) * span / n)) for i in range(n)]

    if pattern == "decade":
        return regular(rng.randint(3650, 5600), rng.randint(0, 90))
    if pattern == "steady":
        return regular(rng.randint(730, 2200), rng.randint(0, 150))
    if pattern == "faded":
        return regular(rng.randint(3000, 5000), rng.randint(1300, 2400))
    if pattern == "new":
        return regular(rng.randint(20, 180), rng.randint(0, 10))
    if pattern == "one_way":
        start = rng.randint(200, 2000)
        return [today - timedelta(days=rng.randint(0, start)) for _ in range(n)]
    windows = [(rng.randint(30, 2500), rng.randint(14, 90)) for _ in range(rng.randint(1, 3))]
    out = []
    for _ in range(n):
        ago, length = rng.choice(windows)
        out.append(today - timedelta(days=max(0, ago - rng.randint(0, length))))
    return out


BENCH_DOMAIN = "bench.example.com"


def grant_standing() -> None:
    """Make the bench's recruiter accounts members of a verified recruiting firm, as a real
    recruiter's standing is granted. Plain SQL, so that it also runs on a world kept from
    before the migration that moves ungranted recruiters back to candidates; idempotent."""
    domain = "CAST(:domain AS VARCHAR)"  # one type for every use (psycopg sends it once)
    statements = [
        "INSERT INTO organisations (name, kind, created_at, verified_at) SELECT 'Bench Search',"
        " 'recruiting firm', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP WHERE NOT EXISTS"
        f" (SELECT 1 FROM organisation_domains WHERE domain = {domain})",
        "INSERT INTO organisation_domains (organisation_id, domain, verified_at)"
        f" SELECT id, {domain}, CURRENT_TIMESTAMP FROM organisations"
        " WHERE name = 'Bench Search' AND NOT EXISTS"
        f" (SELECT 1 FROM organisation_domains WHERE domain = {domain})"
        " ORDER BY id DESC LIMIT 1",
        "INSERT INTO memberships (organisation_id, user_id, is_admin, granted_at)"
        f" SELECT d.organisation_id, u.id, u.email = 'bench@' || {domain}, CURRENT_TIMESTAMP"
        f" FROM users u JOIN organisation_domains d ON d.domain = {domain}"
        f" WHERE u.role = 'recruiter' AND u.email LIKE '%@' || {domain}"
        " AND u.id NOT IN (SELECT user_id FROM memberships)"]
    for statement in statements:
        db.session.execute(db.text(statement), {"domain": BENCH_DOMAIN})


def populate(people: int, relationships: int, interactions: int, today: date,
             seed: int = 11) -> dict:
    """Bulk-insert users, people, relationships and interactions; returns ids and counts."""
    from auth.models import User
    from referrals.models import Interaction, Person, Relationship

    rng = random.Random(seed)
    owners = db.session.execute(insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"email": f"{'bench' if i == 0 else f'recruiter{i}'}@bench.example.com",
         "password_hash": "x", "role": "recruiter", "is_disabled": False, "timezone": "UTC",
         "email_verified_at": utcnow()}
        for i in range(51)]).scalars().all()
    me_user, others = owners[0], owners[1:]
    grant_standing()
    roles = rng.choices(("candidate", "client", "recruiter"), (80, 15, 5), k=people - 1)
    by_role = {r: [i for i, x in enumerate(roles) if x == r] for r in ("candidate", "client")}
    n_clients = max(2, relationships // 200)
    if relationships - n_clients > len(by_role["candidate"]) or relationships < 3:
        raise SystemExit("--relationships must be at least 3 and well under --people")
    network = rng.sample(by_role["client"], n_clients) + rng.sample(
        by_role["candidate"], relationships - n_clients)
    in_network = set(network)
    pick_family = _picker(rng, [(k, v[0]) for k, v in FAMILIES.items()])
    pick_place, pick_qual = _picker(rng, PLACES), _picker(rng, QUALIFICATIONS)
    rows = []
    for i, role in enumerate(roles):
        row = profile(rng, role, pick_family, pick_place, pick_qual)
        # Recruiters keep records of many of their contacts: those they own, even if private.
        mine = i in in_network and rng.random() < 0.4
        row.update(owner_id=me_user if mine else rng.choice(others),
                   email=f"p{i}@bench.example.com")
        rows.append(row)
    # The recruiter's own profile sits in the middle, so that they are side "a" of some
    # relationships and side "b" of others.
    rows.insert(len(rows) // 2, {
        "role": "recruiter", "name": "Rita Bench", "user_id": me_user, "owner_id": me_user,
        "email": "bench@bench.example.com", "title": "Executive Search Partner",
        "headline": "Executive search for HR leaders", "location": "London",
        "skills": "Executive search\nReward", "visibility": "recruiters",
        "open_to_work": False, "consent_required": False, "years_experience": 15})
    insert_batches(Person, rows, 5000)
    ids = dict(db.session.execute(select(Person.email, Person.id)).all())
    me = ids["bench@bench.example.com"]
    pid = [ids[f"p{i}@bench.example.com"] for i in range(len(roles))]

    pick_pattern = _picker(rng, [(k, v[0]) for k, v in PATTERNS.items()])
    rels, plan = [], []
    for n, i in enumerate(network):
        other = pid[i]
        # The two clients the openings are for (first and last) are accepted connections.
        status = "accepted" if n in (0, n_clients - 1) else rng.choices(
            ("accepted", "pending", "declined"), (96, 3, 1))[0]
        pattern = "decade" if n == 0 else pick_pattern() if status == "accepted" else "none"
        a_id, b_id = min(me, other), max(me, other)
        rels.append({"a_id": a_id, "b_id": b_id, "status": status,
                     "requested_by_id": rng.choice((a_id, b_id)),
                     "trust_ledger": "", "trust_summary": ""})
        plan.append((other, pattern, n < n_clients, roles[i]))
    background = set()  # relationships among other people, so "connections" profiles have them
    while len(background) < people // 5:
        x, y = rng.sample(pid, 2)
        background.add((min(x, y), max(x, y)))
    rels += [{"a_id": x, "b_id": y, "status": "accepted", "requested_by_id": x,
              "trust_ledger": "", "trust_summary": ""} for x, y in sorted(background)]
    for start in range(0, len(rels), 5000):
        db.session.execute(insert(Relationship), rels[start:start + 5000])
    rel_ids = {(a, b): i for i, a, b in db.session.execute(
        select(Relationship.id, Relationship.a_id, Relationship.b_id).where(
            (Relationship.a_id == me) | (Relationship.b_id == me)))}
    owner_of = dict(db.session.execute(select(Person.id, Person.owner_id)).all())

    weights = [PATTERNS[p][1] * math.exp(rng.gauss(0, 0.6)) for _, p, _, _ in plan]
    total = sum(weights) or 1.0
    counts = [int(interactions * w / total) for w in weights]
    for k in rng.sample(range(len(plan)), len(plan)):  # hand out the remainder
        if sum(counts) >= interactions:
            break
        if weights[k]:
            counts[k] += 1
    pick_two_way, pick_client = _picker(rng, TWO_WAY_KINDS), _picker(rng, CLIENT_KINDS)
    last_contact = {}

    def rows():
        for (other, pattern, is_client, _), n in zip(plan, counts, strict=True):
            if not n:
                continue
            a_id, b_id = min(me, other), max(me, other)
            rel_id = rel_ids[(a_id, b_id)]
            mine, theirs = ("a", "b") if me == a_id else ("b", "a")
            for day in _days(rng, pattern, n, today):
                if pattern == "one_way":
                    kind = "ask" if rng.random() < 0.6 else rng.choice(("message", "check_in"))
                    giver = mine  # they only ask: the recruiter gives their time
                    status = "confirmed" if rng.random() < 0.7 else "pending"
                else:
                    kind = pick_client() if is_client else pick_two_way()
                    r = rng.random()
                    giver = mine if r < 0.45 else theirs if r < 0.85 else "mutual"
                    r = rng.random()
                    status = "confirmed" if r < 0.9 else "pending" if r < 0.98 else "disputed"
                by_me = rng.random() < 0.7
                note = rng.choice(PUBLIC_NOTES) if rng.random() < 0.15 else ""
                private = rng.choice(NOTES) if by_me and rng.random() < 0.01 else ""
                if status != "disputed":
                    last_contact[rel_id] = max(day, last_contact.get(rel_id, day))
                yield {"relationship_id": rel_id, "occurred_on": day, "kind": kind,
                       "giver": giver, "logged_by_id": me if by_me else other,
                       "logged_by_user_id": me_user if by_me else owner_of[other],
                       "note": note, "private_note": private, "status": status,
                       "dispute_reason": "not as I remember it" if status == "disputed"
                       else ""}

    written = insert_batches(Interaction, rows(), 50_000)
    db.session.execute(update(Relationship), [
        {"id": rel_id, "last_contact_on": day} for rel_id, day in last_contact.items()])
    db.session.commit()
    clients = [other for other, _, is_client, _ in plan if is_client]
    return {"recruiter_user": me_user, "recruiter_person": me, "clients": clients,
            "interactions": written, "background_relationships": len(background)}


def network_profile(me: int, today: date) -> dict:
    """How the recruiter's relationships score today, from the stored summaries."""
    from referrals.models import Relationship
    from referrals.openings.wildcards import WILDCARD_MIN_SCORE
    from referrals.trust import score as trust
    from referrals.trust import store as trust_store

    bands, high = {}, 0
    for rel in db.session.scalars(select(Relationship).where(
            (Relationship.a_id == me) | (Relationship.b_id == me),
            Relationship.status == "accepted")):
        summary = trust_store.summary_of(rel)
        band = trust.current_band(summary, today) if summary.events else "no history"
        bands[band] = bands.get(band, 0) + 1
        high += summary.events > 0 and trust.current_score(summary, today) >= WILDCARD_MIN_SCORE
    db.session.rollback()
    return {"accepted": sum(bands.values()), "bands": dict(sorted(bands.items())),
            f"score_at_least_{WILDCARD_MIN_SCORE}": int(high)}


class Spy:
    """Exclusive wall time and call counts of named module functions while installed."""

    def __init__(self, targets):
        self.targets = targets  # (module, attribute name, label)
        self.seconds, self.calls, self.sizes = {}, {}, {}
        self._stack = []

    def _wrap(self, label, original):
        def wrapper(*args, **kwargs):
            if label == "trust_selection":  # also note the sizes of what is ranked
                self.sizes["pool"] = len(args[1])
            if label == "pure_rank" and "contenders" not in self.sizes:  # not the evidence pass
                args = (args[0], list(args[1]), *args[2:])
                self.sizes.update(contenders=len(args[1]), with_trust_facts=len(args[2]))
            self._stack.append(0.0)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                inner = self._stack.pop()
                self.seconds[label] = self.seconds.get(label, 0.0) + elapsed - inner
                self.calls[label] = self.calls.get(label, 0) + 1
                if self._stack:
                    self._stack[-1] += elapsed
        return wrapper

    @contextmanager
    def installed(self):
        """Replace the targets with timing wrappers, and put the originals back afterwards."""
        saved = []
        for module, name, label in self.targets:
            if hasattr(module, name):
                saved.append((module, name, getattr(module, name)))
                setattr(module, name, self._wrap(label, saved[-1][2]))
        try:
            yield self
        finally:
            for module, name, original in reversed(saved):
                setattr(module, name, original)

    def reset(self):
        """Forget what was measured."""
        self.seconds, self.calls, self.sizes = {}, {}, {}

    @staticmethod
    def cost_per_call(n: int = 20_000) -> float:
        """Seconds one wrapped call adds to its caller (the rest of the breakdown pays them)."""
        bare = lambda: None  # noqa: E731
        wrapped = Spy([])._wrap("calibration", bare)
        timings = []
        for fn in (bare, wrapped):
            start = time.perf_counter()
            for _ in range(n):
                fn()
            timings.append(time.perf_counter() - start)
        return max(0.0, (timings[1] - timings[0]) / n)


def _stats(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {"runs": len(ordered), "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(ordered[-1], 1)}


def _fresh(opening_id: int, user_id: int):
    """A new session, as a request has, with the opening and the signed-in recruiter loaded."""
    from auth.models import User
    from referrals.openings.models import Opening

    db.session.remove()
    return db.session.get(Opening, opening_id), db.session.get(User, user_id)


def time_opening(opening_id: int, user_id: int, today: date, runs: int) -> dict:
    """Time relevance + ranking together, then each piece alone, `runs` times after a warm-up."""
    from referrals.openings import matching, wildcards
    from referrals.openings import services as openings
    from referrals.trust import score as trust
    from referrals.trust import store as trust_store
    from search import openings as search_openings

    opening, recruiter = _fresh(opening_id, user_id)
    start = time.perf_counter()  # the warm-up: the first view of this opening in this process
    relevance, ranking = openings.both_lists(opening, recruiter, today)
    first_ms = (time.perf_counter() - start) * 1000
    together = []
    for _ in range(runs):
        opening, recruiter = _fresh(opening_id, user_id)
        start = time.perf_counter()
        relevance, ranking = openings.both_lists(opening, recruiter, today)
        together.append((time.perf_counter() - start) * 1000)

    spy = Spy([(wildcards, "rank", "pure_rank"), (matching, "trust_facts", "trust_facts"),
               (matching, "client_facts", "client_facts"),
               (matching, "_contenders", "trust_selection"),
               (trust, "score_and_band", "trust_scores"),
               (trust_store, "parse_summary", "summary_parse"),
               (trust_store, "load_ledger", "ledger_parse"), (trust, "assess", "trust_assess")])
    parts = {"may_vouch_for": [], "relevance": [], "rank_opening": [], "gathering": [],
             "pure_rank": []}
    detail: dict[str, list[float]] = {}
    calls: dict[str, int] = {}
    per_call = Spy.cost_per_call()
    with spy.installed():
        for _ in range(runs):  # the steps of openings.both_lists, one by one
            opening, recruiter = _fresh(opening_id, user_id)
            start = time.perf_counter()
            trusted = matching.may_vouch_for(recruiter, today)
            searching = time.perf_counter()
            relevance = search_openings.opening_relevance(opening, recruiter, among=trusted)
            middle = time.perf_counter()
            spy.reset()
            matching.rank_opening(opening, recruiter, relevance, trusted, today)
            end = time.perf_counter()
            rank_ms = (end - middle) * 1000
            pure = spy.seconds.get("pure_rank", 0.0) * 1000
            parts["may_vouch_for"].append((searching - start) * 1000)
            parts["relevance"].append((middle - searching) * 1000)
            parts["rank_opening"].append(rank_ms)
            parts["pure_rank"].append(pure)
            parts["gathering"].append(rank_ms - pure)
            labelled = sum(spy.seconds.values()) * 1000
            overhead = sum(spy.calls.values()) * per_call * 1000
            for label in ("trust_scores", "trust_selection", "summary_parse", "trust_facts",
                          "ledger_parse", "trust_assess", "client_facts"):
                detail.setdefault(label, []).append(spy.seconds.get(label, 0.0) * 1000)
            detail.setdefault("rest_sql_rows_profiles", []).append(rank_ms - labelled - overhead)
            detail.setdefault("instrumentation", []).append(overhead)
            calls, sizes = dict(spy.calls), dict(spy.sizes)
    db.session.remove()
    med = lambda xs: round(statistics.median(xs), 1)  # noqa: E731
    return {
        "title": opening.title, "must": opening.must_list, "nice": opening.nice_list,
        "qualifications": opening.qualification_list, "min_years": opening.min_years,
        "location": opening.location or None, "remote_ok": opening.remote_ok,
        **_stats(together), "first_run_ms": round(first_ms, 1),
        "search_notice": relevance.notice,
        "sizes": {"may_vouch_for": len(trusted), "search_matched": relevance.total,
                  "relevance_pool": len(relevance.scores),
                  **sizes, "shortlist_total": ranking.shortlist_total,
                  "wildcards_total": ranking.wildcards_total,
                  "shortlist_shown": len(ranking.shortlist),
                  "wildcards_shown": len(ranking.wildcards),
                  "dismissed_found": ranking.dismissed_count,
                  "client_confidence": ranking.client_confidence},
        "breakdown_median_ms": {k: med(v) for k, v in parts.items()},
        "gathering_detail_median_ms": {k: med(v) for k, v in detail.items()},
        "calls_per_run": calls,
        "_samples": together,
    }


def open_openings(user_id: int, client_ids: list[int], today: date) -> list[int]:
    """Open the benchmark's openings through the service, and dismiss two people from one."""
    from auth.models import User
    from referrals.openings import services as openings
    from referrals.openings.models import Opening

    recruiter = db.session.get(User, user_id)
    ids = []
    for n, fields in enumerate(OPENINGS):
        client = client_ids[0] if n % 2 == 0 else client_ids[-1]
        opening = openings.create_opening(recruiter, client_id=client,
                                          organisation="Northwind Health", **fields)
        ids.append(opening.id)
    first = db.session.get(Opening, ids[0])
    ranking = openings.both_lists(first, recruiter, today)[1]
    for entry in ranking.shortlist[:2]:  # the recruiter has already said no to two people
        openings.dismiss(first, entry.person_id, "Not looking to move this year.")
    db.session.remove()
    return ids


def build(args, today: date, procs: int) -> dict:
    """Migrate, populate, recompute the trust aggregates, index, and open the openings."""
    from flask_migrate import upgrade

    from referrals.trust import store as trust_store
    from search import services

    upgrade(directory=str(ROOT / "migrations"))
    start = time.perf_counter()
    built = populate(args.people, args.relationships, args.interactions, today)
    populate_s = time.perf_counter() - start
    db.session.remove()
    start = time.perf_counter()
    recomputed = trust_store.recompute_all()  # the real path that fills the stored aggregates
    recompute_s = time.perf_counter() - start
    db.session.remove()
    start = time.perf_counter()
    indexed = services.rebuild(procs=procs)
    index_s = time.perf_counter() - start
    db.session.remove()
    built["openings"] = open_openings(built["recruiter_user"], built["clients"], today)
    built["build"] = {"populate_s": round(populate_s, 1), "recompute_all_s": round(recompute_s, 1),
                      "recomputed": recomputed, "index_rebuild_s": round(index_s, 1),
                      "indexed": indexed, "procs": procs}
    return built


def main(argv=None) -> dict:
    """Build the network (or reuse a kept one), run the benchmark, print and return the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=10_000,
                        help="the recruiter's relationships (candidates and a few clients)")
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per opening")
    parser.add_argument("--procs", type=int, default=None,
                        help="index rebuild processes (default 2, or 1 below 5,000 people)")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--workdir", default="",
                        help="SQLite only: build here and keep it; if it holds a network built "
                             "with the same sizes, reuse it and only time")
    parser.add_argument("--profile", default="",
                        help="also write a cProfile of the timed runs of the first opening here")
    parser.add_argument("--out", default="", help="also write the JSON report here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.workdir and args.database_url:
        parser.error("--workdir keeps a SQLite database; it cannot be used with --database-url")
    today = date.today()
    procs = args.procs or (1 if args.people < 5000 else 2)
    load_before = os.getloadavg()
    sizes = [args.people, args.relationships, args.interactions]
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(args.workdir or tmp)
        instance.mkdir(parents=True, exist_ok=True)
        marker = instance / "built.json"
        kept = json.loads(marker.read_text()) if args.workdir and marker.exists() else None
        if kept is not None and kept["sizes"] != sizes:
            parser.error(f"{instance} holds a network of other sizes {kept['sizes']}")
        url = (_normalise_db_url(args.database_url) if args.database_url
               else f"sqlite:///{instance / 'bench.db'}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40,
                          "APP_ENV": "development", "SEARCH_INDEX_DIR": str(instance / "idx")})
        with app.app_context():
            try:
                upgrade_s = None
                if kept is not None:  # a kept network gets the schema changes made since
                    from flask_migrate import upgrade

                    start = time.perf_counter()
                    upgrade(directory=str(ROOT / "migrations"))
                    upgrade_s = round(time.perf_counter() - start, 1)
                built = kept or build(args, today, procs)
                if args.workdir and kept is None:
                    marker.write_text(json.dumps({"sizes": sizes, **built}))
                network = network_profile(built["recruiter_person"], today)
                results = [time_opening(oid, built["recruiter_user"], today, args.runs)
                           for oid in built["openings"]]
                if args.profile:
                    _profile(built["openings"][0], built["recruiter_user"], today, args.runs,
                             args.profile)
                counts = {name: db.session.scalar(
                    select(func.count()).select_from(db.metadata.tables[name]))
                          for name in ("people", "relationships", "interactions")}
            finally:
                db.session.remove()
                if args.database_url:
                    db.drop_all()
                    db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                    db.session.commit()
                db.engine.dispose()
    samples = [ms for r in results for ms in r.pop("_samples")]
    overall = _stats(samples)
    report = {
        "database": "postgresql" if args.database_url else "sqlite",
        "today": today.isoformat(), "cpus": os.cpu_count(),
        "load_average": {"before": [round(x, 2) for x in load_before],
                         "after": [round(x, 2) for x in os.getloadavg()]},
        "people": counts["people"], "relationships": counts["relationships"],
        "recruiter_relationships": args.relationships,
        "background_relationships": built["background_relationships"],
        "interactions": counts["interactions"],
        "build": {**built["build"], "reused": kept is not None, "upgrade_s": upgrade_s},
        "network": network,
        "openings": results,
        "overall": {**overall, "target_p95_ms": TARGET_P95_MS,
                    "meets_target": overall["p95_ms"] < TARGET_P95_MS},
    }
    write_report(report, args.out)
    return report


def _profile(opening_id: int, user_id: int, today: date, runs: int, path: str) -> None:
    """cProfile `runs` page computations of one opening; write the stats to `path`."""
    import cProfile
    import pstats

    from referrals.openings import services as openings

    profiler = cProfile.Profile()
    for _ in range(runs):
        opening, recruiter = _fresh(opening_id, user_id)
        profiler.enable()
        openings.both_lists(opening, recruiter, today)
        profiler.disable()
    db.session.remove()
    with open(path, "w") as out:
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
