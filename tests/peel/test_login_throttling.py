"""Login throttling (django-axes): a username, and an address, locked out after too many failures, logged,
unlocked by an administrator; the counts in the database, or in the cache (Redis when REDIS_URL is set)."""

import logging

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import role_user

LOGIN = "/admin/login/"
HANDLERS = ["axes.handlers.database.AxesDatabaseHandler", "axes.handlers.cache.AxesCacheHandler"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # A real hash costs ~0.5 s of CPU per attempt (which is why guessing must be throttled); tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture(params=HANDLERS, ids=["database", "cache"])
def throttle(request, settings, db):
    """Each way of keeping the counts; the cache is Redis when REDIS_URL is set (CI), else this process's memory."""
    settings.AXES_HANDLER = request.param
    role_user("eddie", "Editor")
    return request.param


def attempt(client, *, username: str = "eddie", password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_after_too_many_wrong_ones_is_refused_with_429_and_logged(client, throttle, caplog):
    for _ in range(2):
        assert attempt(client, password="wrong").status_code == 200  # the form again, with its message
    with caplog.at_level(logging.WARNING, logger="axes"):
        assert attempt(client, password="wrong").status_code == 429
    assert any("AXES: Locking out" in record.getMessage() for record in caplog.records)
    response = attempt(client, password="pw-eddie-2024")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_username_is_locked_out_whichever_address_the_guesses_come_from(client, throttle):
    for number in range(3):
        attempt(client, password="wrong", address=f"198.51.100.{number}")
    assert attempt(client, password="pw-eddie-2024", address="198.51.100.99").status_code == 429


def test_an_address_is_locked_out_whichever_usernames_it_tries(client, throttle):
    for name in ("ann", "bob", "cy"):
        attempt(client, username=name, password="wrong")
    assert attempt(client, password="pw-eddie-2024").status_code == 429
    assert attempt(client, password="pw-eddie-2024", address="192.0.2.1").status_code == 302  # another address, fine


def test_fewer_failures_than_the_limit_do_not_lock_anyone_out(client, throttle):
    for _ in range(2):
        attempt(client, password="wrong")
    response = attempt(client, password="pw-eddie-2024")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_an_administrator_unlocks_a_username_and_an_address_with_the_axes_commands(client, throttle):
    for _ in range(3):
        attempt(client, password="wrong")
    assert attempt(client, password="pw-eddie-2024").status_code == 429
    call_command("axes_reset_username", "eddie")
    call_command("axes_reset_ip", "203.0.113.7")
    assert attempt(client, password="pw-eddie-2024").status_code == 302


def test_without_redis_an_administrator_sees_the_attempts_in_the_admin_and_deletes_them_to_unlock(client, settings, db):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import User

    settings.AXES_HANDLER = HANDLERS[0]
    role_user("eddie", "Editor")
    for _ in range(3):
        attempt(client, password="wrong")
    admin_client = client.__class__()
    admin_client.force_login(User.objects.create_superuser("root", password="pw-root-2024-long"))
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "eddie" in listing.content.decode()
    chosen = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    deleted = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    )
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(client, password="pw-eddie-2024").status_code == 302


def test_the_settings_keep_the_counts_in_redis_when_redis_url_is_set():
    expected = "axes.handlers.cache.AxesCacheHandler" if settings.REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
    handler = settings.AXES_HANDLER
    assert handler == expected
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
