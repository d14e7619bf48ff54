"""Sending background jobs to the broker, and what happens when it cannot be reached.

Every job a service starts goes through :func:`job_send`: with no broker (the embedded
default, ``CELERY_TASK_ALWAYS_EAGER``) the job runs inline; with one, the broker is
checked first (:func:`broker_check`, a couple of seconds at most, the same check as
``/healthz``) and the job is sent. When the broker is down, or refuses the job, nothing
hangs and nothing is raised to the page: the caller's ``refused`` records the job as
failed with a clear reason (an import run, a plan run), and ``job_send`` returns False.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Seconds the broker check waits for a connection.
BROKER_CHECK_SECONDS = 2.0


def broker_inline() -> bool:
    """True when jobs run inline (no broker configured, or the tests' eager mode)."""
    from reliefops.celery import app

    return bool(settings.CELERY_TASK_ALWAYS_EAGER or app.conf.task_always_eager)


def broker_check() -> str:
    """ "" when the broker accepts a connection, else the name of the error."""
    from reliefops.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_CHECK_SECONDS)
    except Exception as exc:  # any failure to connect is an answer, not a crash
        return exc.__class__.__name__
    return ""


def broker_unreachable_reason(error: str) -> str:
    """The reason recorded on a job that could not be queued."""
    return _(
        "The job queue cannot be reached (%(error)s), so the job was not started. "
        "Try again when the system status (/healthz) shows the broker up."
    ) % {"error": error}


def job_send(send: Callable[[], Any], *, refused: Callable[[str], None], what: str) -> bool:
    """Call ``send`` (an ``apply_async``/``delay``); on a broker that is down or refuses
    it, call ``refused(reason)`` instead and return False. ``what`` names the job in the
    log. Inline (eager) jobs are simply run: their own failures are theirs to record."""
    if broker_inline():
        send()
        return True
    error = broker_check()
    if not error:
        try:
            send()
        except Exception as exc:  # the broker or the result store failed while sending
            error = exc.__class__.__name__
    if not error:
        return True
    logger.warning("job %s not queued: broker unreachable (%s)", what, error)
    refused(broker_unreachable_reason(error))
    return False
