"""The application factory: defaults, environment, extensions, blueprints, errors, commands."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, PendingRollbackError
from werkzeug.middleware.proxy_fix import ProxyFix

from auth.limits import DEFAULT_LIMITS
from extensions import (
    configure_lock_waits,
    configure_sqlite,
    csrf,
    database_unavailable,
    db,
    limiter,
    login_manager,
    migrate,
    release_session,
    retry_or_unavailable,
)
from mail import config as mail_config
from referrals.refusals import Refused

MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration is unsafe to run with."""


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then REFERRALS_* and DATABASE_URL/SECRET_KEY, then `config`."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure(app, config or {})
    if app.config.get("PROXY_FIX"):
        # Behind a reverse proxy, trust its X-Forwarded-* headers so links keep the public host.
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_template_helpers(app)
    _register_commands(app)
    return app


def _configure(app: Flask, overrides: dict) -> None:
    app.config.from_mapping(
        APP_ENV="production",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'referrals.db'}",
        SEARCH_INDEX_DIR=str(Path(app.instance_path) / "search-index"),
        CV_STORAGE_DIR=str(Path(app.instance_path) / "cvs"),  # outside static/: served by checks
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        PERMANENT_SESSION_LIFETIME=timedelta(days=30),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which can be ended
        PROXY_FIX=0,  # number of reverse proxies in front of the app
        # A pooled connection is tested before use, so a database restart costs no request.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        DATABASE_RETRY_AFTER_S=5,  # what a 503 tells clients while the database is down
        RATELIMIT_ENABLED=True,  # stated, not inherited: Flask-Limiter keeps it across apps
        RATELIMIT_STORAGE_URI="memory://",  # production: redis://..., shared by every worker
        RATELIMIT_HEADERS_ENABLED=True,  # Retry-After on a 429
        RATELIMIT_KEY_PREFIX="kinship",
        **DEFAULT_LIMITS,
    )
    for name in ("APP_ENV", "SECRET_KEY"):
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(os.environ["DATABASE_URL"])
    app.config.from_prefixed_env("REFERRALS")
    app.config.update(overrides)
    development = app.config["APP_ENV"] == "development" or app.testing
    explicit = set(overrides) | {k.removeprefix("REFERRALS_") for k in os.environ
                                 if k.startswith("REFERRALS_")}
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in explicit:
            app.config[key] = not development  # local development runs on plain http
    if not app.config.get("SECRET_KEY"):
        if not development:
            raise ConfigError("SECRET_KEY is not set. Set it to a random string of at least "
                              f"{MIN_SECRET_KEY_LENGTH} characters.")
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    if len(app.config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH and not development:
        raise ConfigError(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters.")
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory:") and not development:
        # Per-process counters would let each of several workers grant the full allowance.
        raise ConfigError("REFERRALS_RATELIMIT_STORAGE_URI is not set. Point it at Redis, for "
                          "example redis://127.0.0.1:6379/0, so that all workers share limits.")
    problem = mail_config.configure(app.config, os.environ, app.instance_path, development)
    if problem:
        raise ConfigError(problem)  # in production, refuse to start rather than drop mail
    app.config["DEVELOPMENT"] = development


def _normalise_db_url(url: str) -> str:
    """Accept the common postgres:// spelling and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret(instance: Path) -> str:
    """A random key kept under instance/, so development sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from auth.services import load_session

    db.init_app(app)
    # Teardowns run in reverse order: this ends the session before Flask-SQLAlchemy's own
    # teardown would, and unlike it never raises when the database has just gone away.
    app.teardown_appcontext(release_session)
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        else:
            configure_lock_waits(db.engine)


def _register_blueprints(app: Flask) -> None:
    from auth import headers
    from auth.account_routes import bp as account_bp
    from auth.admin_routes import bp as admin_bp
    from auth.claim_routes import bp as claims_bp
    from auth.organisation_routes import bp as organisations_bp
    from auth.routes import bp as auth_bp
    from auth.session_routes import bp as sessions_bp
    from auth.standing_routes import bp as standing_bp
    from auth.verification import require_verified_address
    from mail.dev_routes import bp as dev_bp
    from mail.routes import bp as mail_bp
    from referrals.dashboard.routes import bp as dashboard_bp
    from referrals.erasure.routes import bp as erasure_bp
    from referrals.exports.routes import bp as exports_bp
    from referrals.history.routes import bp as history_bp
    from referrals.imports.routes import bp as imports_bp
    from referrals.network.cv_routes import bp as cvs_bp
    from referrals.network.routes import bp as people_bp
    from referrals.openings.pipeline_routes import bp as pipeline_bp
    from referrals.openings.routes import bp as openings_bp
    from search.routes import bp as search_bp
    from search.services import sync_after_response

    for bp in (auth_bp, account_bp, claims_bp, sessions_bp, dashboard_bp, people_bp,
               history_bp, openings_bp, pipeline_bp, search_bp, mail_bp, imports_bp,
               exports_bp, erasure_bp, standing_bp, admin_bp, cvs_bp, organisations_bp):
        app.register_blueprint(bp)
    if app.config["DEVELOPMENT"]:
        app.register_blueprint(dev_bp)  # /dev/mail: never in production
    app.before_request(require_verified_address)
    app.after_request(sync_after_response)
    headers.register(app)


def _register_errors(app: Flask) -> None:
    messages = {
        400: "The request could not be understood. Check the form and try again.",
        403: "You do not have permission to do that.",
        404: "There is nothing here, or it is not yours to see.",
        405: "That action is not available here.",
        413: "That upload is too large.",
        429: "Too many attempts in a short time. Wait a little before trying again.",
        500: "Something went wrong on our side. Nothing you entered was half-saved.",
    }

    def handler(code):
        def handle(error):
            # A 405 says which methods the URL does take (RFC 9110).
            allow = getattr(error, "valid_methods", None)
            headers = {"Allow": ", ".join(sorted(allow))} if allow else {}
            try:
                message = messages[code]
                if code == 413 and g.get("too_large_hint"):  # the route's own limit, said
                    message = f"{message} {g.too_large_hint}"
                page = render_template("error.html", code=code, message=message)
                return page, code, headers
            except (OperationalError, InterfaceError):  # the page's header needs the database
                return database_unavailable(error)

        return handle

    for code in messages:
        app.register_error_handler(code, handler(code))
    app.register_error_handler(OperationalError, retry_or_unavailable)
    app.register_error_handler(InterfaceError, retry_or_unavailable)
    app.register_error_handler(PendingRollbackError, retry_or_unavailable)

    @app.errorhandler(Refused)
    def refused(error):
        # Whatever the refused use case had begun is dropped: nothing is half-written.
        db.session.rollback()
        if _wants_json():
            return jsonify(error=error.message), error.status
        return render_template(error.page, code=error.status, message=error.message), \
            error.status

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_template("error.html", code=400, message="This form expired or was sent "
                               "from elsewhere. Go back, reload the page and try again."), 400


def _wants_json() -> bool:
    """Whether the request sent JSON or prefers it to a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def _register_template_helpers(app: Flask) -> None:
    from referrals import display

    display.register(app)


def _register_commands(app: Flask) -> None:
    from auth.commands import users_cli
    from mail.commands import outbox_cli
    from referrals.commands import backup_command, demo_cli, restore_command, trust_cli
    from referrals.erasure.commands import privacy_cli
    from search.commands import search_cli

    for command in (demo_cli, trust_cli, search_cli, outbox_cli, privacy_cli, backup_command,
                    restore_command, users_cli):
        app.cli.add_command(command)
