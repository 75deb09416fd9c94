"""What tests/test_bad_input.py sends: the bad values each kind of field gets and the message
each must answer with, every form set up with a user allowed to send it, and hostile import
files."""

from dataclasses import dataclass, field

from referrals.network import invitations
from referrals.openings import services as openings
from tests.conftest import PASSWORD, login, post

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
MARKUP = {"script": SCRIPT, "image": IMAGE}
RAW_TAGS = {"script": SCRIPT, "image": "<img src=x onerror=alert(1)>"}  # what must never appear
BOTH_PAYLOADS = f"{SCRIPT} {IMAGE}"  # 56 characters: fits every field, even one skill
CONTROL = {"NUL": "a\x00b", "bell": "a\x07b", "escape": "a\x1bb", "line separator": "a\u2028b"}
LONG = "x" * 10_000
NEW_PASSWORD = "a sturdy passphrase 42"

REQUIRED = "This field is required."
NOT_PLAIN = "Remove the control characters from this field."
NOT_A_CHOICE = "Not a valid choice."
NOT_AN_EMAIL = "Enter a valid e-mail address."
NOT_AN_INTEGER = "Not a valid integer value."
NOT_A_DATE = "Enter a date like 3 Dec 2026."
NO_MATCH = "That e-mail and password do not match an active account."
FORM_EXPIRED = "This form expired or was sent from elsewhere."
TOO_LARGE = "That upload is too large."

# --- What bad input each kind of field gets, and the message it must answer with --------------


@dataclass(frozen=True)
class Bad:
    """A bad value, what to call it, the message it must produce, and where that shows."""

    label: str
    value: str
    message: str
    shown_in: str | None = None  # an error paragraph's id; None: the field's own


def text(max_len: int, required: bool = False) -> list[Bad]:
    """A line or a note: required if so, bounded, and free of control characters."""
    cases = [Bad("too long", LONG, f"Field cannot be longer than {max_len} characters.")]
    if required:
        cases += [Bad("empty", "", REQUIRED), Bad("only spaces", "   ", REQUIRED)]
    return cases + [Bad(name, value, NOT_PLAIN) for name, value in CONTROL.items()]


def email(required: bool = False) -> list[Bad]:
    """An e-mail address: well-formed and bounded."""
    cases = [Bad("too long", LONG + "@example.com", "Field cannot be longer than 254 characters."),
             Bad("not an address", "not-an-email", NOT_AN_EMAIL)]
    cases += [Bad(name, f"x{value}y@example.com", NOT_AN_EMAIL) for name, value in CONTROL.items()]
    cases += [Bad(name, value, NOT_AN_EMAIL) for name, value in MARKUP.items()]
    return cases + ([Bad("empty", "", REQUIRED)] if required else [])


def lines(max_len: int) -> list[Bad]:
    """One item per line (skills, qualifications): as text, but U+2028 is a line break here
    (str.splitlines), so it is kept as one rather than refused."""
    return [bad for bad in text(max_len) if bad.label != "line separator"]


def choice(message: str = NOT_A_CHOICE, shown_in: str | None = None,
           required: bool = False) -> list[Bad]:
    """A menu: only its own values."""
    return [Bad("unknown", "wizard", message, shown_in),
            Bad("empty", "", REQUIRED if required else message, shown_in),
            Bad("script", SCRIPT, message, shown_in), Bad("too long", LONG, message, shown_in)]


def number_of_years() -> list[Bad]:
    """Years of experience: a whole number from 0 to 70."""
    out_of_range = "Enter a number of years from 0 to 70."
    return [Bad("letters", "ten", NOT_AN_INTEGER), Bad("decimal", "2.5", NOT_AN_INTEGER),
            Bad("script", SCRIPT, NOT_AN_INTEGER), Bad("10,000 digits", "9" * 10_000,
                                                       NOT_AN_INTEGER),
            Bad("negative", "-1", out_of_range), Bad("huge", "9" * 30, out_of_range)]


def day() -> list[Bad]:
    """The date of an interaction: a real, past day after 1950."""
    unparsed = {"letters": "yesterday", "impossible": "2024-02-30", "too long": LONG,
                "script": SCRIPT}
    return [Bad("empty", "", "Enter the date it happened."),
            *[Bad(label, value, NOT_A_DATE)
              for label, value in unparsed.items()],
            Bad("future", "2999-01-01", "That date is in the future; log what has happened."),
            Bad("too old", "1900-01-01", "Enter a date after 1950.")]


def new_password() -> list[Bad]:
    """A new password: 8 to 256 characters."""
    length = "Field must be between 8 and 256 characters long."
    return [Bad("empty", "", REQUIRED), Bad("short", "short", length),
            Bad("too long", LONG, length)]


def account_fields() -> dict:
    """What a new account is checked for (register, and claiming an invitation)."""
    return {"name": text(120, required=True), "email": email(required=True),
            "password": new_password(),
            "confirm": [Bad("empty", "", REQUIRED),
                        Bad("different", "another passphrase 9", "The two passwords differ.")]}


def person_fields(with_email: bool = True) -> dict:
    """The facts of a profile, as a contact or a profile edit carries them."""
    fields = {"name": text(120, required=True), "headline": text(160), "title": text(120),
              "organisation": text(120), "location": text(120),
              "years_experience": number_of_years(),
              "skills": [*lines(3000)[1:], Bad("too long", "x" * 3001, "Field cannot be longer "
                                              "than 3000 characters."),
                         Bad("one skill too long", "y" * 61, "Keep each skill under 60 "
                             "characters."),
                         Bad("too many", "\n".join(f"skill {n}" for n in range(51)),
                             "List at most 50 skills.")],
              "summary": text(5000)}
    return {**fields, "email": email()} if with_email else fields


def interaction_fields() -> dict:
    """What an interaction carries."""
    return {"occurred_on": day(), "kind": choice(), "direction": choice(),
            "note": text(2000), "private_note": text(2000)}


# --- The forms, each set up with a user allowed to send it -----------------------------------


@dataclass
class Target:
    """A form to send: the browser allowed to send it, where to, and a valid submission; plus
    the (browser, path) pages that show what it saved, and whether the page it redirects to
    does too."""

    client: object
    path: str
    valid: dict
    pages: list = field(default_factory=list)
    redirect_shows: bool = True
    token_page: str = "/password"  # a light page with a CSRF token for this browser

    def send(self, **changes):
        """POST the valid values with these changes, as the browser would (CSRF included)."""
        return post(self.client, self.path, {**self.valid, **changes},
                    token_from=self.token_page)


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _new_account(email: str = "nadia@example.com") -> dict:
    return {"name": "Nadia Field", "email": email,
            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


def _profile_values(**overrides) -> dict:
    values = {"name": "Claire Dunn", "email": "", "headline": "", "title": "", "organisation": "",
              "location": "", "years_experience": "", "skills": "", "summary": ""}
    return {**values, **overrides}


def _interaction_values() -> dict:
    return {"occurred_on": "2024-03-05", "kind": "advice", "direction": "i_gave",
            "note": "Talked it through.", "private_note": ""}


def _opening_values(client_id: int) -> dict:
    return {"client_id": str(client_id), "title": "People Partner", "organisation": "",
            "location": "", "min_years": "", "must_skills": "", "nice_skills": "",
            "qualifications": "", "description": ""}


def register_form(app, make):
    """Anyone signs up."""
    client = app.test_client()
    return Target(client, "/register", _new_account(), [(client, "/"), (client, "/people/me")],
                  token_page="/login")


def login_form(app, make):
    """Anyone signs in."""
    user = make.user()
    return Target(app.test_client(), "/login", {"email": user.email, "password": PASSWORD},
                  token_page="/login")


def password_form(app, make):
    """A signed-in user changes their password."""
    client = _signed_in(app, make.user())
    return Target(client, "/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                        "confirm": NEW_PASSWORD})


def claim_form(app, make):
    """Someone holding an invitation asks for an account at the invited address to claim it."""
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, "Claire Dunn", email="claire@example.com")
    token = invitations.create_invitation(recruiter, contact)
    client = app.test_client()
    client.get(f"/invite/{token}")  # the browser now remembers which invitation it claims
    return Target(client, "/claim", {"name": "Nadia Field", "password": NEW_PASSWORD,
                                     "confirm": NEW_PASSWORD},
                  redirect_shows=False, token_page="/claim")


def claim_profile_form(app, make):
    """The owner of the invited address, signed in, claims the record and picks visibility."""
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, "Claire Dunn", email="claire@example.com")
    token = invitations.create_invitation(recruiter, contact)
    client = _signed_in(app, make.user("candidate", email="claire@example.com"))
    client.get(f"/invite/{token}")
    return Target(client, "/claim", {"visibility": "connections"}, [(client, "/people/me")],
                  token_page="/claim")


def contact_form(app, make):
    """A recruiter adds a contact."""
    client = _signed_in(app, make.user("recruiter"))
    return Target(client, "/people/new", _profile_values(role="candidate"), [(client, "/")])


def profile_form(app, make):
    """A candidate edits their own profile (no e-mail field: it is their sign-in)."""
    user, recruiter = make.user(), make.user("recruiter")
    client, observer = _signed_in(app, user), _signed_in(app, recruiter)
    values = _profile_values(visibility="recruiters")
    del values["email"]
    page = f"/people/{user.person.id}"
    return Target(client, f"{page}/edit", values, [(client, page), (observer, page)])


def contact_edit_form(app, make):
    """A recruiter edits a contact they keep (with its e-mail)."""
    recruiter = make.user("recruiter")
    contact = make.contact(recruiter, "Claire Dunn")
    client = _signed_in(app, recruiter)
    page = f"/people/{contact.id}"
    return Target(client, f"{page}/edit", _profile_values(visibility="connections"),
                  [(client, page), (client, "/")])


def _connected_pair(app, make):
    recruiter, candidate = make.user("recruiter"), make.user()
    rel = make.connect(recruiter, candidate)
    return recruiter, candidate, rel, _signed_in(app, recruiter), _signed_in(app, candidate)


def log_form(app, make):
    """A party logs an interaction; both sides see it."""
    _r, _c, rel, mine, theirs = _connected_pair(app, make)
    page = f"/relationships/{rel.id}"
    return Target(mine, f"{page}/interactions", _interaction_values(),
                  [(mine, page), (theirs, page), (theirs, "/")])


def edit_interaction_form(app, make):
    """The logger edits an interaction; both sides see it."""
    recruiter, _c, rel, mine, theirs = _connected_pair(app, make)
    entry = make.log(recruiter, rel)
    page = f"/relationships/{rel.id}"
    return Target(mine, f"/relationships/interactions/{entry.id}/edit", _interaction_values(),
                  [(mine, page), (theirs, page), (theirs, "/")])


def dispute_form(app, make):
    """The other party disputes an interaction, saying why; both sides see the reason."""
    recruiter, _c, rel, mine, theirs = _connected_pair(app, make)
    entry = make.log(recruiter, rel)
    page = f"/relationships/{rel.id}"
    return Target(theirs, f"/relationships/interactions/{entry.id}/dispute",
                  {"reason": "That is not what happened."}, [(theirs, page), (mine, page)])


def merge_form(app, make):
    """A recruiter folds a duplicate record into another."""
    recruiter = make.user("recruiter")
    keep = make.contact(recruiter, "Claire Dunn", email="claire@example.com")
    drop = make.contact(recruiter, "Claire Dunn (old)", email="claire@example.com")
    return Target(_signed_in(app, recruiter), f"/people/{keep.id}/merge",
                  {"duplicate_id": str(drop.id)})


def cadence_form(app, make):
    """A party sets how often to stay in touch."""
    _r, _c, rel, mine, _theirs = _connected_pair(app, make)
    return Target(mine, f"/relationships/{rel.id}/cadence", {"cadence_days": "30"})


def _recruiter_with_client(app, make):
    recruiter = make.user("recruiter")
    client_contact = make.contact(recruiter, "Hiring Lead", role="client")
    return recruiter, client_contact, _signed_in(app, recruiter)


def new_opening_form(app, make):
    """A recruiter opens a role for a client in their network (its list shows the role)."""
    _r, client_contact, client = _recruiter_with_client(app, make)
    return Target(client, "/openings/new", _opening_values(client_contact.id),
                  [(client, "/openings/")], redirect_shows=False)


def edit_opening_form(app, make):
    """A recruiter edits their role (its list and its edit form show it)."""
    recruiter, client_contact, client = _recruiter_with_client(app, make)
    opening = openings.create_opening(recruiter, client_id=client_contact.id, title="Role")
    path = f"/openings/{opening.id}/edit"
    return Target(client, path, _opening_values(client_contact.id),
                  [(client, "/openings/"), (client, path)], redirect_shows=False)


def dismiss_form(app, make):
    """A recruiter dismisses someone for a role, saying why (checked before the ranking)."""
    recruiter, client_contact, client = _recruiter_with_client(app, make)
    opening = openings.create_opening(recruiter, client_id=client_contact.id, title="Role")
    person = make.contact(recruiter, "Claire Dunn")
    return Target(client, f"/openings/{opening.id}/people/{person.id}/dismiss",
                  {"reason": "Wants a shorter commute."})


# --- Mail (issue 10): forgotten password, reset link, settings, address change ---------------


def forgot_form(app, make):
    """Anyone asks for a password reset link."""
    user = make.user()
    return Target(app.test_client(), "/password/forgot", {"email": user.email},
                  token_page="/login")


def reset_form(app, make):
    """Someone holding a reset link chooses a new password."""
    from auth import tokens

    token = tokens.reset_token(make.user())
    return Target(app.test_client(), f"/password/reset/{token}",
                  {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_page="/login")


def settings_form(app, make):
    """A signed-in user chooses their mail and time zone."""
    return Target(_signed_in(app, make.user()), "/settings",
                  {"entries": "y", "recommendations": "y", "digest_day": "0",
                   "timezone": "Europe/London"})


def change_email_form(app, make):
    """A signed-in user asks to move to a new address."""
    return Target(_signed_in(app, make.user()), "/settings/email",
                  {"email": "moved@example.com", "password": PASSWORD})


MAIL_FORMS = {
    "forgot password": (forgot_form, {"email": email(required=True)}, ("email",)),
    "reset password": (reset_form, {
        "password": [*new_password(), Bad("common", "password123", "That password is one of "
                                          "the most common ones; choose something less "
                                          "guessable.")],
        "confirm": [Bad("different", "another passphrase 9", "The two passwords differ.")]},
        ("password", "confirm")),
    "mail settings": (settings_form, {"digest_day": choice(required=True),
                                      "timezone": choice(required=True)},
                      ("digest_day", "timezone")),
    "change address": (change_email_form, {
        "email": email(required=True),
        "password": [Bad("empty", "", REQUIRED),
                     Bad("wrong", "not my password", "Your current password is not right.")]},
        ("email", "password")),
}
# --- end of mail block -----------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """How to reach a form, the bad values per field, and which fields it cannot do without."""

    setup: object
    fields: dict
    required: tuple


def opening_fields() -> dict:
    """What an opening carries."""
    return {"client_id": [Bad("letters", "abc", "Invalid Choice: could not coerce."),
                          Bad("not my client", "999999", NOT_A_CHOICE),
                          Bad("empty", "", "Choose the client this role is for.")],
            "title": text(120, required=True), "organisation": text(120),
            "location": text(120),
            "min_years": [Bad("letters", "ten", NOT_AN_INTEGER),
                          Bad("negative", "-1", "Enter a number of years from 0 to 60."),
                          Bad("10,000 digits", "9" * 10_000, NOT_AN_INTEGER)],
            "must_skills": lines(2000), "nice_skills": lines(2000),
            "qualifications": lines(1000), "description": text(5000)}


def only(fields: dict, *names: str) -> dict:
    """Some fields of a form class another route already tests in full: enough to prove this
    route validates with it."""
    return {name: fields[name] for name in names}


ACCOUNT = ("name", "email", "password", "confirm")
INTERACTION = ("occurred_on", "kind", "direction")
FORMS = {
    "register": Form(register_form, account_fields(), ACCOUNT),
    "login": Form(login_form, {
        "email": [Bad("empty", "", REQUIRED),
                  Bad("too long", LONG, "Field cannot be longer than 254 characters."),
                  *[Bad(name, value, "Remove the control characters from this field.")
                    for name, value in CONTROL.items()],
                  *[Bad(name, value, NO_MATCH, "password-err") for name, value in MARKUP.items()]],
        "password": [Bad("empty", "", REQUIRED),
                     Bad("too long", LONG, "Field cannot be longer than 256 characters.")]},
        ("email", "password")),
    "change password": Form(password_form, {
        "current": [Bad("empty", "", REQUIRED), Bad("wrong", "not my password",
                                                    "Your current password is not right.")],
        "password": new_password(),
        "confirm": [Bad("different", "another passphrase 9", "The two passwords differ.")]},
        ("current", "password", "confirm")),
    "claim invitation": Form(claim_form, {**only(account_fields(), "name", "password"),
                                          "confirm": account_fields()["confirm"]},
                             ("name", "password", "confirm")),
    "claim profile": Form(claim_profile_form, {"visibility": choice(required=True)},
                          ("visibility",)),
    "add contact": Form(contact_form, {**person_fields(), "role": [
        *choice(), Bad("recruiter", "recruiter", NOT_A_CHOICE)]}, ("name", "role")),
    "edit own profile": Form(profile_form, {
        **only(person_fields(with_email=False), "name", "summary", "years_experience"),
        "visibility": choice()}, ("name", "visibility")),
    "edit kept contact": Form(contact_edit_form, {
        **only(person_fields(), "name", "email", "skills"), "visibility": choice()},
        ("name", "visibility")),
    "log interaction": Form(log_form, interaction_fields(), INTERACTION),
    "edit interaction": Form(edit_interaction_form,
                             only(interaction_fields(), "occurred_on", "kind", "note"),
                             INTERACTION),
    "dispute": Form(dispute_form, {"reason": [
        *[Bad(case.label, case.value, case.message, "flash") for case in text(1000)],
        Bad("empty", "", "Say what is not right, so the other side can fix it.", "flash")]},
        ("reason",)),
    "merge": Form(merge_form, {"duplicate_id": [
        Bad("letters", "abc", "Invalid Choice: could not coerce."),
        Bad("unknown record", "999999", NOT_A_CHOICE),
        Bad("empty", "", "Choose a record."),
        Bad("script", SCRIPT, "Invalid Choice: could not coerce.")]}, ("duplicate_id",)),
    "stay in touch": Form(cadence_form, {"cadence_days": [
        *choice("Choose one of the listed cadences.", "flash"),
        Bad("unlisted number", "7", "Choose one of the listed cadences.", "flash")]},
        ("cadence_days",)),
    "open a role": Form(new_opening_form, opening_fields(), ("client_id", "title")),
    "edit a role": Form(edit_opening_form,
                        only(opening_fields(), "client_id", "title", "min_years"),
                        ("client_id", "title")),
    "dismiss from a role": Form(dismiss_form, {"reason": [
        Bad(case.label, case.value, case.message, "page") for case in [
            *text(300), Bad("empty", "", "Say why, so you remember next time.")]]},
        ("reason",)),
    **{name: Form(*spec) for name, spec in MAIL_FORMS.items()},
}


# --- The pipeline (issue 12): recommending with a vouch, rewording it, answering, writing -----


def _recommendation(app, make):
    """A wild card r recommended to a client with an account; the two signed-in browsers."""
    recruiter, client_user = make.user("recruiter"), make.user("client")
    make.connect(recruiter, client_user)
    contact = make.contact(recruiter, "Claire Dunn")
    opening = openings.create_opening(recruiter, client_id=client_user.person.id, title="Role")
    decision = openings.recommend(recruiter, opening, contact, wildcard=True, explanation=[],
                                  vouch="Known her for years.")
    path = f"/openings/recommendations/{decision.id}"
    return path, _signed_in(app, recruiter), _signed_in(app, client_user), opening, contact


def recommend_form(app, make):
    """A recruiter recommends someone with a vouch (checked before the ranking)."""
    recruiter, client_contact, client = _recruiter_with_client(app, make)
    opening = openings.create_opening(recruiter, client_id=client_contact.id, title="Role")
    person = make.contact(recruiter, "Claire Dunn")
    return Target(client, f"/openings/{opening.id}/people/{person.id}/recommend",
                  {"vouch": "Known her for years."})


def vouch_form(app, make):
    """The recruiter rewords the vouch of a wild card (required) before the client reads it."""
    path, recruiter, _client, _opening, _contact = _recommendation(app, make)
    return Target(recruiter, f"{path}/vouch", {"vouch": "Ten years of straight answers."},
                  [(recruiter, path)])


def stage_form(app, make):
    """The client answers a recommendation; the recruiter's opening page shows it."""
    path, recruiter, client, opening, _contact = _recommendation(app, make)
    return Target(client, f"{path}/stage", {"stage": "interview", "note": ""},
                  [(client, path), (recruiter, f"/openings/{opening.id}")])


def message_form(app, make):
    """The client asks the recruiter a question about a recommendation; both see it."""
    path, recruiter, client, _opening, _contact = _recommendation(app, make)
    return Target(client, f"{path}/messages", {"body": "Is she open to hybrid work?"},
                  [(client, path), (recruiter, path)])


def _on_page(cases: list) -> list:
    return [Bad(case.label, case.value, case.message, "page") for case in cases]


NOT_NOW = "Say why not now, so the recruiter can look again."
FORMS.update({
    "recommend to a client": Form(recommend_form, {"vouch": _on_page(text(1000))}, ()),
    "reword the vouch": Form(vouch_form, {"vouch": _on_page([
        *text(1000), Bad("empty on a wild card", "", "A wild card rests on your word")])},
        ()),
    "answer a recommendation": Form(stage_form, {
        "stage": _on_page([Bad("unknown", "wizard", NOT_A_CHOICE),
                           Bad("empty", "", "Choose where it stands."),
                           Bad("script", SCRIPT, NOT_A_CHOICE),
                           Bad("too long", LONG, NOT_A_CHOICE),
                           Bad("not answered yet", "sent", NOT_A_CHOICE),
                           Bad("not now without a reason", "not_now", NOT_NOW)]),
        "note": _on_page(text(1000))}, ("stage",)),
    "message about a recommendation": Form(message_form, {"body": _on_page([
        *text(1000), Bad("empty", "", "Write your message."),
        Bad("only spaces", "   ", "Write your message.")])}, ("body",)),
})
# --- end of the pipeline ----------------------------------------------------------------------


# --- Deleting one's account (issue 14) --------------------------------------------------------
def delete_account_form(app, make):
    """A signed-in user deletes their account."""
    return Target(_signed_in(app, make.user()), "/account/delete",
                  {"password": PASSWORD, "understood": "y"}, token_page="/account/delete")


FORMS["delete account"] = Form(delete_account_form, {
    "password": [Bad("empty", "", REQUIRED), Bad("wrong", "not my password",
                                                 "That is not your password."),
                 Bad("too long", LONG, "Field cannot be longer than 256 characters.")],
    "understood": [Bad("not ticked", "", "Tick this to confirm.")]}, ("password", "understood"))
# --- end of deleting one's account ------------------------------------------------------------

# --- Standing (issue 15): proposing one's organisation when applying -------------------------
def propose_organisation_form(app, make):
    """A verified person at a domain no organisation has registered applies, proposing it."""
    client = _signed_in(app, make.user(email="pat@freshfirm.example"))
    return Target(client, "/standing/apply", {"name": "Fresh Firm", "kind": "recruiting firm"},
                  [(client, "/standing/apply")])


FORMS["propose organisation"] = Form(propose_organisation_form, {
    "name": text(120, required=True), "kind": choice(required=True)}, ("name", "kind"))


def domain_form(app, make):
    """An organisation's admin adds a second domain (its link mailed to an address at it)."""
    firm = make.organisation("Acme", "acme.example")
    client = _signed_in(app, make.user("recruiter", member_of=firm, org_admin=True,
                                       email="ann@acme.example"))
    page = f"/organisations/{firm.id}/domains"
    return Target(client, page, {"domain": "acme-group.example",
                                 "address": "it@acme-group.example"}, [(client, page)],
                  token_page=page)


NOT_A_DOMAIN = "Enter a domain such as acme.co.uk."
FORMS["add a domain"] = Form(domain_form, {
    "domain": [*text(253, required=True),
               *[Bad(label, value, NOT_A_DOMAIN) for label, value in (
                   ("one word", "acme"), ("two dots", "acme..example"), ("script", SCRIPT),
                   ("an address", "it@acme-group.example"))],
               Bad("free webmail", "gmail.com", "gmail.com is an address anyone can open")],
    "address": [*email(),
                Bad("at another domain", "it@elsewhere.example",
                    "Give an address at acme-group.example", "page")]}, ("domain",))
# Sign-up answers with a page (the same for a new and a taken address), not a redirect.
ACCEPTED_STATUS = {"register": 200}
# --- end of standing ------------------------------------------------------------------------
# --- CVs (issue 12): the upload refuses what is not a safe PDF or Word document ---------------


@dataclass
class UploadTarget(Target):
    """A form with a file: (bytes, name) values are sent as files, the body encoded here; a
    callable value is called for it first (so a costly file is built only when sent)."""

    def send(self, **changes):
        from tests.conftest import csrf_token
        from tests.cv_samples import multipart

        values = {key: value() if callable(value) else value  # built when sent
                  for key, value in {**self.valid, **changes}.items()}
        body, content_type = multipart({"csrf_token": csrf_token(self.client, self.token_page),
                                        **values})
        return self.client.post(self.path, data=body, content_type=content_type)


def cv_form(app, make):
    """A candidate attaches a CV to their own profile."""
    from tests import cv_samples

    user = make.user()
    page = f"/people/{user.person.id}"
    return UploadTarget(_signed_in(app, user), f"{page}/cv",
                        {"file": (cv_samples.pdf(), "Grace Liu CV.pdf")}, [],
                        redirect_shows=False, token_page=page)


def cv_fields() -> dict:
    """The hostile files the CV upload must refuse, each with its reason."""
    from referrals.network.cv_files import MAX_CV_BYTES
    from tests import cv_samples

    pdf = cv_samples.pdf()
    return {"file": [
        Bad("empty", (b"", "cv.pdf"), "Choose your CV file"),
        Bad("too large", (pdf + b"%" * (MAX_CV_BYTES + 1 - len(pdf)), "cv.pdf"),
            "The file is larger than 5 MB."),
        Bad("program renamed .pdf", (b"MZ\x90\x00" + b"\0" * 512, "cv.pdf"),
            "This file is not a PDF or a Word (.docx) document."),
        Bad("text renamed .pdf", (b"Grace Liu, HR Business Partner", "cv.pdf"),
            "This file is not a PDF or a Word (.docx) document."),
        Bad("PDF with script", (cv_samples.pdf_with_script(), "cv.pdf"),
            "This PDF contains script or embedded files"),
        Bad("PDF with hidden script", (cv_samples.pdf_with_hidden_script(), "cv.pdf"),
            "This PDF contains script or embedded files"),
        Bad("zip bomb named .docx", lambda: (cv_samples.zip_bomb(1), "cv.docx"), "a \"zip bomb\""),
        Bad("Word with macros", (cv_samples.docx_with_macros(), "cv.docx"),
            "This Word document contains macros"),
        Bad("markup as the file", SCRIPT, "Choose your CV file"),
    ]}


FORMS["attach a CV"] = Form(cv_form, cv_fields(), ())
# --- end of CVs ------------------------------------------------------------------------------

# --- Import files (issue 14): hostile files the upload must refuse ------------------------------

IMPORT_HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def _zip_named_csv() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Connections.csv", IMPORT_HEADER.decode() + "Ada,L,,,,,\r\n")
    return buffer.getvalue()


QUOTED_IMAGE = '"' + IMAGE.replace('"', '""') + '"'
HOSTILE_FILES = {
    "empty": (b"", "The file is empty."),
    "binary": (bytes(range(256)) * 64, "This is not a text file."),
    "zip renamed .csv": (_zip_named_csv(), "This is a zip archive"),
    "1,000,000 rows": (b"Name\n" + b"x\n" * 1_000_000, "The file has more than 30,000 rows."),
    "broken quoting": (IMPORT_HEADER + b'"Ada,Lovelace,,,,,22 Dec 2025\r\n',
                       "The CSV is broken near line"),
    "mixed encodings": (IMPORT_HEADER + "José,Núñez,,,,,22 Dec 2025\r\n".encode()
                        + "Zoë,Brück,,,,,22 Dec 2025\r\n".encode("cp1252"),
                        "The file mixes text encodings"),
    "header only": (IMPORT_HEADER, "The file has a header but no people in it."),
}


def _upload(client, data: bytes, name: str = "Connections.csv"):
    """Send a file as the upload form does, encoded here (see oversized_bodies in
    tests/test_bad_input.py on why)."""
    from tests.conftest import csrf_token

    boundary = "kinship-import-boundary"
    token = csrf_token(client, "/network/import")
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n').encode() + data + (
            f"\r\n--{boundary}--\r\n").encode()
    return client.post("/network/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")
