"""The shortlist and the wild cards: who meets the brief, and whom a relationship vouches for."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referrals.openings.fit import PreparedCriteria
from referrals.openings.wildcards import (
    FIT_FLOOR,
    MAX_MISSED_MUST_HAVES,
    CandidateFacts,
    ClientFacts,
    Criteria,
    TrustFacts,
    rank,
    trust_vouches,
)

HEAD_OF_REWARD = Criteria(
    title="Head of Reward",
    must_skills=("Reward strategy", "Job evaluation"),
    nice_skills=("Executive compensation", "Benefits"),
    min_years=10,
    location="London",
    qualifications=("CIPD Level 7",),
    keywords=("reward", "benefits"),
)

# A decade of confirmed give and take: the relationship the essay says can flex a brief.
DECADE = TrustFacts(
    score=88, band="strong", years_known=10.0, confirmed_count=14, pending_count=0,
    gave_to_recruiter=6, received_from_recruiter=5, referrals_to_recruiter=3,
    last_contact_days=60, last_contact_kind="check-in", balanced=True,
)
KNOWN_CLIENT = ClientFacts("Acme Retail", TrustFacts(80, "strong", 7.0, 20, balanced=True), 2)


def reward_person(person_id, **changes):
    """A reward specialist meeting every must-have of HEAD_OF_REWARD unless changed."""
    person = CandidateFacts(
        person_id=person_id, name=f"Person {person_id}", title="Reward Manager",
        headline="Reward and benefits lead in retail",
        skills=("Reward strategy", "Job evaluation", "Benefits"), years_experience=12,
        location="London", qualifications=("CIPD Level 7",), relevance=0.8,
    )
    return dataclasses.replace(person, **changes)


def engineer(person_id, **changes):
    """A software engineer: no reward background at all."""
    person = CandidateFacts(
        person_id=person_id, name=f"Engineer {person_id}", title="Senior Software Engineer",
        headline="Backend systems in Python and Go", skills=("Python", "Kubernetes"),
        years_experience=12, location="London", relevance=0.05,
    )
    return dataclasses.replace(person, **changes)


def ids(entries):
    return [e.person_id for e in entries]


def test_perfect_fit_without_relationship_is_shortlisted_not_a_wild_card():
    result = rank(HEAD_OF_REWARD, [reward_person(1)], {}, KNOWN_CLIENT)

    assert ids(result.shortlist) == [1]
    assert result.wildcards == []
    entry = result.shortlist[0]
    assert entry.matched_skills == ["Reward strategy", "Job evaluation"]
    assert entry.matched_nice == ["Benefits"]
    assert "meets all 5 must-haves" in entry.explanation


def test_perfect_fit_well_known_to_the_recruiter_is_shortlisted_not_a_wild_card():
    result = rank(HEAD_OF_REWARD, [reward_person(1)], {1: DECADE}, KNOWN_CLIENT)

    assert (ids(result.shortlist), result.wildcards) == ([1], [])
    assert "your trust with them: 88 (strong)" in result.shortlist[0].explanation


def test_near_fit_with_a_decade_of_balanced_trust_is_the_top_wild_card_and_says_why():
    near = reward_person(1, years_experience=8)
    weaker_tie = reward_person(2, years_experience=8)
    trust = {1: DECADE, 2: dataclasses.replace(DECADE, score=60, band="steady")}

    result = rank(HEAD_OF_REWARD, [weaker_tie, near], trust, KNOWN_CLIENT)

    assert ids(result.wildcards) == [1, 2]
    top = result.wildcards[0]
    assert top.set_aside == ["8 years against 10 asked"]
    assert top.trust_evidence[:5] == [
        "known 10 years",
        "14 confirmed interactions",
        "gave to you 6 times, received from you 5 times",
        "referred 3 candidates to you",
        "last check-in 2 months ago",
    ]
    assert "has the must-have skills Reward strategy, Job evaluation" in top.relevance_reasons
    assert top.client_note.startswith("you have placed 2 people with this client")
    assert top.confidence == "high"


def test_set_aside_names_each_missed_criterion_in_plain_words():
    person = reward_person(1, location="Leeds", qualifications=("CIPD Level 5",))

    (card,) = rank(HEAD_OF_REWARD, [person], {1: DECADE}, KNOWN_CLIENT).wildcards

    assert card.set_aside == [
        "no CIPD Level 7 qualification (holds CIPD Level 5)",
        "based in Leeds, role is in London",
    ]


def test_strong_relationship_with_an_unrelated_background_is_not_a_wild_card():
    # Both miss only the one must-have skill; only the reward specialist's background is relevant.
    criteria = dataclasses.replace(
        HEAD_OF_REWARD, must_skills=("Reward strategy",), qualifications=()
    )
    outsider = engineer(1)
    insider = reward_person(2, skills=("Benefits",), relevance=0.2)
    trust = {1: DECADE, 2: DECADE}

    result = rank(criteria, [outsider, insider], trust, KNOWN_CLIENT)

    assert ids(result.wildcards) == [2]
    assert PreparedCriteria(criteria).fit(outsider) < FIT_FLOOR


def test_trust_flexes_a_must_have_or_two_but_not_three():
    two = reward_person(1, years_experience=8, location="Leeds")
    three = reward_person(2, years_experience=8, location="Leeds", qualifications=())

    result = rank(HEAD_OF_REWARD, [two, three], {1: DECADE, 2: DECADE}, KNOWN_CLIENT)

    assert MAX_MISSED_MUST_HAVES == 2
    assert ids(result.wildcards) == [1]


@pytest.mark.parametrize(
    "weak",
    [
        dataclasses.replace(DECADE, gave_to_recruiter=0, received_from_recruiter=9,
                            balanced=False),  # only asks
        dataclasses.replace(DECADE, gave_to_recruiter=9, received_from_recruiter=0,
                            balanced=False),  # only ever on one side
        dataclasses.replace(DECADE, balanced=False),  # the trust module says it is lopsided
        dataclasses.replace(DECADE, score=40, band="steady"),
        dataclasses.replace(DECADE, band="fading"),
        dataclasses.replace(DECADE, band="new"),
        dataclasses.replace(DECADE, confirmed_count=1, pending_count=13),  # claimed, not confirmed
        dataclasses.replace(DECADE, years_known=0.2),  # a burst, not years
    ],
    ids=["only-asks", "only-gives", "unbalanced", "low-score", "fading", "new", "unconfirmed",
         "burst"],
)
def test_weak_or_one_sided_relationship_is_not_a_wild_card(weak):
    near = reward_person(1, years_experience=8)

    assert ids(rank(HEAD_OF_REWARD, [near], {1: DECADE}, KNOWN_CLIENT).wildcards) == [1]
    assert rank(HEAD_OF_REWARD, [near], {1: weak}, KNOWN_CLIENT).wildcards == []
    assert not trust_vouches(weak)


def test_weak_relationship_with_the_client_lowers_confidence_and_says_so():
    near = [reward_person(1, years_experience=8)]
    barely = ClientFacts("Acme Retail", TrustFacts(20, "new", 0.3, 1), placements=0)

    known = rank(HEAD_OF_REWARD, near, {1: DECADE}, KNOWN_CLIENT)
    weak = rank(HEAD_OF_REWARD, near, {1: DECADE}, barely)
    stranger = rank(HEAD_OF_REWARD, near, {1: DECADE}, ClientFacts("Acme Retail"))

    assert (known.client_confidence, known.wildcards[0].confidence) == ("high", "high")
    assert (weak.client_confidence, weak.wildcards[0].confidence) == ("low", "low")
    assert "You barely know Acme Retail" in weak.client_sentence
    assert "little reason yet to take a wild card on your word" in weak.client_sentence
    assert "you have not placed anyone with this client yet" in weak.wildcards[0].client_note
    assert stranger.wildcards[0].confidence == "low"
    assert "no recorded relationship with Acme Retail" in stranger.client_sentence


def test_moderate_trust_on_either_side_gives_moderate_confidence():
    near = [reward_person(1, years_experience=8)]
    steady_client = ClientFacts("Acme", TrustFacts(50, "steady", 3.0, 8), 1)
    steady_person = dataclasses.replace(DECADE, score=60, band="steady")

    by_client = rank(HEAD_OF_REWARD, near, {1: DECADE}, steady_client).wildcards[0]
    by_person = rank(HEAD_OF_REWARD, near, {1: steady_person}, KNOWN_CLIENT).wildcards[0]

    assert (by_client.confidence, by_person.confidence) == ("moderate", "moderate")


def test_dismissed_people_stay_dismissed():
    people = [reward_person(1), reward_person(2, years_experience=8), reward_person(3)]
    trust = {2: DECADE}

    result = rank(HEAD_OF_REWARD, people, trust, KNOWN_CLIENT, dismissed={1, 2, 99})

    assert ids(result.shortlist) == [3]
    assert result.wildcards == []
    assert (result.shortlist_total, result.wildcards_total) == (1, 0)
    assert result.dismissed_count == 2  # 99 is not among the candidates


def test_consent_required_candidates_are_listed_but_marked():
    people = [
        reward_person(1, consent_required=True),
        reward_person(2),
        reward_person(3, years_experience=8, consent_required=True),
    ]

    result = rank(HEAD_OF_REWARD, people, {3: DECADE}, KNOWN_CLIENT)

    assert {e.person_id: e.needs_consent for e in result.shortlist} == {1: True, 2: False}
    assert [(w.person_id, w.needs_consent) for w in result.wildcards] == [(3, True)]


def test_wild_cards_rank_by_trust_first_then_fit():
    people = [
        reward_person(1, years_experience=8, relevance=0.95),
        reward_person(2, years_experience=8, relevance=0.4),
        reward_person(3, years_experience=8, relevance=0.9),
    ]
    trust = {1: dataclasses.replace(DECADE, score=70), 2: DECADE, 3: DECADE}

    result = rank(HEAD_OF_REWARD, people, trust, KNOWN_CLIENT)

    assert ids(result.wildcards) == [3, 2, 1]


def test_shortlist_ranks_by_fit_with_nice_to_haves_raising_it():
    plain = reward_person(1, skills=("Reward strategy", "Job evaluation"))
    richer = reward_person(2, skills=("Reward strategy", "Job evaluation", "Benefits",
                                      "Executive compensation"))
    searched = reward_person(3, relevance=1.0)

    result = rank(HEAD_OF_REWARD, [plain, richer, searched], {}, KNOWN_CLIENT)

    assert ids(result.shortlist) == [3, 2, 1]


def test_totals_are_reported_before_the_limit():
    people = [reward_person(i, relevance=i / 100) for i in range(1, 31)]
    people += [reward_person(100 + i, years_experience=8) for i in range(5)]
    trust = {100 + i: dataclasses.replace(DECADE, score=60 + i) for i in range(5)}

    result = rank(HEAD_OF_REWARD, people, trust, KNOWN_CLIENT, limit=3)

    assert ids(result.shortlist) == [30, 29, 28]
    assert ids(result.wildcards) == [104, 103, 102]
    assert (result.shortlist_total, result.wildcards_total) == (30, 5)


def test_the_limit_keeps_a_richer_profile_whose_search_relevance_is_lower():
    # fit 0.75: relevance 0.8, must-haves and the role's words, but no nice-to-haves
    plain = reward_person(1, skills=("Reward strategy", "Job evaluation"), relevance=0.8)
    # fit 0.76: relevance only 0.52, but everything the brief names
    rich = reward_person(2, skills=("Reward strategy", "Job evaluation", "Benefits",
                                    "Executive compensation"), relevance=0.52)

    result = rank(HEAD_OF_REWARD, [plain, rich], {}, KNOWN_CLIENT, limit=1)

    assert (ids(result.shortlist), result.shortlist_total) == ([2], 2)


def test_a_zero_limit_still_counts_and_a_negative_one_is_refused():
    result = rank(HEAD_OF_REWARD, [reward_person(1)], {}, KNOWN_CLIENT, limit=0)

    assert (result.shortlist, result.shortlist_total) == ([], 1)
    with pytest.raises(ValueError):
        rank(HEAD_OF_REWARD, [], {}, KNOWN_CLIENT, limit=-1)


def test_qualification_named_loosely_is_met_by_a_specific_one_but_not_the_reverse():
    loose = dataclasses.replace(HEAD_OF_REWARD, qualifications=("cipd",))
    only_cipd = reward_person(1, qualifications=("CIPD",))
    in_skills = reward_person(2, qualifications=(), skills=(
        "Reward strategy", "Job evaluation", "cipd level-7"))

    assert ids(rank(loose, [reward_person(3)], {}, KNOWN_CLIENT).shortlist) == [3]
    assert rank(HEAD_OF_REWARD, [only_cipd], {}, KNOWN_CLIENT).shortlist == []
    assert ids(rank(HEAD_OF_REWARD, [in_skills], {}, KNOWN_CLIENT).shortlist) == [2]


def test_remote_roles_accept_people_open_to_remote_work_elsewhere():
    remote = dataclasses.replace(HEAD_OF_REWARD, remote_ok=True)
    leeds_remote = reward_person(1, location="Leeds", open_to_remote=True)
    leeds_office = reward_person(2, location="Leeds")
    london_uk = reward_person(3, location="london, UK")

    result = rank(remote, [leeds_remote, leeds_office, london_uk], {2: DECADE}, KNOWN_CLIENT)

    assert sorted(ids(result.shortlist)) == [1, 3]
    assert result.wildcards[0].set_aside == [
        "based in Leeds, role is in London (remote is possible, but they have not said they "
        "are open to it)"
    ]


# --- Properties over random networks ---------------------------------------------------------

SKILLS = ["Reward strategy", "reward STRATEGY", "Job evaluation", "Benefits", "Payroll", "Python"]
QUALS = ["CIPD", "CIPD Level 7", "cipd level 5", "ACCA"]
PLACES = ["London", "london, UK", "Leeds", None]
BANDS = ["strong", "steady", "fading", "dormant", "new"]

criteria_st = st.builds(
    Criteria,
    title=st.sampled_from(["Head of Reward", "Payroll Manager", ""]),
    must_skills=st.lists(st.sampled_from(SKILLS), max_size=3).map(tuple),
    nice_skills=st.lists(st.sampled_from(SKILLS), max_size=2).map(tuple),
    min_years=st.none() | st.integers(0, 15),
    location=st.sampled_from(PLACES),
    remote_ok=st.booleans(),
    qualifications=st.lists(st.sampled_from(QUALS), max_size=2).map(tuple),
    keywords=st.lists(st.sampled_from(["reward", "payroll", "benefits"]), max_size=2).map(tuple),
)
person_st = st.builds(
    CandidateFacts,
    person_id=st.integers(1, 40),
    name=st.just("P"),
    title=st.sampled_from(["Reward Manager", "Software Engineer", "Payroll lead", ""]),
    headline=st.sampled_from(["", "Benefits and reward", "Rewards, payroll & pensions"]),
    skills=st.lists(st.sampled_from(SKILLS), max_size=5).map(tuple),
    years_experience=st.none() | st.integers(0, 20),
    location=st.sampled_from(PLACES),
    open_to_remote=st.booleans(),
    qualifications=st.lists(st.sampled_from(QUALS), max_size=2).map(tuple),
    relevance=st.floats(0, 1),
    consent_required=st.booleans(),
)
trust_st = st.builds(
    TrustFacts,
    score=st.integers(0, 100),
    band=st.sampled_from(BANDS),
    years_known=st.floats(0, 20),
    confirmed_count=st.integers(0, 20),
    gave_to_recruiter=st.integers(0, 5),
    received_from_recruiter=st.integers(0, 5),
    balanced=st.booleans(),
)

# Half the relationships drawn clear the wild-card floor, so that wild cards are common.
vouching_st = st.builds(
    dataclasses.replace,
    st.just(DECADE),
    score=st.integers(55, 100),
    band=st.sampled_from(["strong", "steady"]),
    confirmed_count=st.integers(5, 30),
)


def meets_every_must_have(c, criteria):
    """An independent reading of the must-haves, for the property below."""
    held = {s.lower() for s in c.skills}
    if not {s.lower() for s in criteria.must_skills} <= held:
        return False
    owned = [q.lower().split() for q in c.qualifications + c.skills]
    for asked in criteria.qualifications:
        words = asked.lower().split()
        if not any(q[: len(words)] == words for q in owned):
            return False
    years = c.years_experience
    if criteria.min_years is not None and (years is None or years < criteria.min_years):
        return False
    if criteria.location and not (criteria.remote_ok and c.open_to_remote):
        return place(c.location) == place(criteria.location)
    return True


def place(location):
    return (location or "").split(",")[0].strip().lower()


@settings(max_examples=300, deadline=None)
@given(
    criteria=criteria_st,
    people=st.lists(person_st, max_size=25, unique_by=lambda p: p.person_id),
    trust=st.dictionaries(st.integers(1, 40), trust_st | vouching_st, max_size=25),
    dismissed=st.sets(st.integers(1, 40), max_size=5),
    limit=st.integers(0, 6),
)
def test_lists_are_disjoint_and_the_shortlist_meets_every_must_have(
    criteria, people, trust, dismissed, limit
):
    by_id = {p.person_id: p for p in people}
    result = rank(criteria, people, trust, ClientFacts("C"), dismissed, limit)

    shortlisted, wild = set(ids(result.shortlist)), set(ids(result.wildcards))
    assert not shortlisted & wild
    assert not (shortlisted | wild) & dismissed
    assert all(meets_every_must_have(by_id[i], criteria) for i in shortlisted)
    for card in result.wildcards:
        assert not meets_every_must_have(by_id[card.person_id], criteria)
        assert 1 <= len(card.set_aside) <= MAX_MISSED_MUST_HAVES
        assert trust_vouches(trust[card.person_id]) and card.fit >= round(FIT_FLOOR, 3)
    assert result.dismissed_count == len(dismissed & by_id.keys())

    # The limit cuts the best of everyone who qualified, in order, and says how many there were.
    prepared = PreparedCriteria(criteria)
    qualified = [p for p in people if p.person_id not in dismissed
                 and meets_every_must_have(p, criteria)]
    best = sorted(qualified, key=lambda p: (-prepared.fit(p), -trust.get(
        p.person_id, TrustFacts(-1, "new")).score, p.person_id))
    assert result.shortlist_total == len(qualified)
    assert ids(result.shortlist) == [p.person_id for p in best[:limit]]
    assert len(result.wildcards) == min(limit, result.wildcards_total)
    assert [w.trust_score for w in result.wildcards] == sorted(
        (w.trust_score for w in result.wildcards), reverse=True)


@settings(max_examples=200, deadline=None)
@given(
    criteria=criteria_st,
    people=st.lists(person_st, max_size=25, unique_by=lambda p: p.person_id),
    trust=st.dictionaries(st.integers(1, 40), trust_st | vouching_st, max_size=25),
    limit=st.integers(0, 6),
)
def test_criteria_judged_once_rank_as_fresh_ones(criteria, people, trust, limit):
    # The openings page judges each profile once (whom to rank, then the ranking itself)
    # through one PreparedCriteria: it must count misses as it lists them, and rank the same.
    prepared = PreparedCriteria(criteria)
    assert [prepared.missed_count(p) for p in people] == [len(prepared.misses(p)) for p in people]
    assert [prepared.fit(p) for p in people] == [PreparedCriteria(criteria).fit(p) for p in people]
    client = ClientFacts("C")
    assert rank(prepared, people, trust, client, limit=limit) == rank(
        criteria, people, trust, client, limit=limit)
