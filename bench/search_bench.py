"""Search benchmark: a synthetic HR network, our engine against SQLite FTS5 and naive Whoosh.

Run `python bench/search_bench.py` (100,000 people) or `--people 300` for the smoke size.
"""

import random

FIRST = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Emily Ella Chloé "
    "Zoë Renée Siobhán Aoife Niamh Saoirse Ingrid Astrid Björn Søren Łukasz Małgorzata José María "
    "Lucía Álvaro Ioana Élodie François Hélène Jürgen Müller Noah Oliver George Arthur Muhammad Leo "
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
    "Russo Ferrari Esposito Bianchi Romano Colombo Nowak Kowalski Wiśniewski Wójcik Jansen de Vries "
    "van Dijk Bakker Janssen Andersson Johansson Karlsson Nilsson Hansen Nielsen Jensen Pedersen "
    "Novák Horváth Popescu Ionescu Papadopoulos Silva Santos Ferreira Pereira Oliveira Costa Nguyen "
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
