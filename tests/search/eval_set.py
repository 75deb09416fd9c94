"""The relevance evaluation set: recruiter queries over a generated HR network, graded.

`network()` is the benchmark's synthetic network (seeded, every profile visible to recruiters)
plus a few planted profiles that the issues were reported on. Each query has grading rules
over a profile's fields: a profile's grade is the highest rule it passes (3 exactly what the
recruiter means, 2 close, 1 related, 0 not wanted); a place named in the query is required,
as the recruiter asked for it. nDCG@10 is measured by
`bench/search_eval.py` and held above a floor by `tests/search/test_search_eval.py`.
"""

import math

from bench.search_bench import synthetic_people
from search.analysis import fold

SEED, PEOPLE = 18, 2500


def _has(text, *alternatives) -> bool:
    text = f" {fold(text)} "
    return any(f" {fold(a)} " in text or (len(a) > 4 and fold(a) in text) for a in alternatives)


class Rule:
    """A test over one profile; rules combine with `&`."""

    def __init__(self, test):
        self.test = test

    def __call__(self, doc) -> bool:
        return self.test(doc)

    def __and__(self, other):
        return Rule(lambda doc: self(doc) and other(doc))


def title(*alts):
    """The job title is one of (or contains) these."""
    return Rule(lambda d: _has(d["title"], *alts))


def skill(*alts):
    """One of the skills is one of these."""
    return Rule(lambda d: any(_has(s, *alts) for s in d["skills"]))


def city(name):
    """Based in this city."""
    return Rule(lambda d: fold(d["location"]) == fold(name))


def named(part):
    """A word of the name."""
    return Rule(lambda d: fold(part) in fold(d["name"]).split())


HRBP = ("HRBP", "HR Business Partner")
CB = ("C&B", "Compensation and Benefits")
TA = ("TA", "Talent Acquisition")
LD = ("L&D", "Learning and Development", "Learning")
ER = ("ER", "Employee Relations")
OD = ("OD", "Organisational Development", "Organizational Development")
DEI = ("DEI", "Diversity, Equity and Inclusion")
HRIS = ("HRIS", "HR Information Systems")
RECRUIT = ("Recruiter", "Recruitment", "Talent Acquisition")

# (query, [(grade, rule), ...]): the first rules are the best grades
QUERIES = [
    ("senior HRBP London", [(3, title("Senior HRBP", "Senior HR Business Partner")
                                 & city("London")),
                            (2, title(*HRBP) & city("London")),
                            (1, skill("HRBP", "HR Business Partnering") & city("London"))]),
    ("compensation and benefits manager", [(3, title("C&B Manager")),
                                           (2, title("Compensation and Benefits",
                                                     "Reward Manager")),
                                           (1, skill(*CB) & title("Reward", "C&B"))]),
    ("HRBP", [(3, title(*HRBP)), (1, skill("HRBP", "HR Business Partnering"))]),
    ("HR business partner Manchester", [(3, title(*HRBP) & city("Manchester")),
                                        (1, skill("HR Business Partnering", "HRBP")
                                         & city("Manchester"))]),
    ("head of reward", [(3, title("Head of Reward")), (2, title("Reward Manager")),
                        (1, skill("Reward") & title("Head of"))]),
    ("reward manager", [(3, title("Reward Manager")), (2, title("Head of Reward", "C&B Manager"))]),
    ("payroll manager", [(3, title("Payroll Manager")), (1, skill("Payroll") & title("Manager"))]),
    ("payroll manager Leeds", [(3, title("Payroll Manager") & city("Leeds")),
                               (1, skill("Payroll") & city("Leeds"))]),
    ("talent acquisition lead", [(3, title("Talent Acquisition Lead")),
                                 (2, title("Head of Talent Acquisition", "TA Manager",
                                           "Talent Acquisition Partner"))]),
    ("TA manager", [(3, title("TA Manager")), (2, title("Talent Acquisition Lead",
                                                        "Head of Talent Acquisition"))]),
    ("head of talent acquisition", [(3, title("Head of Talent Acquisition")),
                                    (2, title("Talent Acquisition Lead", "TA Manager"))]),
    ("L&D manager", [(3, title("L&D Manager")), (2, title("Learning and Development Partner",
                                                          "Head of Learning"))]),
    ("learning and development", [(3, title(*LD)), (2, skill(*LD))]),
    ("head of learning", [(3, title("Head of Learning")), (2, title("L&D Manager",
                                                                    "Learning and Development"))]),
    ("HRIS analyst", [(3, title("HRIS Analyst")), (2, title("HR Information Systems Manager")),
                      (1, skill(*HRIS))]),
    ("HR information systems", [(3, title("HR Information Systems Manager", "HRIS Analyst")),
                                (2, skill(*HRIS))]),
    ("employee relations specialist", [(3, title("Employee Relations Specialist")),
                                       (2, title("ER Advisor")), (1, skill(*ER))]),
    ("ER advisor", [(3, title("ER Advisor")), (2, title("Employee Relations Specialist"))]),
    ("organisational development", [(3, title(*OD)), (2, skill(*OD))]),
    ("OD consultant", [(3, title("OD Consultant")), (2, title("Organisational Development",
                                                              "Organizational Development"))]),
    ("DEI lead", [(3, title("DEI Lead")), (2, title("Diversity, Equity and Inclusion")),
                  (1, skill(*DEI))]),
    ("diversity equity inclusion", [(3, title("DEI Lead", "Diversity, Equity and Inclusion")),
                                    (2, skill(*DEI))]),
    ("chief people officer", [(3, title("Chief People Officer")),
                              (2, title("Head of People", "HR Director"))]),
    ("HR director London", [(3, title("HR Director") & city("London")),
                            (1, title("Chief People Officer", "Head of People")
                             & city("London"))]),
    ("people operations manager", [(3, title("People Operations Manager")),
                                   (1, title("People Partner", "Head of People"))]),
    ("recruitment consultant", [(3, title("Recruitment Consultant")),
                                (2, title("Senior Recruiter", "Principal Recruiter",
                                          "Recruitment Coordinator"))]),
    ("senior recruiter", [(3, title("Senior Recruiter")), (2, title("Principal Recruiter",
                                                                    "Recruitment Consultant"))]),
    ("executive search", [(3, title("Executive Search Consultant")),
                          (2, skill("Executive Search"))]),
    ("workforce planning", [(3, title("Workforce Planning Lead")),
                            (2, skill("Workforce Planning"))]),
    ("HR generalist", [(3, title("HR Generalist")), (1, title("HR Advisor", "HR Manager"))]),
    ("HR advisor Glasgow", [(3, title("HR Advisor") & city("Glasgow")),
                            (1, city("Glasgow") & title("HR", "ER Advisor"))]),
    ("talent manager", [(3, title("Talent Manager")), (1, skill("Talent Management"))]),
    ("recruitment coordinator", [(3, title("Recruitment Coordinator")),
                                 (1, title("Recruitment Consultant"))]),
    ("payroll", [(3, title("Payroll")), (2, skill("Payroll"))]),
    ("workday", [(3, skill("Workday"))]),
    ("employment law TUPE", [(3, skill("Employment Law") & skill("TUPE")),
                             (1, skill("Employment Law", "TUPE"))]),
    ("tech recruitment Berlin", [(3, skill("Tech Recruitment") & city("Berlin")),
                                 (1, title(*RECRUIT) & city("Berlin"))]),
    ("pay equity", [(3, skill("Pay Equity")), (1, skill("Job Evaluation", "Salary Benchmarking"))]),
    ("people analytics", [(3, skill("People Analytics"))]),
    ("graduate recruitment", [(3, skill("Graduate Recruitment", "Early Careers",
                                        "Campus Recruiting"))]),
    ("compensaton", [(3, title(*CB)), (2, skill(*CB, "Executive Compensation"))]),
    ("Lomx", [(3, named("Lomax"))]),
    ("Hana Lomax", [(3, named("Lomax") & named("Hana")), (1, named("Lomax"))]),
    ("reward Edinburgh", [(3, title("Reward") & city("Edinburgh")),
                          (2, skill("Reward") & city("Edinburgh"))]),
    ("engineering manager", [(3, title("Engineering Manager"))]),
    ("plant manager", [(3, title("Plant Manager"))]),
]

PLANTED = [
    {"name": "Hana Lomax", "title": "Senior HRBP", "location": "London",
     "headline": "Senior HRBP", "skills": ["Employee Relations", "Coaching"],
     "summary": "Business partner to the retail division."},
    {"name": "Jonah Lomax", "title": "Payroll Manager", "location": "Leeds",
     "headline": "Payroll Manager at Kestrel Foods", "skills": ["Payroll", "Pensions"],
     "summary": "Runs a payroll team of eight."},
    {"name": "Derek Oyelaran", "title": "Plant Manager", "location": "Birmingham",
     "headline": "Plant Manager at Granite Motors",
     "skills": ["Compensation and Benefits", "Health and Safety", "Lean"],
     "summary": "Plant manager for a large site. Worked with HR on compensation and benefits, "
                "compensation reviews, benefits renewals and the manager development "
                "programme; a manager who manages managers, with compensation and benefits "
                "experience from a stint on the compensation committee and benefits forum."},
]


def network():
    """The evaluation network's documents (deterministic), all visible to recruiters."""
    people = []
    for doc in synthetic_people(PEOPLE, seed=SEED):
        people.append({**doc, "visibility": "recruiters"})
    for i, extra in enumerate(PLANTED, start=PEOPLE + 1):
        base = dict(people[i % 100])
        people.append({**base, **extra, "id": i, "notes": []})
    return people


def grade(rules, doc) -> int:
    """The grade of one profile for one query."""
    return max((g for g, rule in rules if rule(doc)), default=0)


def ndcg_at_10(ranked: list[int], grades: dict[int, int]) -> float:
    """nDCG@10 of a ranking (person ids) against graded judgements (gain 2^g - 1)."""
    def dcg(gains):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))
    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(pid, 0) for pid in ranked]) / ideal if ideal else 0.0
