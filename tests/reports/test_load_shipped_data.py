from io import StringIO

from django.core.management import call_command
from django.db import connection

from forces.models import Force
from reports.caching import data_version_get
from reports.models import Grade, MoverPair
from reports.summaries import movers_summary_current


def test_shipped_data_is_not_loaded_over_a_database_that_already_holds_data(peel_data):
    grade = Grade.objects.get(force__slug="cumbria", question__round__slug="2016", question__slug="overall-efficiency")
    grade.evidence = "edited by an editor"
    grade.save()
    out = StringIO()
    call_command("load_shipped_data", stdout=out)
    assert "already holds data" in out.getvalue()
    grade.refresh_from_db()
    assert grade.evidence == "edited by an editor"


def test_shipped_data_is_loaded_into_an_empty_database(peel_data):
    # flush empties every table inside this test's transaction, which is rolled back afterwards. PostgreSQL
    # refuses to TRUNCATE a table with deferred foreign-key checks still pending in the transaction: run them first.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("flush", interactive=False, verbosity=0)
    assert not Force.objects.exists()
    version_before = data_version_get()
    call_command("load_shipped_data", verbosity=0)
    assert Force.objects.count() == 43
    assert Grade.objects.filter(force__slug="bedfordshire").exists()
    # One bump for the whole load, and the movers summary ready for the first visitor.
    assert data_version_get() == version_before + 1
    assert movers_summary_current() and MoverPair.objects.exists()
