"""Private file storage: uploads outside the web root, streamed only by views that check
permission."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Files outside the web root (settings.PRIVATE_MEDIA_ROOT), read at use time.

    There is no URL for these files: only permission-checking views stream them.
    """

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self):  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[override]
        return None

    def deconstruct(self):
        return ("common.storage.PrivateFileStorage", (), {})


private_file_storage = PrivateFileStorage()


def get_private_file_storage() -> PrivateFileStorage:
    return private_file_storage
