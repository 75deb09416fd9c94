"""Mutual histories: logging, confirming, disputing, editing and removing, seen from both sides."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from referrals.models import AuditEvent, Interaction
from tests.conftest import login, post


def _pair(make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    return recruiter, candidate, rel


def _log_form(**overrides):
    data = {"occurred_on": "2024-03-05", "kind": "advice", "direction": "i_gave",
            "note": "Talked through the restructure.", "private_note": ""}
    data.update(overrides)
    return data


def test_logged_interaction_is_pending_for_the_other_side_until_confirmed(app, make):
    recruiter, candidate, rel = _pair(make)
    a, b = app.test_client(), app.test_client()
    login(a, recruiter.email)
    response = post(a, f"/relationships/{rel.id}/interactions", _log_form(),
                    token_from=f"/relationships/{rel.id}")
    assert response.status_code == 302
    interaction = db.session.scalar(select(Interaction))
    login(b, candidate.email)
    page = b.get("/").get_data(as_text=True)
    assert "Waiting for you" in page and "advice" in page
    rel_page = b.get(f"/relationships/{rel.id}").get_data(as_text=True)
    assert "Talked through the restructure." in rel_page
    assert f"{recruiter.person.name.split(' ')[0]} gave" in rel_page  # direction from b's side
    response = post(b, f"/relationships/interactions/{interaction.id}/confirm",
                    token_from=f"/relationships/{rel.id}")
    assert response.status_code == 302
    for client in (a, b):
        html = client.get(f"/relationships/{rel.id}").get_data(as_text=True)
        assert "confirmed" in html


def test_the_author_cannot_confirm_their_own_entry(app, make):
    recruiter, candidate, rel = _pair(make)
    interaction = make.log(recruiter, rel)
    client = app.test_client()
    login(client, recruiter.email)
    response = post(client, f"/relationships/interactions/{interaction.id}/confirm")
    assert response.status_code == 409
    assert db.session.get(Interaction, interaction.id).status == "pending"


def test_dispute_needs_a_reason_and_shows_it_to_both(app, make):
    recruiter, candidate, rel = _pair(make)
    interaction = make.log(recruiter, rel)
    client = app.test_client()
    login(client, candidate.email)
    empty = post(client, f"/relationships/interactions/{interaction.id}/dispute",
                 {"reason": "  "})
    assert empty.status_code == 400
    assert db.session.get(Interaction, interaction.id).status == "pending"
    post(client, f"/relationships/interactions/{interaction.id}/dispute",
         {"reason": "It was a phone call, not advice."})
    db.session.expire_all()
    assert db.session.get(Interaction, interaction.id).status == "disputed"
    author = app.test_client()
    login(author, recruiter.email)
    assert "It was a phone call, not advice." in author.get(
        f"/relationships/{rel.id}").get_data(as_text=True)


def test_editing_a_confirmed_entry_returns_it_to_pending(app, make):
    recruiter, candidate, rel = _pair(make)
    interaction = make.log(recruiter, rel, confirm_by=candidate)
    client = app.test_client()
    login(client, recruiter.email)
    response = post(client, f"/relationships/interactions/{interaction.id}/edit",
                    _log_form(kind="referral", note="Referred a candidate."),
                    token_from=f"/relationships/interactions/{interaction.id}/edit")
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Interaction, interaction.id)
    assert (edited.kind, edited.status) == ("referral", "pending")


def test_only_the_author_edits_or_removes(app, make):
    recruiter, candidate, rel = _pair(make)
    interaction = make.log(recruiter, rel)
    client = app.test_client()
    login(client, candidate.email)
    assert client.get(f"/relationships/interactions/{interaction.id}/edit").status_code == 403
    response = post(client, f"/relationships/interactions/{interaction.id}/delete")
    assert response.status_code == 403
    assert db.session.get(Interaction, interaction.id) is not None


def test_removing_keeps_an_audit_record_both_sides_see(app, make):
    recruiter, candidate, rel = _pair(make)
    interaction_id = make.log(recruiter, rel, note="Coffee in Soho.", private_note="secret-x").id
    client = app.test_client()
    login(client, recruiter.email)
    post(client, f"/relationships/interactions/{interaction_id}/delete")
    assert db.session.get(Interaction, interaction_id) is None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "removed"))
    assert "Coffee in Soho." in audit.detail and "secret-x" not in audit.detail
    other = app.test_client()
    login(other, candidate.email)
    html = other.get(f"/relationships/{rel.id}").get_data(as_text=True)
    assert "Removed entries (1)" in html and "Coffee in Soho." in html


def test_private_note_is_seen_only_by_its_author(app, make):
    recruiter, candidate, rel = _pair(make)
    make.log(recruiter, rel, private_note="PRIVATE-MARKER-7731")
    author, other = app.test_client(), app.test_client()
    login(author, recruiter.email)
    login(other, candidate.email)
    assert "PRIVATE-MARKER-7731" in author.get(f"/relationships/{rel.id}").get_data(as_text=True)
    for path in ("/", f"/relationships/{rel.id}", f"/people/{recruiter.person.id}"):
        assert "PRIVATE-MARKER-7731" not in other.get(path).get_data(as_text=True)


def test_future_dates_are_refused_and_nothing_is_saved(app, make):
    recruiter, candidate, rel = _pair(make)
    client = app.test_client()
    login(client, recruiter.email)
    future = (date.today() + timedelta(days=10)).isoformat()
    response = post(client, f"/relationships/{rel.id}/interactions",
                    _log_form(occurred_on=future), token_from=f"/relationships/{rel.id}")
    assert response.status_code == 400
    assert "in the future" in response.get_data(as_text=True)
    assert db.session.scalar(select(Interaction.id)) is None


def test_past_dates_are_allowed(app, make):
    recruiter, candidate, rel = _pair(make)
    client = app.test_client()
    login(client, recruiter.email)
    post(client, f"/relationships/{rel.id}/interactions", _log_form(occurred_on="2011-06-01"),
         token_from=f"/relationships/{rel.id}")
    assert db.session.scalar(select(Interaction.occurred_on)) == date(2011, 6, 1)


def test_dates_are_typed_as_the_pages_print_them(app, make):
    """The form offers today as "3 Dec 2026" and takes that, the long month, ISO, and day-first
    slashes; an American month-first date that cannot be a day-first one is refused."""
    recruiter, candidate, rel = _pair(make)
    client = app.test_client()
    login(client, recruiter.email)
    page = client.get(f"/relationships/{rel.id}").get_data(as_text=True)
    today = date.today()
    assert f'value="{today.day} {today:%b %Y}"' in page and "For example 3 Dec 2026" in page
    for typed in ("3 Dec 2023", " 3  december 2023 ", "2023-12-03", "03/12/2023"):
        response = post(client, f"/relationships/{rel.id}/interactions",
                        _log_form(occurred_on=typed), token_from=f"/relationships/{rel.id}")
        assert response.status_code == 302, typed
    days = db.session.scalars(select(Interaction.occurred_on)).all()
    assert days == [date(2023, 12, 3)] * 4
    response = post(client, f"/relationships/{rel.id}/interactions",
                    _log_form(occurred_on="12/31/2023"), token_from=f"/relationships/{rel.id}")
    assert response.status_code == 400
    assert "Enter a date like 3 Dec 2026." in response.get_data(as_text=True)


def test_strangers_cannot_see_or_log_on_a_relationship(app, make):
    recruiter, candidate, rel = _pair(make)
    stranger = make.user("recruiter")
    client = app.test_client()
    login(client, stranger.email)
    assert client.get(f"/relationships/{rel.id}").status_code == 404
    response = post(client, f"/relationships/{rel.id}/interactions", _log_form())
    assert response.status_code == 404
    assert db.session.scalar(select(Interaction.id)) is None
