"""What the client reads about a recommended person: plain words, no scores (pure, no fixtures)."""

from datetime import date

from referrals.openings.fit import CandidateFacts, Criteria
from referrals.openings.letter import against_must_haves, also_has, how_well_known
from referrals.openings.wildcards import TrustFacts

TODAY = date(2026, 12, 3)
CRITERIA = Criteria(title="Head of People", must_skills=("Employee relations",),
                    nice_skills=("Job evaluation",), min_years=10, location="London",
                    qualifications=("CIPD Level 7",))


def _grace(**changes) -> CandidateFacts:
    facts = {"person_id": 1, "name": "Grace Liu", "skills": (
        "Employee relations", "CIPD Level 7", "Job evaluation"), "years_experience": 8,
        "location": "London, UK"}
    return CandidateFacts(**{**facts, **changes})


def test_a_named_qualification_asked_for_and_held_is_said():
    standing = {s.asked: s for s in against_must_haves(CRITERIA, _grace())}
    assert standing["CIPD Level 7"].met and standing["CIPD Level 7"].held == "holds CIPD Level 7"
    assert standing["Employee relations"].met


def test_each_missed_must_have_says_what_they_hold_instead():
    standing = {s.asked: s for s in against_must_haves(
        CRITERIA, _grace(skills=("CIPD Level 5",), location="Leeds"))}
    assert not standing["CIPD Level 7"].met
    assert standing["CIPD Level 7"].held == "holds CIPD Level 5 instead"
    assert standing["10 years of experience or more"].held == "8 years"
    assert not standing["Based in London"].met
    assert standing["Based in London"].held == "based in Leeds"
    assert standing["Employee relations"].held == "not among their skills"


def test_nice_to_haves_held_are_listed():
    assert also_has(CRITERIA, _grace()) == ["Job evaluation"]


def test_how_well_known_is_counts_and_dates_never_a_score():
    trust = TrustFacts(score=97, band="strong", years_known=9.4, confirmed_count=40,
                       gave_to_recruiter=21, received_from_recruiter=19,
                       referrals_to_recruiter=3, last_contact_days=270, balanced=True)
    text = " ".join(how_well_known("Rita Recruiter", "Grace Liu", trust, TODAY))
    assert "Rita Recruiter has known Grace Liu for 9 years." in text
    assert "40 exchanges confirmed by both of them" in text
    assert "Grace Liu gave 21 times, Rita Recruiter 19 times" in text
    assert "referred 3 people" in text
    assert "Last in touch in March." in text
    assert "97" not in text and "strong" not in text and "trust" not in text.lower()


def test_no_history_is_said_plainly():
    assert how_well_known("Rita", "Grace", None, TODAY) == [
        "Rita has no recorded history with Grace yet."]


def test_last_contact_in_an_earlier_year_names_the_year():
    trust = TrustFacts(score=60, band="steady", years_known=3, confirmed_count=6,
                       last_contact_days=400)
    assert how_well_known("Rita", "Grace", trust, TODAY)[-1] == "Last in touch in October 2025."
