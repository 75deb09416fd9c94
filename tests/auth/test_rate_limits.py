"""Rate limits on Redis (127.0.0.1:6379), as production runs them: brute force stops, a person
searching is not stopped, and every worker counts against the same allowance."""

import os
import secrets
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest
import redis

from app import ConfigError, create_app
from extensions import db, limiter
from tests.conftest import PASSWORD, TEMPLATES, IsolatedClient, login, post
from tests.http_server import Browser, Server

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def prefix():
    """A key prefix of this test's own in Redis; its keys are removed afterwards."""
    name = f"kinship-test-{uuid.uuid4().hex}"
    yield name
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(f"*{name}*"):
        store.delete(key)


@pytest.fixture
def limited(db_url, tmp_path):
    """The app with its limits on, counting in Redis from zero."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": db_url,
                      "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                      "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
                      "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_SEARCH": "5 per minute"})
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = TEMPLATES
    with app.app_context():
        limiter.reset()  # every test's builders name the same accounts
        yield app
        db.session.remove()
        db.engine.dispose()


def _try(client, email, password):
    return post(client, "/login", {"email": email, "password": password}, token_from="/login")


def test_wrong_passwords_lock_the_account_even_for_the_right_one(limited):
    from tests.conftest import Builders

    make = Builders(limited)
    target, bystander = make.user("recruiter"), make.user("candidate")
    db.session.commit()
    client = limited.test_client()
    answers = [_try(client, target.email.upper(), "wrong password " + str(i)) for i in range(6)]
    assert [a.status_code for a in answers[:5]] == [400] * 5
    locked = answers[5]
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Too many attempts" in locked.get_data(as_text=True)
    assert _try(client, target.email, PASSWORD).status_code == 429  # even the right one waits
    assert _try(limited.test_client(), bystander.email, PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count(limited):
    from tests.conftest import Builders

    user = Builders(limited).user("candidate")
    db.session.commit()
    for _ in range(8):
        client = limited.test_client()
        assert _try(client, user.email, PASSWORD).status_code == 302


def test_searching_has_an_allowance_per_person(limited):
    from tests.conftest import Builders

    make = Builders(limited)
    first, second = make.user("recruiter"), make.user("recruiter")
    db.session.commit()
    one, two = limited.test_client(), limited.test_client()
    login(one, first.email)
    login(two, second.email)
    statuses = [one.get(f"/search/?q=reward+{i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    assert two.get("/search/?q=reward").status_code == 200


def test_production_refuses_per_process_limits(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app({"SECRET_KEY": "s" * 40, "SQLALCHEMY_DATABASE_URI": db_url,
                    "SEARCH_INDEX_DIR": str(tmp_path / "i")})


@pytest.fixture
def limited_server(db_url, tmp_path, prefix):
    """`gunicorn -w 4` with its limits in Redis."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REFERRALS_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DATABASE_URL=db_url, SECRET_KEY=secrets.token_urlsafe(48), APP_ENV="development",
               REFERRALS_SEARCH_INDEX_DIR=str(tmp_path / "index"),
               REFERRALS_RATELIMIT_STORAGE_URI=REDIS_URL, REFERRALS_RATELIMIT_KEY_PREFIX=prefix)
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-w", "4", "-b", "127.0.0.1:0",
             "--no-control-socket", "app:create_app()"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield Server(proc, log_path)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_every_worker_counts_against_one_allowance(limited_server, make):
    """Ten wrong passwords over new connections to four workers: five answered, then locked."""
    user = make.user("recruiter")
    db.session.commit()
    statuses = []
    for attempt in range(10):
        browser = Browser(limited_server.base)  # a new connection and session every time
        browser.refresh_token("/login")
        reply = browser.post("/login", {"email": user.email, "password": f"nope {attempt}"})
        statuses.append(reply.status)
    assert statuses == [400] * 5 + [429] * 5, statuses
    pids = {line.split("[")[2].split("]")[0] for line in
            limited_server.log_path.read_text().splitlines() if "Booting worker" in line}
    assert len(pids) == 4, "gunicorn did not start four workers"
    assert urllib.parse.urlsplit(limited_server.base).hostname == "127.0.0.1"


def test_asking_for_accounts_through_an_invitation_is_limited(limited):
    """Sign-ups at the claim page count against the claim allowance of the address."""
    from referrals.network import invitations
    from tests.conftest import Builders

    limited.config["RATELIMIT_CLAIM"] = "2 per hour"
    make = Builders(limited)
    recruiter = make.user("recruiter")
    token = invitations.create_invitation(recruiter, make.contact(recruiter, email="p@example.com"))
    client = limited.test_client()
    client.get(f"/invite/{token}")
    form = {"name": "Pat", "password": "violet kettle orbit 42",
            "confirm": "violet kettle orbit 42"}
    answers = [post(client, "/claim", form, token_from="/claim").status_code for _ in range(3)]
    assert answers == [302, 302, 429]


def test_an_admin_mailing_links_for_domains_is_limited(limited):
    """Each link goes to an address the admin types: one account cannot mail strangers at will."""
    from tests.conftest import Builders

    limited.config["RATELIMIT_DOMAIN_MAIL"] = "2 per hour"
    make = Builders(limited)
    firm = make.organisation("Acme", "acme.example")
    ann = make.user("recruiter", member_of=firm, org_admin=True, email="ann@acme.example")
    client = limited.test_client()
    login(client, ann.email)
    page = f"/organisations/{firm.id}/domains"
    answers = [post(client, page, {"domain": f"acme-{n}.example",
                                   "address": f"it@acme-{n}.example"}, token_from=page)
               for n in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
