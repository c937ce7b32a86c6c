"""Public pages are kept per data version: reused while the data is unchanged, never when personal or nonced."""

import gzip

import brotli
import pytest

from tests.peel.test_security_headers import csp_directives

pytestmark = pytest.mark.usefixtures("site")


def test_a_kept_page_is_served_with_one_query_for_the_data_version(client, django_assert_num_queries):
    first = client.get("/forces/metropolitan/")
    with django_assert_num_queries(1):
        second = client.get("/forces/metropolitan/")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Content-Security-Policy" in second


def test_a_data_change_shows_at_once(client):
    from forces.models import Force

    assert "Kent Police" in client.get("/forces/kent/").content.decode()
    force = Force.objects.get(slug="kent")
    force.name = "Kent Constabulary (renamed)"
    force.save()
    assert "Kent Constabulary (renamed)" in client.get("/forces/kent/").content.decode()
    assert "Kent Constabulary (renamed)" in client.get("/forces/").content.decode()


def test_each_query_string_is_its_own_page(client, settings):
    settings.ROOT_URLCONF = "tests.peel.urls"
    assert client.get("/test-cached/plain/?n=1").content != client.get("/test-cached/plain/?n=2").content
    assert b"<p>1</p>" in client.get("/test-cached/plain/?n=1").content


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_kept_page_is_sent_compressed_in_the_encoding_the_client_accepts(client, encoding):
    plain = client.get("/forces/metropolitan/").content
    response = client.get("/forces/metropolitan/", headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    decompress = brotli.decompress if encoding == "br" else gzip.decompress
    assert decompress(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.parametrize("path", ["/test-cached/nonce/", "/test-cached/csrf/", "/test-cached/user/"])
def test_a_page_that_used_the_nonce_a_csrf_token_or_the_user_is_never_kept(client, settings, path):
    settings.ROOT_URLCONF = "tests.peel.urls"
    from django.core.cache import caches

    sets = []
    cache = caches["pages"]
    original_set = cache.set
    cache.set = lambda *args, **kwargs: sets.append(args) or original_set(*args, **kwargs)
    try:
        assert client.get(path).status_code == client.get(path).status_code == 200
    finally:
        del cache.set
    assert not sets  # nothing was kept (LocMemCache or Redis alike)


def test_a_kept_nonce_never_meets_a_fresh_header(client, settings):
    settings.ROOT_URLCONF = "tests.peel.urls"
    for _ in range(2):
        response = client.get("/test-cached/nonce/")
        (nonce,) = [source for source in csp_directives(response)["script-src"] if source.startswith("'nonce-")]
        assert f'nonce="{nonce[7:-1]}"' in response.content.decode()


# --- the canonical URL: unknown parameters never make a page render afresh ------------------------------


def test_an_unknown_parameter_is_served_the_kept_page_without_rendering(client, django_assert_num_queries):
    first = client.get("/forces/metropolitan/")
    for unique in ("x=1", "utm_source=mail&x=2", "_=1701"):
        with django_assert_num_queries(1):  # the data version only: no render
            response = client.get(f"/forces/metropolitan/?{unique}")
        assert response.content == first.content


def test_known_parameters_in_another_order_are_the_same_page(client, django_assert_num_queries):
    first = client.get("/findings/?q=crime&type=cause&sort=force")
    with django_assert_num_queries(1):
        again = client.get("/findings/?sort=force&x=9&type=cause&q=crime")
    assert again.content == first.content


def test_a_page_is_rendered_from_its_canonical_url_so_its_links_never_carry_an_unknown_parameter(client):
    html = client.get("/forces/?show=areas&poison=evil").content.decode()
    assert "poison" not in html
    assert "show=areas" in html
    assert "poison" not in client.get("/forces/?show=areas").content.decode()


def test_a_value_outside_its_forms_choices_is_still_a_400(client):
    assert client.get("/?round=1999&x=1").status_code == 400
    assert client.get("/forces/?show=sideways").status_code == 400
    assert client.get("/movers/?direction=up").status_code == 400


def test_the_parameters_each_page_reads_are_in_its_cache_key():
    from reports.accountability import selectors as accountability_selectors
    from reports.accountability import views as accountability_views
    from reports.accountability.filters import MonitoringFilterForm, RegisterFilterForm
    from reports.pages import selectors, views
    from reports.pages.filters import CompareFilterForm, FindingsFilterForm, ForceFilterForm, MoversFilterForm, NationalFilterForm

    rounds, forces = selectors.rounds_list(), selectors.forces_choices()
    forms = {
        views.national: NationalFilterForm({}, rounds=rounds, default_round=None),
        views.compare: CompareFilterForm({}, rounds=rounds, forces=forces),
        views.movers: MoversFilterForm({}, rounds=rounds, forces=forces, themes=[]),
        views.findings: FindingsFilterForm({}, rounds=rounds, forces=forces, questions=[]),
        views.force_list: ForceFilterForm({}),
    }
    accountability_forces = accountability_selectors.forces_choices()
    forms.update(
        {
            accountability_views.monitoring: MonitoringFilterForm({}, forces=accountability_forces),
            accountability_views.recommendations: RegisterFilterForm({}, forces=accountability_forces, inspections=[]),
        }
    )
    for view, form in forms.items():
        assert set(form.fields) <= set(view.cache_params), view.__name__
    assert {"periods-sort", "register-page", "responses-per_page"} <= {
        *accountability_views.monitoring.cache_params,
        *accountability_views.recommendations.cache_params,
    }
    for view in (*forms, views.force_detail, views.report_detail):
        assert {"_export", "_table"} <= set(view.cache_params), view.__name__
    assert {"same-sort", "same-page", "break-per_page"} <= set(views.movers.cache_params)


def test_an_edit_to_one_forces_grade_leaves_other_forces_pages_kept(client):
    from reports.caching import page_cached
    from reports.models import Grade

    paths = ["/forces/kent/", "/forces/kent/2016/", "/forces/essex/", "/forces/essex/2016/", "/?round=2016", "/?round=2017"]
    for path in paths:
        client.get(path)
    grade = Grade.objects.filter(force__slug="kent", question__round__slug="2016").first()
    grade.summary += " (edited)"
    grade.save()
    kept = {path: page_cached(path=path) for path in paths}
    assert kept == {
        "/forces/kent/": False,
        "/forces/kent/2016/": False,
        "/forces/essex/": True,
        "/forces/essex/2016/": True,
        "/?round=2016": False,
        "/?round=2017": True,
    }


def test_a_page_over_every_round_is_renewed_by_any_grade_edit(client):
    from reports.caching import page_cached
    from reports.models import Grade

    for path in ["/", "/forces/", "/movers/", "/findings/"]:
        client.get(path)
    grade = Grade.objects.filter(force__slug="kent").first()
    grade.summary += " (edited)"
    grade.save()
    assert not any(page_cached(path=path) for path in ["/", "/forces/", "/movers/", "/findings/"])


def test_a_request_waits_for_the_page_another_is_rendering_instead_of_rendering_it_again(client):
    import threading

    from django.core.cache import caches
    from django.test import RequestFactory

    from reports.caching import page_cache_key, page_compress, scope_versions_get
    from reports.pages.views import force_detail

    request = RequestFactory().get("/forces/kent/")
    view_name = f"{force_detail.__module__}.{force_detail.__qualname__}"
    key = page_cache_key(request=request, view_name=view_name, data_version=scope_versions_get(["force:kent"]))
    cache = caches["pages"]
    cache.add(f"{key}:render", 1, timeout=30)  # another worker is rendering it
    page = page_compress(content=b"<!doctype html><p>rendered elsewhere</p>", content_type="text/html; charset=utf-8")
    threading.Timer(0.2, lambda: cache.set(key, page)).start()
    assert client.get("/forces/kent/").content == b"<!doctype html><p>rendered elsewhere</p>"


def test_pages_a_save_invalidated_are_rendered_again_without_a_visitor(client):
    from reports.caching import page_cached, pages_invalidated_by, pages_warm
    from reports.models import Grade

    grade = Grade.objects.filter(force__slug="kent", question__round__slug="2016").first()
    grade.summary += " (edited)"
    grade.save()
    paths = pages_invalidated_by(force_slugs={"kent"}, round_slugs={"2016"})
    assert {"/", "/?round=2016", "/forces/kent/", "/forces/kent/2016/", "/movers/"} <= set(paths)
    assert "/forces/essex/" not in paths
    assert pages_warm(paths=paths) == len(paths)
    assert all(page_cached(path=path) for path in paths)


def test_a_commit_queues_warming_of_the_pages_it_invalidated(settings, monkeypatch, django_capture_on_commit_callbacks):
    import time

    from reports import caching
    from reports.models import Grade

    settings.PAGE_WARM_AFTER_SAVE = True
    warmed: list[list[str]] = []
    monkeypatch.setattr(caching, "_pages_warm_thread", warmed.append)
    grade = Grade.objects.filter(force__slug="kent", question__round__slug="2016").first()
    with django_capture_on_commit_callbacks(execute=True):
        grade.summary += " (edited)"
        grade.save()
    deadline = time.monotonic() + 5
    while not warmed and time.monotonic() < deadline:
        time.sleep(0.01)
    (paths,) = warmed
    assert {"/forces/kent/", "/forces/kent/2016/", "/?round=2016", "/"} <= set(paths)
    assert "/forces/essex/" not in paths
