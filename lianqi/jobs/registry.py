"""What each kind of job does: apps register a handler, the runner looks it up by ``Job.kind``.

A handler is ``handler(job) -> dict``: it reads its inputs from ``job.params``, reports progress
with ``job.set_progress(done, total)``, may save a file to ``job.result_file``, and returns the
JSON summary stored in ``job.result``. Raising :class:`JobError` fails the job with its message.
"""

from collections.abc import Callable

_handlers: dict[str, Callable] = {}
_result_templates: dict[str, str] = {}


class JobError(Exception):
    """A failure to show the person waiting (translated message), not a crash."""


def register_job(kind: str, handler: Callable, *, result_template: str = "") -> None:
    """``result_template`` renders ``job.result`` on the job page (context: ``job``)."""
    _handlers[kind] = handler
    if result_template:
        _result_templates[kind] = result_template


def result_template_for(kind: str) -> str:
    return _result_templates.get(kind, "")


def handler_for(kind: str) -> Callable:
    try:
        return _handlers[kind]
    except KeyError:
        raise JobError(f"No handler is registered for jobs of kind {kind!r}.") from None
