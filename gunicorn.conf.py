"""gunicorn's settings, read from the folder it is started in: each worker warms the search
index before it takes requests, so ordinary searches finish on their first run
(docs/search.md, "Warming")."""


def post_worker_init(worker):
    """Warm this worker's search index (a failure is logged; the worker serves anyway)."""
    app = worker.wsgi
    if not hasattr(app, "app_context"):  # another WSGI app started here (a benchmark's own)
        return
    from search.services import warm_index  # the app is loaded by now

    with app.app_context():
        warm_index()
