import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files and error reports go to this test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
