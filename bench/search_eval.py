"""Relevance benchmark: nDCG@10 of the evaluation set in tests/search/eval_set.py.

Run `python bench/search_eval.py` (prints a JSON report; `--out` also writes it). The same
numbers are held above a floor by tests/search/test_search_eval.py.
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import write_report  # noqa: E402
from search.engine import Viewer, open_index  # noqa: E402
from tests.search.eval_set import QUERIES, grade, ndcg_at_10, network  # noqa: E402

RECRUITER = Viewer(user_id=1, person_id=None, role="recruiter")


def evaluate(index, people) -> dict[str, float]:
    """query -> nDCG@10 of the engine's first ten results, as a recruiter."""
    out = {}
    for query, rules in QUERIES:
        grades = {doc["id"]: g for doc in people if (g := grade(rules, doc))}
        page = index.search_profiles(query, RECRUITER, per_page=10)
        out[query] = round(ndcg_at_10([hit.person_id for hit in page.hits], grades), 4)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", help="also write the JSON report here")
    args = parser.parse_args(argv)
    people = network()
    with tempfile.TemporaryDirectory() as tmp:
        index = open_index(os.path.join(tmp, "idx"))
        index.rebuild(people, procs=1)
        scores = evaluate(index, people)
        index.close()
    report = {"queries": len(scores), "people": len(people),
              "ndcg_at_10": round(sum(scores.values()) / len(scores), 4),
              "worst": sorted(scores.items(), key=lambda qs: qs[1])[:10], "per_query": scores}
    write_report(report, args.out or "")


if __name__ == "__main__":
    main()
