"""The project's URLs plus views that only tests need: one that fails, one that uses the CSP nonce."""

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from peel.urls import urlpatterns as project_urlpatterns
from reports.caching import ALL_ROUNDS, cache_page_per_data_version


def broken_view(request):
    """Fails the way a page does when the database goes away mid-request."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raise RuntimeError("the page failed")


def nonce_view(request):
    template = engines["django"].from_string('<!doctype html><script nonce="{{ csp_nonce }}">document.title = "x";</script>')
    return HttpResponse(template.render({}, request))


def rendered(template_code: str):
    def view(request):
        return HttpResponse(engines["django"].from_string(template_code).render({}, request))

    return view


def kept(view, params=()):
    """A test view kept in the page cache over every round's scope."""
    return cache_page_per_data_version(lambda request: [ALL_ROUNDS], params=params)(view)


urlpatterns = [
    path("test-broken/", broken_view),
    path("test-nonce/", nonce_view),
    path("test-cached/plain/", kept(rendered("<!doctype html><p>{{ request.GET.n }}</p>"), params=["n"])),
    path("test-cached/nonce/", kept(rendered('<script nonce="{{ csp_nonce }}"></script>'))),
    path("test-cached/csrf/", kept(rendered("<form method=post>{% csrf_token %}</form>"))),
    path("test-cached/user/", kept(rendered("<p>{{ user.is_authenticated }}</p>"))),
    *project_urlpatterns,
]
