import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(env: dict) -> subprocess.CompletedProcess:
    clean = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DJANGO_DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_debug_off_with_default_secret_key():
    result = _check({})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_start_in_development_with_debug_on():
    result = _check({"DJANGO_DEBUG": "1"})

    assert result.returncode == 0, result.stderr


def test_settings_start_with_debug_off_and_a_real_secret_key():
    result = _check({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "congress.example.org"})

    assert result.returncode == 0, result.stderr
