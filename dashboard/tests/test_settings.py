"""Settings from the environment: production mode must be complete and `check --deploy` clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "stackboard.example.org",
}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would be (rightly) flagged by check --deploy.
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    inherited.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    full_env = inherited | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_in_production_mode():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_default_settings_use_sqlite_and_run_tasks_in_process():
    env = {"DATABASE_URL": "", "REDIS_URL": "", "CELERY_BROKER_URL": ""}
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CACHES['default']['BACKEND'])"
    )

    result = run_manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


@pytest.mark.parametrize(
    ("env", "log_format"),
    [
        (PRODUCTION, "json"),
        ({"DEBUG": "true"}, "text"),
        (PRODUCTION | {"STACKBOARD_LOG_FORMAT": "text"}, "text"),
    ],
    ids=["production-json", "demo-text", "chosen"],
)
def test_logs_are_json_in_production_and_text_in_the_demo(env, log_format):
    code = "from django.conf import settings as s; print(s.LOGGING['handlers']['console'])"

    result = run_manage("shell", "--no-imports", "-c", code, env=env)

    assert f"'formatter': '{log_format}'" in result.stdout, result.stderr


def test_an_unknown_log_format_is_refused():
    result = run_manage("check", env={"STACKBOARD_LOG_FORMAT": "xml"})

    assert result.returncode != 0
    assert "STACKBOARD_LOG_FORMAT must be json or text, not 'xml'" in result.stderr


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("outside CI the database is whatever DATABASE_URL says")
    assert connection.vendor == "postgresql"


def test_the_demo_settings_keep_debug_off_on_plain_http_with_static_files_from_their_folders():
    demo = PRODUCTION | {
        "STACKBOARD_SSL_REDIRECT": "false",
        "STACKBOARD_SECURE_COOKIES": "false",
        "STACKBOARD_STATIC_FROM_SOURCE": "true",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.WHITENOISE_USE_FINDERS, s.STORAGES['staticfiles']['BACKEND'], "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )

    result = run_manage("shell", "--no-imports", "-c", code, env=demo)

    assert result.stdout.split() == [
        "False",
        "False",
        "False",
        "False",
        "True",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
        "True",
    ], result.stderr


def test_production_serves_collected_static_files_and_marks_cookies_secure():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.WHITENOISE_USE_FINDERS, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )

    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION)

    assert result.stdout.split() == [
        "True",
        "False",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ], result.stderr
