"""The production settings, loaded in a fresh process from a production-like environment (as a deployment would)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(50)


def production_environment(**overrides: str | None) -> dict[str, str]:
    """This process's environment turned into a production one: PEEL_ENV=production, no DEBUG, a strong key,
    and none of the test run's own variables (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE)."""
    test_only = {"DEBUG", "PEEL_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in test_only}
    environment.update(PEEL_ENV="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="peel.example.org")
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def settings_read(names: list[str], **overrides: str | None) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {names!r}}}))"
    )
    result = manage("shell", "-c", code, environment=production_environment(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_no_issue_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_development_setting_left_on_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=production_environment(SECURE_COOKIES="0"))
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("secret_key", "problem"),
    [
        (None, "SECRET_KEY is not set"),
        ("", "SECRET_KEY is not set"),
        ("dev-only-insecure-key-do-not-use-in-production", "development key"),
        ("django-insecure-" + "x1y2z3" * 10, "development key"),
        ("short-but-varied-key-123", "too weak"),
        ("a" * 80, "too weak"),
    ],
)
def test_production_refuses_to_start_without_a_strong_secret_key_in_one_line_naming_it(secret_key, problem):
    result = manage("check", environment=production_environment(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert result.stderr.startswith("manage.py: ") and "Traceback" not in result.stderr
    assert problem in result.stderr


def test_production_is_the_default_when_peel_env_is_unset():
    result = manage("check", environment=production_environment(PEEL_ENV=None, SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_an_unknown_peel_env_is_refused_by_name():
    result = manage("check", environment=production_environment(PEEL_ENV="staging"))
    assert result.returncode != 0
    assert "PEEL_ENV must be 'production' or 'development', not 'staging'" in result.stderr


def test_production_turns_https_hsts_secure_cookies_and_hashed_static_files_on():
    values = settings_read(
        ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG", "STORAGES"]
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["DEBUG"] is False
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_a_deployment_behind_a_tls_proxy_can_trust_its_forwarded_proto_header_and_leave_redirects_to_it():
    values = settings_read(
        ["SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "CSRF_TRUSTED_ORIGINS"],
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        SECURE_SSL_REDIRECT="0",
        CSRF_TRUSTED_ORIGINS="https://peel.example.org",
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://peel.example.org"]


def test_development_runs_without_a_secret_key_and_without_https():
    values = settings_read(
        ["SECRET_KEY", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"], PEEL_ENV="development", SECRET_KEY=None
    )
    assert values["SECRET_KEY"].startswith("dev-only")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
