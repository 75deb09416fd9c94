"""The search backend as declared, and the Whoosh internals' version guard."""

import inspect
import os
import subprocess
import sys
from pathlib import Path

from search.backend import SearchBackend
from search.whoosh_backend import WhooshBackend
from search.whoosh_internals import SUPPORTED, installed_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_whoosh_backend_implements_every_method_the_app_uses(tmp_path):
    backend = WhooshBackend(str(tmp_path / "index"))
    assert isinstance(backend, SearchBackend)
    declared = {name for name, _ in inspect.getmembers(SearchBackend, inspect.isfunction)
                if not name.startswith("_")}
    assert declared >= {"index_profile", "remove_profile", "apply_changes", "search_profiles",
                        "typeahead", "relevance", "rebuild", "check", "replica_id", "position"}
    for name in declared:  # same parameters, in the same order, so calls work on either
        want = list(inspect.signature(getattr(SearchBackend, name)).parameters)
        have = list(inspect.signature(getattr(WhooshBackend, name)).parameters)
        assert have == want, name
    assert backend.replica_id() == WhooshBackend(str(tmp_path / "index")).replica_id()
    assert backend.replica_id() != WhooshBackend(str(tmp_path / "other")).replica_id()


def test_the_installed_whoosh_is_the_pinned_one():
    pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert f"Whoosh-Reloaded=={installed_version()}" in pins
    assert installed_version() in SUPPORTED


def test_the_app_refuses_to_start_on_a_whoosh_it_was_not_written_for(tmp_path):
    # A Whoosh-Reloaded 2.7.6 found first on the path, as after an unpinned upgrade.
    info = tmp_path / "site" / "Whoosh_Reloaded-2.7.6.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: Whoosh-Reloaded\n"
                                   "Version: 2.7.6\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(info.parent), str(ROOT)]),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "SECRET_KEY": "k" * 40,
           "REFERRALS_SEARCH_INDEX_DIR": str(tmp_path / "index"), "APP_ENV": "development"}
    started = subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app(); print('started')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode != 0 and "started" not in started.stdout
    assert ("UnsupportedWhoosh: The search engine was written for Whoosh-Reloaded 2.7.5, but "
            "2.7.6 is installed.") in started.stderr
    assert not (tmp_path / "index").exists()  # refused before touching any index
