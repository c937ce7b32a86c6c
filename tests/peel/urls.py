"""The project's URLs plus views that only tests need: one that fails, one that uses the CSP nonce."""

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from peel.urls import urlpatterns as project_urlpatterns


def broken_view(request):
    """Fails the way a page does when the database goes away mid-request."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raise RuntimeError("the page failed")


def nonce_view(request):
    template = engines["django"].from_string('<!doctype html><script nonce="{{ csp_nonce }}">document.title = "x";</script>')
    return HttpResponse(template.render({}, request))


urlpatterns = [
    path("test-broken/", broken_view),
    path("test-nonce/", nonce_view),
    *project_urlpatterns,
]
