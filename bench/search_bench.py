"""Search benchmark: a synthetic HR network, our engine against SQLite FTS5 and naive Whoosh.

Run `python bench/search_bench.py` (100,000 people) or `--people 300` for the smoke size.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time

FIRST = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Emily Ella "
    "Chloé Zoë Renée Siobhán Aoife Niamh Saoirse Ingrid Astrid Björn Søren Łukasz José María "
    "Lucía Álvaro Ioana Élodie François Hélène Jürgen Noah Oliver George Arthur Muhammad Leo "
    "Harry Oscar Archie Henry Theo Jack Charlie Freddie Alfie Thomas James William Isaac Samuel "
    "Priya Aarav Ananya Rohan Fatima Aisha Omar Yusuf Hannah Sarah Rachel Daniel David Michael "
    "Wei Mei Hiroshi Yuki Kwame Ama Chidi Ngozi Tomasz Katarzyna Giulia Matteo Lorenzo Sofia Elena "
    "Marco Anders Lars Sven Emma Julia Clara Anna Lena Maximilian Paul Felix Lukas Jonas Amélie "
    "Camille Louis Hugo Inès Nuno Joana Diego Pablo Carmen Dolores Declan Ciarán Eilidh Morag "
    "Rhys Gethin Bronwen Dylan Megan Kayla Brandon Tyler Madison Jasmine Marcus Dmitri Olga Nadia"
).split()
LAST = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker "
    "White Roberts Green Hall Wood Jackson Clarke Patel Khan Singh Shah Ahmed Ali Hussain Begum "
    "O'Brien Murphy Kelly Byrne Ryan Walsh MacDonald Campbell Stewart Fraser Ó Súilleabháin "
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schäfer Koch Dubois Martin Bernard "
    "Lefèvre Moreau Laurent García Fernández González Rodríguez López Martínez Sánchez Pérez Rossi "
    "Russo Ferrari Esposito Bianchi Romano Colombo Nowak Kowalski Wiśniewski Wójcik Jansen "
    "van Dijk Bakker Janssen Andersson Johansson Karlsson Nilsson Hansen Nielsen Jensen Pedersen "
    "Novák Horváth Popescu Ionescu Papadopoulos Silva Santos Ferreira Pereira Oliveira Nguyen "
    "Chen Wang Li Zhang Liu Tanaka Suzuki Okafor Mensah Adeyemi Cohen Levi Miller Davis Anderson "
    "Thomas Moore Harris Lewis Young King Scott Baker Adams Nelson Carter Mitchell Turner Phillips"
).split()
TITLES = (
    "HR Business Partner|Senior HR Business Partner|HRBP|Head of Reward|Reward Manager|"
    "Talent Acquisition Lead|Talent Acquisition Partner|TA Manager|Head of Talent Acquisition|"
    "Recruitment Consultant|Senior Recruiter|Principal Recruiter|Executive Search Consultant|"
    "L&D Manager|Learning and Development Partner|Head of Learning|HRIS Analyst|"
    "HR Information Systems Manager|Employee Relations Specialist|ER Advisor|OD Consultant|"
    "Organisational Development Lead|Organizational Development Director|"
    "Compensation and Benefits Analyst|C&B Manager|DEI Lead|"
    "Head of Diversity, Equity and Inclusion|Chief People Officer|HR Director|"
    "People Operations Manager|Payroll Manager|HR Generalist|Recruitment Coordinator|"
    "Talent Manager|People Partner|Head of People|HR Advisor|HR Manager|Workforce Planning Lead|"
    "Engineering Manager|Finance Director|Operations Director|Head of Sales|CTO|Plant Manager"
).split("|")
SKILLS = (
    "Employee Relations|ER|Talent Acquisition|TA|HR Business Partnering|HRBP|"
    "Learning and Development|L&D|Compensation and Benefits|C&B|Reward|Payroll|HRIS|Workday|"
    "SuccessFactors|Organisational Development|OD|Change Management|DEI|"
    "Diversity, Equity and Inclusion|Employment Law|TUPE|Performance Management|"
    "Succession Planning|Workforce Planning|Employer Branding|Sourcing|Executive Search|"
    "Onboarding|Coaching|Mediation|Grievance and Disciplinary|Absence Management|Wellbeing|"
    "Engagement Surveys|People Analytics|Job Evaluation|Pay Equity|Pensions|Share Schemes|"
    "Global Mobility|Immigration|Restructuring|Redundancy Consultation|Union Negotiations|"
    "Policy Writing|CIPD|SHRM|Stakeholder Management|Agile HR|Culture Change|"
    "Leadership Development|Graduate Recruitment|Campus Recruiting|Volume Hiring|"
    "Tech Recruitment|Greenhouse|Lever|LinkedIn Recruiter|Boolean Search|Interviewing|"
    "Assessment Centres|Psychometrics|Talent Management|Career Frameworks|M&A Integration|"
    "HR Transformation|Shared Services|Case Management|Investigations|Health and Safety|GDPR|"
    "HR Information Systems|Employee Experience|Salary Benchmarking|Bonus Design|"
    "Executive Compensation|Benefits Administration|Apprenticeships|Early Careers|Negotiation"
).split("|")
LOCATIONS = (
    ["London"] * 12 + ["Manchester"] * 4
    + ("Birmingham|Leeds|Glasgow|Edinburgh|Bristol|Cardiff|Belfast|Newcastle|Reading|Cambridge|"
       "Oxford|Dublin|Paris|Berlin|München|Amsterdam|Madrid|Barcelona|Lisbon|Milan|Zürich|"
       "Stockholm|København|Warsaw|Kraków|Brussels|Frankfurt|Vienna|Prague|New York|Boston|"
       "Chicago|San Francisco|Austin|Seattle|Atlanta|Denver|Los Angeles|Washington").split("|")
)
ORG_A = (
    "Northwind Brightwater Kestrel Harbour Meridian Summit Oakridge Bluebell Granite Silverline "
    "Evergreen Lumière Nordlicht Alpen Pinnacle Riverside Thames Clyde Pennine Atlas Beacon "
    "Cobalt Falcon Heron Ironbridge Juniper Larkspur Mosaic Nimbus Orchard Quarry Redwood"
).split()
ORG_B = (
    "Health|Bank|Energy|Logistics|Retail|Insurance|Foods|Software|Pharma|Engineering|Group|"
    "Partners|Consulting|Media|Telecom|Capital|Housing|Airlines|Motors|Analytics"
).split("|")
SECTORS = (
    "financial services|retail|healthcare|the public sector|technology|manufacturing|"
    "professional services|pharmaceuticals|energy|logistics|higher education|hospitality|"
    "the charity sector|telecoms|insurance|consumer goods"
).split("|")
OPENERS = (
    "An experienced {title} with {years} years in {sector}.|"
    "{title} who has spent {years} years supporting leaders in {sector}.|"
    "Pragmatic people professional with a background in {sector} and {skill}.|"
    "Commercially minded {title} known for {skill} and calm {skill2}.|"
    "Generalist turned specialist in {skill} after {years} years in {sector}."
).split("|")
MIDDLES = (
    "Led a {skill} programme across {n} countries, working closely with works councils and "
    "trade unions.|Built the {skill} function from scratch during a period of rapid growth.|"
    "Partnered with senior stakeholders on {skill} and {skill2} through a major restructuring.|"
    "Designed and rolled out a new approach to {skill} that improved retention by {n} percent.|"
    "Managed complex {skill} cases, including investigations, grievances and tribunal claims.|"
    "Implemented {skill2} on a global scale and trained line managers to use it well.|"
    "Ran high-volume hiring campaigns and an employer branding refresh for {sector}.|"
    "Introduced data-driven reporting on {skill} for the executive committee.|"
    "Coached first-time managers and facilitated leadership workshops on {skill2}.|"
    "Negotiated benefits renewals and benchmarked salaries against the wider market.|"
    "Supported mergers and acquisitions with due diligence, TUPE transfers and integration.|"
    "Championed inclusive recruitment, mentoring schemes and employee networks."
).split("|")
CLOSERS = (
    "Open to interim or permanent roles, ideally hybrid.|Enjoys mentoring junior colleagues and "
    "speaking at CIPD events.|Looking for a values-led organisation with room to grow.|"
    "Fluent in English and {lang}; happy to travel.|Currently studying for a CIPD Level 7 "
    "qualification.|Interested in people analytics, automation and the future of work."
).split("|")
LANGS = "French German Spanish Italian Polish Dutch Portuguese Swedish Arabic Mandarin".split()
NOTES = (
    "Met at the CIPD annual conference; very sharp on {skill}.|Reliable, responsive, prefers "
    "hybrid working; wants {skill} scope.|Placed at {org} in the past; strong feedback from the "
    "hiring manager.|Referred two excellent candidates for {skill} roles last year.|Notice period "
    "three months; salary expectations above market.|Check in every quarter; interested in "
    "{skill} leadership roles."
).split("|")


def synthetic_people(n, seed=7, recruiters=500):
    """Yield n profile documents of a realistic HR network (deterministic for a seed)."""
    rng = random.Random(seed)
    for pid in range(1, n + 1):
        role = rng.choices(("candidate", "client", "recruiter"), (75, 20, 5))[0]
        skills = rng.sample(SKILLS, rng.randint(3, 8))
        title = rng.choice(TITLES)
        org = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)}"
        fill = {"title": title, "years": rng.randint(2, 25), "sector": rng.choice(SECTORS),
                "skill": skills[0], "skill2": skills[-1], "n": rng.randint(3, 40),
                "lang": rng.choice(LANGS), "org": org}
        parts = [rng.choice(OPENERS)] + rng.sample(MIDDLES, rng.randint(2, 4))
        parts.append(rng.choice(CLOSERS))
        summary = " ".join(p.format(**fill) for p in parts)
        visibility = rng.choices(("recruiters", "connections", "private"), (70, 20, 10))[0]
        audience = [] if visibility == "private" else rng.sample(range(1, n + 1), min(n, 8))
        notes = [{"author": rng.randint(1, recruiters), "text": rng.choice(NOTES).format(**fill)}
                 for _ in range(rng.choices((0, 1, 2), (60, 30, 10))[0])]
        yield {
            "id": pid,
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "headline": f"{title} at {org}" if rng.random() < 0.7 else f"{title} | {skills[0]}",
            "title": title,
            "organisation": org,
            "location": rng.choice(LOCATIONS),
            "skills": skills,
            "summary": summary,
            "role": role,
            "open_to_work": role == "candidate" and rng.random() < 0.4,
            "visibility": visibility,
            "owner": rng.randint(1, recruiters + 1000),
            "audience": audience,
            "notes": notes,
        }


# ---------------------------------------------------------------------------------------------
# The benchmark

# (kind, our syntax, FTS5 syntax): the same intent in each engine's language
MIX = [
    ("single", "payroll", "payroll"),
    ("single", "reward", "reward"),
    ("single", "workday", "workday"),
    ("single", "mediation", "mediation"),
    ("and", "payroll london", "payroll AND london"),
    ("and", "recruitment manchester", "recruitment AND manchester"),
    ("and", "coaching berlin", "coaching AND berlin"),
    ("phrase", '"employee relations"', '"employee relations"'),
    ("phrase", '"talent acquisition"', '"talent acquisition"'),
    ("phrase", '"change management"', '"change management"'),
    ("field", 'skills:"employee relations" location:london',
     'skills:"employee relations" AND location:london'),
    ("field", "title:director location:paris", "title:director AND location:paris"),
    ("field", "skills:payroll", "skills:payroll"),
    ("typo", "recuitment", "recuitment"),
    ("typo", "payrol", "payrol"),
    ("typo", "mediaton", "mediaton"),
    ("prefix", "recru*", "recru*"),
    ("prefix", "pay*", "pay*"),
    ("prefix", "coach*", "coach*"),
    ("abbreviation", "HRBP", "HRBP"),
    ("abbreviation", "L&D", '"L D"'),
    ("abbreviation", "TA", "TA"),
    ("abbreviation", "DEI", "DEI"),
]
HOSTILE = ["*", "*a*", "??????", "name:[a TO z]", " ".join(f"{chr(97 + i % 26)}~" for i in
           range(50)), "payroll " * 1250, '"employee relations', "(" * 3000, "\x00\U0001F600",
           " ".join(["recruitment~"] * 50), "man* rec* pay* lea* dev* tal* emp* org* com* ben*"]
PREFIXES = ["oli", "mar", "sop", "pay", "emp", "tal", "reh", "dav", "wil", "kha"]
FTS_FIELDS = ("name", "headline", "title", "organisation", "location", "skills", "summary")


def percentiles(samples):
    """p50/p95/p99/max in milliseconds."""
    s = sorted(samples)

    def at(q):
        return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 2)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1.0),
            "n": len(s)}


def _cpu():
    """CPU seconds of this process and its finished children (the rebuild's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def bench_ours(docs, workdir, procs, rounds, viewer):
    from search.engine import apply_pending, open_index

    index = open_index(os.path.join(workdir, "ours"))
    cpu = _cpu()
    seconds, count = timed(index.rebuild, docs, procs=procs)
    cpu = _cpu() - cpu
    out = {"build": {"people": count, "seconds": round(seconds, 1), "procs": procs,
                     "people_per_s": round(count / seconds), "cpu_seconds": round(cpu, 1),
                     "people_per_s_if_cores_were_free": round(count / (cpu / min(
                         procs, os.cpu_count() or 1)))}}
    index.close()  # measure a worker starting on an existing index
    out["warm_ms"] = round(timed(index.warm)[0] * 1000, 1)
    out["first_search_after_warm_ms"] = round(
        timed(index.search_profiles, "manager", viewer)[0] * 1000, 1)
    cold, totals = {}, {}
    for _kind, query, _ in MIX:
        spent, page = timed(index.search_profiles, query, viewer)
        cold[query] = round(spent * 1000, 1)
        totals[query] = page.total
    samples, by_kind = [], {}
    for _ in range(rounds):
        for kind, query, _ in MIX:
            spent, _page = timed(index.search_profiles, query, viewer)
            samples.append(spent)
            by_kind.setdefault(kind, []).append(spent)
    out["mix"] = percentiles(samples)
    out["by_kind"] = {k: percentiles(v) for k, v in by_kind.items()}
    out["cold_ms"] = cold
    out["totals"] = totals
    out["typeahead"] = percentiles([timed(index.typeahead, p, viewer)[0]
                                    for _ in range(max(1, rounds // 3)) for p in PREFIXES])
    out["hostile"] = percentiles([timed(index.search_profiles, q, viewer)[0] for q in HOSTILE])
    # one profile update reaching search through the change log
    visible = [d for d in docs if d["visibility"] == "recruiters"][:10]
    log, people = [], {d["id"]: d for d in visible}
    update = []
    for i, d in enumerate(visible):
        pid = d["id"]
        people[pid] = dict(people[pid], summary=f"Quokkaword{i} " + people[pid]["summary"])
        log.append((len(log) + 1 + 10**9, pid))  # ids above any earlier change
        start = time.perf_counter()
        apply_pending(index.path, lambda after, limit: [c for c in log if c[0] > after][:limit],
                      lambda ids: {p: people.get(p) for p in ids})
        page = index.search_profiles(f"quokkaword{i}", viewer)
        update.append(time.perf_counter() - start)
        assert page.hits and page.hits[0].person_id == pid, "update not visible"
    out["update_visible"] = percentiles(update)
    out["doc_count"] = index.doc_count()
    index.close()
    return out


def bench_naive(workdir, rounds, queries):
    """A new searcher and Whoosh's default QueryParser per query, over the same index."""
    from whoosh import index as windex
    from whoosh.qparser import QueryParser

    ix = windex.open_dir(os.path.join(workdir, "ours"))
    parser = QueryParser("all", ix.schema)
    samples, opens = [], []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            with ix.searcher() as searcher:
                opened = time.perf_counter()
                results = searcher.search(parser.parse(query), limit=20)
                len(results)  # the total, as our pages report it
            samples.append(time.perf_counter() - start)
            opens.append(opened - start)
    ix.close()
    return {"mix": percentiles(samples), "searcher_open": percentiles(opens)}


def bench_fts5(docs, workdir, rounds):
    """SQLite FTS5 (porter, accents removed) over the same people: top 20 by bm25 and a count."""
    import sqlite3

    conn = sqlite3.connect(os.path.join(workdir, "fts5.db"))
    conn.execute(f"CREATE VIRTUAL TABLE people USING fts5({', '.join(FTS_FIELDS)}, "
                 "tokenize='porter unicode61 remove_diacritics 2')")
    start = time.perf_counter()
    with conn:
        conn.executemany(f"INSERT INTO people (rowid, {', '.join(FTS_FIELDS)}) VALUES "
                         f"(?, {', '.join('?' * len(FTS_FIELDS))})",
                         ([d["id"]] + [", ".join(d[f]) if f == "skills" else d[f]
                                       for f in FTS_FIELDS] for d in docs))
    build = time.perf_counter() - start
    samples = []
    for _ in range(rounds):
        for _kind, _query, fts in MIX:
            t0 = time.perf_counter()
            conn.execute("SELECT rowid FROM people WHERE people MATCH ? ORDER BY rank LIMIT 20",
                         (fts,)).fetchall()
            conn.execute("SELECT count(*) FROM people WHERE people MATCH ?", (fts,)).fetchone()
            samples.append(time.perf_counter() - t0)
    conn.close()
    return {"build": {"seconds": round(build, 1), "people_per_s": round(len(docs) / build)},
            "mix": percentiles(samples)}


def main(argv=None):
    """Run the benchmark and print (and optionally write) its JSON report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=None, help="passes over the query mix")
    parser.add_argument("--procs", type=int, default=None, help="rebuild processes")
    parser.add_argument("--out", help="also write the JSON report here")
    parser.add_argument("--workdir", help="where to build the indexes (default: a temp dir)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.people < 5000 else 15)
    procs = args.procs or (1 if args.people < 5000 else 2)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench.common import write_report
    from search.engine import Viewer

    viewer = Viewer(user_id=7, person_id=None, role="recruiter")
    docs = list(synthetic_people(args.people))
    workdir = args.workdir or tempfile.mkdtemp(prefix="search-bench-")
    try:
        report = {"people": args.people, "rounds": rounds, "cores": os.cpu_count(),
                  "load_average_at_start": os.getloadavg()}
        report["ours"] = bench_ours(docs, workdir, procs, rounds, viewer)
        report["naive_whoosh"] = bench_naive(workdir, max(1, rounds // 3),
                                             [q for _, q, _ in MIX])
        report["fts5"] = bench_fts5(docs, workdir, rounds)
        ours = report["ours"]["mix"]
        report["ratios"] = {
            f"{name}_over_ours_{p}": round(report[name]["mix"][f"{p}_ms"] / max(ours[f"{p}_ms"],
                                                                                  0.01), 2)
            for name in ("naive_whoosh", "fts5") for p in ("p50", "p95", "p99")}
        report["load_average_at_end"] = os.getloadavg()
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    write_report(report, args.out)
    return report


if __name__ == "__main__":
    main()
