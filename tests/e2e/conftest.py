"""Fixtures for end-to-end tests: the app over real HTTP, and Debian's headless Chromium."""

# `live_server` runs the `app` fixture's app (fresh migrated database, tmp search index) in a
# werkzeug server thread. Each request runs in its thread's own contextvars context, so it pushes
# its own app context and database session, as in production; the test thread keeps its own.
# `new_actor` opens a page in a fresh browser context per person: two people, two sessions.

import gc
import logging
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SHOTS = Path("/tmp/e2e-shots")
TIMEOUT_MS = 5_000


class LiveServer:
    """The base URL of the running app, and the server errors its pages answered with."""

    def __init__(self, url: str):
        self.url = url
        self.server_errors: list[str] = []


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The `app` fixture's app on 127.0.0.1, a free port, threaded, until the test ends."""
    db.session.commit()  # the test thread must hold no transaction the server would wait on
    # Without a handler of its own, werkzeug binds one to the sys.stderr of the moment, which is
    # this test's capture, closed before the next test; request logs then go to pytest's capture.
    quiet = logging.NullHandler()
    logging.getLogger("werkzeug").addHandler(quiet)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    host = f"127.0.0.1:{server.server_port}"
    # tests/conftest.py names the host "localhost" for the test client; external links (the
    # invitation link) must name the host and port the browser can actually reach.
    app.config["SERVER_NAME"] = host
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://{host}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        _finish_requests()
        logging.getLogger("werkzeug").removeHandler(quiet)


def _finish_requests() -> None:
    """Let the server's request threads end, then collect what they dropped.

    A static file the browser stopped reading (a page left mid-load) can be dropped by
    werkzeug's development server without being closed. Its ResourceWarning then surfaced
    whenever the garbage collector met it, as an error of whichever later test was running.
    """
    for worker in threading.enumerate():
        if worker.name.endswith("(process_request_thread)"):
            worker.join(timeout=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole session; skipped (or failed on CI) if absent."""
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must provide {CHROMIUM} for the e2e tests.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_actor(browser, live_server) -> Iterator[Callable]:
    """A maker of pages, each in its own browser context (its own cookies: one person each)."""
    contexts = []

    def make_actor(name: str = "actor"):
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()

        def note_server_error(response):
            if response.status >= 500:
                live_server.server_errors.append(
                    f"{name}: {response.status} {response.request.method} {response.url}")

        page.on("response", note_server_error)
        return page

    yield make_actor
    for context in contexts:
        context.close()
    assert not live_server.server_errors, live_server.server_errors


@pytest.fixture(scope="session")
def shot() -> Callable:
    """Save a full-page screenshot to /tmp/e2e-shots/<name>.png (outside the repository)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
