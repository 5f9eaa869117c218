import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Receipts go to a temporary private folder, never into the checkout."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
