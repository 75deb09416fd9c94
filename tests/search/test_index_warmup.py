"""A worker's warm-up decodes the most frequent words, so searches over them read nothing again.

What the warm-up costs at 100,000 profiles is measured in bench/README.md, not asserted here.
"""

import gc
import os

import pytest

from bench.common import start_worker
from bench.search_bench import synthetic_people
from search import warmup
from search.engine import Viewer, open_index

RECRUITER = Viewer(user_id=3, person_id=None, role="recruiter")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = open_index(tmp_path_factory.mktemp("warmup") / "idx")
    ix.rebuild(synthetic_people(3_000, seed=5), procs=2)
    yield ix
    ix.close()


def all_field_entries(cache) -> set:
    return {key for key in cache.items if key[1] == "all"}


def test_after_warm_a_search_over_common_words_reads_no_postings_again(index):
    index.close()  # start cold, as a new worker does
    warmed = index.warm()
    snap = index.snapshot()
    common = [word for _, word in warmup.frequent_terms(snap.reader, "all", 2)]
    terms, values = all_field_entries(index._caches.terms), all_field_entries(index._caches.values)
    assert warmed.words >= 2 and warmed.positions_words >= 2

    page = index.search_profiles(f'"{common[0]} {common[1]}" OR {" ".join(common)}', RECRUITER)

    assert not page.partial
    assert all_field_entries(index._caches.terms) == terms
    assert all_field_entries(index._caches.values) == values


def test_warm_keeps_within_its_share_of_each_cache(index):
    index.close()
    snap = index.snapshot()
    caches = index._caches
    warmed = warmup.warm(snap, caches, term_share=0.02, value_share=0.01)
    assert 0 < warmed.words < len(warmup.frequent_terms(snap.reader, "all"))
    assert caches.terms.cost <= 0.02 * caches.terms.max_cost
    # positions stop at the first word that takes them past their share
    assert warmed.positions_words < warmed.words
    assert warmed.value_bytes > 0.01 * caches.values.max_cost


def test_warm_stops_when_its_cpu_seconds_are_spent(index):
    index.close()
    ticks = iter(range(10**6))
    warmed = warmup.warm(index.snapshot(), index._caches, term_seconds=2.5, value_seconds=0.5,
                         clock=lambda: next(ticks))
    assert warmed.words == 2 and warmed.positions_words == 0


@pytest.fixture(autouse=True)
def _unfreeze():
    """A started worker freezes what it loaded; the test process must not keep that frozen."""
    yield
    gc.unfreeze()


def test_a_worker_warms_the_index_before_its_first_search(app):
    folder = app.config["SEARCH_INDEX_DIR"]
    open_index(folder).rebuild(synthetic_people(300, seed=2))
    open_index(folder).close()

    start_worker(app)

    assert all_field_entries(open_index(folder)._caches.values)


def test_a_started_worker_sets_what_it_loaded_aside_from_the_garbage_collector(app):
    # A full collection would otherwise walk the app and the warmed index every few requests.
    gc.unfreeze()
    start_worker(app)
    assert gc.get_freeze_count() > 10_000


def test_a_started_worker_has_compiled_every_template(app):
    start_worker(app)
    assert len(app.jinja_env.cache) == len(app.jinja_env.list_templates())


def test_a_worker_started_before_the_index_is_built_does_not_create_one(app):
    start_worker(app)
    assert not os.path.exists(app.config["SEARCH_INDEX_DIR"])
