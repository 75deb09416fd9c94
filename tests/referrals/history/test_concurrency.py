"""Two workers writing the same history at once: nothing is lost, nothing is applied twice."""

import threading
from datetime import date

from sqlalchemy import func, select

from auth.models import User
from extensions import db
from referrals.history import services as history
from referrals.models import Interaction, Relationship
from referrals.trust import store as trust_store


def _in_threads(app, jobs):
    """Run each job in its own thread, app context and database connection, all at once."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = job()
            except Exception as exc:  # noqa: BLE001 - the test inspects what each worker saw
                db.session.rollback()
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_confirm_and_dispute_at_once_only_one_wins(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    interaction_id = make.log(recruiter, rel).id
    candidate_id = candidate.id
    db.session.commit()

    def answer(confirm):
        def job():
            user = db.session.get(User, candidate_id)
            history.respond(user, db.session.get(Interaction, interaction_id), confirm=confirm,
                            reason="" if confirm else "Not like that.")
            return "done"
        return job

    results = _in_threads(app, [answer(True), answer(False)])
    assert sorted(map(type, results), key=str) == sorted([str, history.HistoryError], key=str)
    db.session.expire_all()
    status = db.session.get(Interaction, interaction_id).status
    assert status == ("confirmed" if results[0] == "done" else "disputed")


def test_concurrent_logging_keeps_the_trust_aggregate_exact(app, make):
    recruiter, candidate = make.user("recruiter"), make.user("candidate")
    rel = make.connect(recruiter, candidate)
    rel_id, ids = rel.id, (recruiter.id, candidate.id)
    db.session.commit()

    def logger(user_id, month):
        def job():
            user = db.session.get(User, user_id)
            relation = db.session.get(Relationship, rel_id)
            for day in range(1, 6):
                history.log_interaction(user, rel_id, relation.side_of(user.person.id),
                                        occurred_on=date(2023, month, day), kind="advice",
                                        direction="i_gave", note="", private_note="")
            return "done"
        return job

    results = _in_threads(app, [logger(ids[i % 2], i + 1) for i in range(4)])
    assert results == ["done"] * 4
    db.session.expire_all()
    rel = db.session.get(Relationship, rel_id)
    assert db.session.scalar(select(func.count(Interaction.id))) == 20
    incremental = rel.trust_ledger
    trust_store.rebuild(rel)
    assert rel.trust_ledger == incremental
