"""The time limit of a render (settings.CERTIFICATE_RENDER_SECONDS): WeasyPrint has none."""

import signal
import threading
import time
from contextlib import contextmanager

from django.conf import settings

from .errors import CertificateRenderTimeout, _Abort


def _timeout_message() -> str:
    return f"Rendering the certificate took longer than {settings.CERTIFICATE_RENDER_SECONDS} s."


@contextmanager
def _time_limit(seconds: float):
    """Yields the deadline; on the main thread, SIGALRM interrupts the render when it passes.

    WeasyPrint has no timeout of its own. Celery prefork and gunicorn sync workers render on
    the main thread, where the signal interrupts layout wherever it is. Signals reach only the
    main thread: elsewhere (threaded servers) the limit is checked at each fetched resource
    only, and a layout stuck between fetches runs to its end. Nor do we take over SIGALRM while
    someone else's timer runs; theirs bounds the render then.
    """
    deadline = time.monotonic() + seconds
    if not (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    ):
        yield deadline
        return

    expired = False

    def on_alarm(signum, frame):
        nonlocal expired
        expired = True
        # Again shortly, in case a broad `except` in WeasyPrint (SVG drawing) swallowed this one.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise _Abort(CertificateRenderTimeout(_timeout_message()))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield deadline
    finally:
        while True:  # the alarm may go off while we disarm it: until the old handler is back
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except _Abort:
                continue
    if expired:
        raise _Abort(CertificateRenderTimeout(_timeout_message()))
