"""A small in-process worker pool for the embedded default (no broker): work that must not hold
up a request, such as webhook deliveries, runs here."""

from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connections

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lianqi-bg")


def _run(task, args):
    close_old_connections()
    try:
        task.apply(args=args)
    finally:
        # Work here is rare (a webhook now and then): a connection kept for reuse would sit idle
        # in a pool thread until the next task, and outlive the database it points at in tests.
        connections.close_all()


def submit(task, *args):
    return _pool.submit(_run, task, args)
