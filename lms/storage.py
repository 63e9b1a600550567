"""Private file storage: certificates, HR archives and data exports.

Nothing in it lies under a public URL; views hand a file out after their own check. It is the
"certificates" storage of settings.STORAGES (`PRIVATE_ROOT` locally, the bucket's `private/`
prefix on S3).
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """The storage of settings.STORAGES, looked up when first used (and again after the
    setting changes, below), not when models are imported."""

    def _setup(self):
        self._wrapped = storages["certificates"]


PRIVATE_STORAGE = _PrivateStorage()


def private_storage():
    """For FileField(storage=...): files that never lie under a public URL."""
    return PRIVATE_STORAGE


@receiver(setting_changed)
def use_changed_storage(setting, **kwargs):
    if setting == "STORAGES":
        PRIVATE_STORAGE._wrapped = empty
