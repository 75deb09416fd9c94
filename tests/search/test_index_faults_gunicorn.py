"""The index folder deleted while `gunicorn -w 4` takes writes and searches (issue 16)."""

import shutil
import threading
import time

from sqlalchemy import select

from extensions import db
from referrals.models import Person
from tests.http_server import PEOPLE_LINK, _server_failures, _sign_in_all, running_server

NOTICE = "Search is being rebuilt; results may be incomplete"
WORD = "Quorvex"
WRITERS, EACH = 4, 4
SETTLE_TRIES = 120  # searches (half a second apart) for the rebuild to finish once writes stop


def test_an_index_folder_deleted_under_load_is_rebuilt_once_and_announced(db_url, tmp_path,
                                                                          make):
    recruiter = make.user("recruiter", name="Rita Recruiter")
    for i in range(4):
        make.contact(recruiter, name=f"{WORD} Before{i}", skills=f"{WORD} tuning")
    with running_server(db_url, tmp_path) as server:
        log: list = []
        browsers = _sign_in_all(server, log, [recruiter.email] * (WRITERS + 1))
        searcher, writers = browsers[0], browsers[1:]
        assert searcher.get(f"/search/?q={WORD}").status == 200  # the index exists
        seen_notice, stop = [], threading.Event()

        def write(browser, n):
            for i in range(EACH):
                reply = browser.post("/people/new", {"name": f"{WORD} During{n}x{i}",
                                                     "role": "candidate",
                                                     "skills": f"{WORD} tuning"})
                assert reply.status == 302, (reply.status, reply.body[:300])

        def search():
            while not stop.is_set():
                reply = searcher.get(f"/search/?q={WORD}")
                seen_notice.append(NOTICE in reply.body)

        threads = [threading.Thread(target=write, args=(b, n)) for n, b in enumerate(writers)]
        reader = threading.Thread(target=search)
        for thread in threads:
            thread.start()
        shutil.rmtree(tmp_path / "index")
        reader.start()
        for thread in threads:
            thread.join(120)
        stop.set()
        reader.join(120)

        db.session.commit()
        everyone = set(db.session.scalars(select(Person.id).where(
            Person.name.like(f"{WORD}%"))))
        assert len(everyone) == 4 + WRITERS * EACH
        for _ in range(SETTLE_TRIES):
            reply = searcher.get(f"/search/?q={WORD}")
            found = {int(p) for p in PEOPLE_LINK.findall(reply.body)}
            if NOTICE not in reply.body and found >= everyone:
                break
            time.sleep(0.5)
        assert NOTICE not in reply.body and found >= everyone, "not everyone is findable again"
        assert any(seen_notice), "searches never said the index was being rebuilt"
        assert not _server_failures(log)
        output = server._log()
        assert "Traceback" not in output
        assert output.count("is being rebuilt in the background") >= 1
