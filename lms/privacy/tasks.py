"""Celery tasks: ids in, reload, call a service. Each is safe to run twice."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def data_export_build(export_id: int) -> str | None:
    from . import exports
    from .models import DataExport

    export = DataExport.objects.filter(pk=export_id).first()
    if export is None:
        return None
    return exports.data_export_build(export=export).status


@shared_task
def retention_apply() -> dict[str, int]:
    from . import exports, retention

    return {**retention.retention_apply(), "exports_requeued": exports.data_exports_resume()}
