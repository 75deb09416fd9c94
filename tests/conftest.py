"""Fixtures: a fresh migrated database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL),
a real Whoosh index in tmp_path, the test client, and builders for people and histories."""

import contextvars
import os
import re
import shutil
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from app import create_app
from extensions import db

PASSWORD = "correct horse battery staple"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Argon2 at its cheapest cost: the same algorithm and code paths, a fraction of the time."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from auth import passwords, services

    production = passwords._hasher, services._DUMMY_HASH
    passwords._hasher = PasswordHasher.from_parameters(CHEAPEST)
    services._DUMMY_HASH = passwords._hasher.hash("not a real password")
    yield
    passwords._hasher, services._DUMMY_HASH = production


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory across the tests' apps (keyed by source checksum, so an
    edited template is compiled again): each test builds a new app, and compiling every
    template again is most of what a small HTTP test would cost."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


def _migrate(url: str, instance: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t" * 40,
                      "SEARCH_INDEX_DIR": os.path.join(instance, "idx")})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated database: a SQLite file to copy, or the PostgreSQL URL, migrated once."""
    base = tmp_path_factory.mktemp("db")
    if PG_URL:
        _migrate(PG_URL, str(base))
        return PG_URL
    path = base / "template.db"
    _migrate(f"sqlite:///{path}", str(base))
    return str(path)


def _pg_truncate(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(database_template, tmp_path):
    """A database URL for one test, empty and at the latest migration."""
    if PG_URL:
        _pg_truncate(PG_URL)
        return PG_URL
    path = tmp_path / "test.db"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    The test itself holds an app context (for builders and checks); without this, every request
    would share its `g` and database session, which hides stale-state bugs and caches CSRF tokens.
    """

    def open(self, *args, **kwargs):
        db.session.commit()  # end the test's transaction so the request sees its writes
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.commit()  # and let the test see the request's writes
        return response


@pytest.fixture
def app(db_url, tmp_path):
    """The app on a fresh database and a fresh search index."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": db_url,
                      "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                      "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
                      "CV_STORAGE_DIR": str(tmp_path / "cvs"),
                      "SERVER_NAME": "localhost",
                      # Limits have their own tests (tests/auth/test_rate_limits.py, on Redis);
                      # elsewhere they would only trip the tables that sign in hundreds of times.
                      "RATELIMIT_ENABLED": False,
                      "MAIL_OUTBOX_DIR": str(tmp_path / "outbox")})
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = TEMPLATES
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser-like client speaking real HTTP semantics to the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The CLI runner for `flask ...` commands."""
    return app.test_cli_runner()


TOKEN_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str | None = None) -> str:
    """The CSRF token a page hands out to this client's session (any page with a form)."""
    for candidate in ([path] if path else ["/", "/login"]):
        match = TOKEN_RE.search(client.get(candidate).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError(f"no CSRF token on {path or '/ or /login'}")


def post(client, path: str, data: dict | None = None, token_from: str | None = None, **kw):
    """POST a form the way a browser does, with a valid CSRF token."""
    payload = dict(data or {})
    if "csrf_token" not in payload:
        payload["csrf_token"] = csrf_token(client, token_from)
    return client.post(path, data=payload, **kw)


SEARCH_LOG = ("search_changes", "search_replicas", "search_log_horizon")


def database_rows() -> dict:
    """Every row of every table, to tell whether a request wrote anything.

    Not the search change log and its replicas' bookkeeping: any search (or any worker, after
    any response) advances and prunes them without the request having written anything.
    """
    db.session.commit()
    connection = db.session.connection()
    rows = {table.name: connection.exec_driver_sql(
        f"SELECT {_compared_columns(table)} FROM {table.name} ORDER BY 1").all()
        for table in db.metadata.sorted_tables if table.name not in SEARCH_LOG}
    db.session.commit()
    return rows


# Columns any request may bump without having written anything the user asked for: a session's
# last use is noted every few minutes (auth/services.py TOUCH_EVERY), and a reader's first page
# of the day stores their trust standings of that day (referrals/trust/daily.py).
VOLATILE_COLUMNS = {"user_sessions": {"last_seen_at"},
                    "relationships": {f"standing_{name}_{side}" for name in ("on", "score", "band")
                                      for side in ("a", "b")}}


def _compared_columns(table) -> str:
    volatile = VOLATILE_COLUMNS.get(table.name, set())
    return ", ".join(column.name for column in table.columns if column.name not in volatile)


def login(client, email: str, password: str = PASSWORD):
    """Sign a client in through the real login form."""
    response = post(client, "/login", {"email": email, "password": password},
                    token_from="/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


class Builders:
    """Makers of users, contacts and histories through the same services the routes use."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def user(self, role: str = "candidate", name: str | None = None, verified: bool = True,
             member_of=None, org_admin: bool = False, site_admin: bool = False, **profile):
        """A registered user with a profile (its address verified unless verified=False);
        profile fields override the defaults.

        Recruiter and client standing is granted directly: through membership of the
        organisation `member_of` when given (its admin if `org_admin`), else by setting the role
        directly, where the organisation does not matter (no real account holds a role no
        organisation granted since migration 0019). Profiles are visible to recruiters
        unless `visibility` says otherwise (sign-up's own default is tested where it is made).
        """
        from auth import recovery, services, standing
        from referrals.network import people

        self.count += 1
        name = name or f"{role.title()} {self.count}"
        email = profile.pop("email", f"{role}{self.count}@example.com")
        user = services.register_user(name=name, email=email, password=PASSWORD)
        if verified:  # as if the link mailed at sign-up had been followed
            recovery.mark_verified(user)
        if member_of is not None:
            standing.grant_standing(user, member_of, admin=org_admin)
        elif role != "candidate":
            user.role = user.person.role = role
        user.is_admin = site_admin
        db.session.commit()
        profile.setdefault("visibility", "recruiters")
        people.update_profile(user.person, **profile)
        return user

    def organisation(self, name: str = "Northwind Talent", domain: str = "northwind.example",
                     kind: str = "recruiting firm", verified: bool = True):
        """An organisation with one e-mail domain, verified unless verified=False."""
        from auth import standing

        organisation = standing.create_organisation(name, kind, [domain], verified=verified)
        db.session.commit()
        return organisation

    def contact(self, recruiter, name: str = "Unclaimed Contact", **fields):
        """A person a recruiter keeps without an account."""
        from referrals.network import people

        role = fields.pop("role", "candidate")
        return people.add_contact(recruiter, role=role, name=name, **fields)

    def connect(self, u1, u2):
        """Two users with an accepted connection."""
        from referrals.network import people

        people.request_connection(u1, u2.person)
        return people.request_connection(u2, u1.person)

    def log(self, user, rel, *, kind="check_in", direction="mutual", day=date(2024, 1, 1),
            note="", private_note="", confirm_by=None):
        """An interaction logged by `user`, optionally confirmed by the other side."""
        from referrals.history import services as history

        side = rel.side_of(user.person.id)
        interaction = history.log_interaction(user, rel.id, side, occurred_on=day, kind=kind,
                                              direction=direction, note=note,
                                              private_note=private_note)
        if confirm_by is not None:
            history.respond(confirm_by, interaction, confirm=True)
        return interaction


@pytest.fixture
def make(app):
    """Builders for users, contacts, connections and interactions."""
    return Builders(app)


# --- A real SMTP server (aiosmtpd) for the tests that send mail -------------------------------


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it accepts, and can be told to
    answer 421 (closing) after some messages, stopped, and started again on the same port."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list = []  # email.message.EmailMessage, in order of acceptance
        self.accept_at_most: int | None = None
        self.on_message = None  # called with each accepted message, before the 250 reply
        self.login: tuple[str, str] | None = None  # when set, AUTH with these is required
        self._controller = None

    @property
    def url(self) -> str:
        """The MAIL_URL that reaches this server."""
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        """Keep the message, or refuse it with 421 once the limit is reached."""
        from email import policy
        from email.parser import BytesParser

        if self.accept_at_most is not None and len(self.received) >= self.accept_at_most:
            return "421 4.3.2 Service shutting down"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        message.envelope_to = list(envelope.rcpt_tos)
        message.raw = envelope.content  # as sent: re-serialising would fold headers anew
        self.received.append(message)
        if self.on_message is not None:
            self.on_message(message)
        return "250 2.0.0 OK"

    def start(self) -> None:
        """Listen (again) on the same port."""
        from aiosmtpd.controller import Controller

        options = {}
        if self.login is not None:
            # AUTH offered without TLS (127.0.0.1 only); the test checks that a wrong login is
            # refused and sends nothing, so "required" (which warns without TLS) is not needed.
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        given = (auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=given == self.login, handled=False)  # aiosmtpd answers 535

    def stop(self) -> None:
        """Stop listening: connections are refused until start()."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list:
        """The messages received for one address."""
        return [m for m in self.received if address in m.envelope_to]


@pytest.fixture
def smtp(app):
    """A running SMTP server, with the app's MAIL_URL pointing at it."""
    server = SmtpServer()
    server.start()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


def deliver(app, now=None):
    """One pass of the delivery worker, in the test's process, through the app's transport."""
    from mail import delivery
    from mail.transports import transport_for

    return delivery.deliver_due(transport_for(app.config), now=now)


LINK_RE = re.compile(r"https?://[^\s\"<>]+")


def links_in(message) -> list[str]:
    """The links of a message's plain-text part."""
    return LINK_RE.findall(message.get_body(preferencelist=("plain",)).get_content())


def local_path(url: str) -> str:
    """The path and query of an absolute link, for the test client."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
