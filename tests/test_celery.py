from lms.celery import app


def test_celery_reads_its_reliability_settings_from_django():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.timezone == "Europe/Berlin"
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
