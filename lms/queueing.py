"""Work that waits for the current transaction to commit."""

from django.db import transaction


def queue_after_commit(task, *args, robust: bool = False, **kwargs) -> None:
    """Queue the Celery `task` with these arguments once the current transaction commits (at
    once outside a transaction). A plain function, without `delay`, is called in this process.

    Before the commit a worker may not yet see the rows the task reloads by their ids, and
    after a rollback they never exist.

    `robust`: a failure (the broker is down) is logged instead of raised, so what was committed
    stands. Only for work that something else picks up again later, such as a periodic job.
    """
    is_task = hasattr(task, "delay")

    def queue():
        if is_task:
            task.delay(*args, **kwargs)
        else:
            task(*args, **kwargs)

    # Django names the callback in its log line when a robust one fails, e.g.
    # "certificates.tasks.certificate_issue.delay".
    queue.__qualname__ = (
        f"{task.name}.delay" if is_task else f"{task.__module__}.{task.__qualname__}"
    )
    transaction.on_commit(queue, robust=robust)
