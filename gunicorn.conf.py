"""gunicorn's settings, read from the folder it is started in: each worker warms the search
index before it takes requests, so ordinary searches finish on their first run
(docs/search.md, "Warming"), compiles the templates, then sets what it holds for good aside
from the garbage collector."""

import gc


def post_worker_init(worker):
    """Warm this worker's search index (a failure is logged; the worker serves anyway) and
    compile its templates, then freeze what it has loaded."""
    app = worker.wsgi
    if not hasattr(app, "app_context"):  # another WSGI app started here (a benchmark's own)
        return
    from search.services import warm_index  # the app is loaded by now

    with app.app_context():
        warm_index()
    # Compiled on first use, a page's templates cost its first view in each worker 10-40 ms
    # more; all 93 take about 0.3 s here, and Jinja keeps 400.
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    # The app, its modules and the warmed index are some 150,000 objects that live as long as
    # the worker. Every full collection walked them all (about 30 ms, more under load), once
    # every few requests; frozen, a collection walks only what requests made.
    gc.collect()
    gc.freeze()
