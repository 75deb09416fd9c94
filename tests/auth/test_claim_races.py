"""Two people claiming the same record at the same moment, through two live invitations (the
record's address changed between them): one wins, the other is told so with a 409, never a
deadlock or a 500. Real concurrent requests, each on its own thread, session and connection,
against whichever database the suite runs on (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

import threading

from sqlalchemy import select

from extensions import db
from referrals.models import Person
from referrals.network import invitations, people
from tests.conftest import TOKEN_RE, login

ROUNDS = 3


def _browser(app, email: str, token: str):
    """A signed-in browser that opened its invitation link, and the claim form's CSRF token."""
    browser = app.test_client()
    login(browser, email)
    browser.get(f"/invite/{token}")
    page = browser.get("/claim")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return browser, TOKEN_RE.search(page.get_data(as_text=True)).group(1)


def _claim_together(browsers) -> list[tuple[int, str]]:
    """POST both claims at once (a barrier releases them together); (status, page) each."""
    start, answers = threading.Barrier(len(browsers)), [None] * len(browsers)

    def claim(index, browser, csrf):
        with browser.application.app_context():  # each request still gets its own, inside
            start.wait(timeout=10)
            response = browser.post("/claim", data={"csrf_token": csrf,
                                                    "visibility": "connections"})
            answers[index] = (response.status_code, response.get_data(as_text=True))
            db.session.remove()

    threads = [threading.Thread(target=claim, args=(i, *b)) for i, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a claim never answered"
    return answers


def test_two_claims_of_one_record_at_once_give_one_winner_and_a_clear_409(app, make):
    recruiter = make.user("recruiter")
    for round_ in range(ROUNDS):
        first, second = f"old{round_}@example.com", f"new{round_}@example.com"
        record = make.contact(recruiter, "Pat Quinn", email=first)
        old_link = invitations.create_invitation(recruiter, record)
        people.update_profile(record, email=second)  # the recruiter corrects the address
        new_link = invitations.create_invitation(recruiter, record)
        users = [make.user("candidate", email=first), make.user("candidate", email=second)]
        browsers = [_browser(app, first, old_link), _browser(app, second, new_link)]
        db.session.commit()  # the test holds no transaction while the claims run

        answers = _claim_together(browsers)

        assert sorted(status for status, _page in answers) == [302, 409], answers
        (loser_page,) = [page for status, page in answers if status == 409]
        assert "This record has already been claimed" in loser_page or \
            "already been used" in loser_page
        db.session.expire_all()
        winners = [user for user, (status, _page) in zip(users, answers, strict=True)
                   if status == 302]
        kept = db.session.get(Person, record.id)
        assert kept.merged_into_id == winners[0].person.id
        assert db.session.scalar(select(Person.merged_into_id).where(
            Person.id == users[0].person.id if winners[0] is users[1]
            else Person.id == users[1].person.id)) is None  # the loser keeps their profile
