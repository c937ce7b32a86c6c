"""The PostgreSQL COPY path of the CSV exports: the same bytes as csv.writer, and a connection left usable.

These run only when the tests run on PostgreSQL (DATABASE_URL=postgres://...), as CI does.
"""

import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.exports import services as exports
from reports.models import Grade
from tests.reports.test_exports import AWKWARD_TEXTS, HOSTILE_TEXTS, read_csv

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path needs PostgreSQL")


def export(queryset, engine: str) -> bytes:
    return b"".join(exports.queryset_csv_chunks(queryset=queryset, columns=exports.GRADE_EXPORT_COLUMNS, engine=engine))


def copy_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "peel-csv-copy"]


@pytest.mark.usefixtures("peel_data")
def test_copy_is_what_the_grades_download_uses_on_postgresql():
    assert exports.copy_supported("default")


@pytest.mark.usefixtures("peel_data")
def test_copy_and_the_csv_writer_write_the_same_bytes_for_the_whole_dataset():
    queryset = exports.grade_export_queryset()
    copied = export(queryset, "copy")
    assert copied == export(queryset, "writer")
    assert len(read_csv(copied)) == Grade.objects.count()


@pytest.mark.usefixtures("peel_data")
def test_copy_and_the_csv_writer_agree_on_hostile_and_awkward_text_in_every_text_column():
    grades = list(Grade.objects.select_related("force", "question")[: len(HOSTILE_TEXTS + AWKWARD_TEXTS)])
    for grade, text in zip(grades, HOSTILE_TEXTS + AWKWARD_TEXTS, strict=True):
        grade.evidence = text
        grade.source_type = text
        grade.save()
        grade.question.text = text
        grade.question.save()
        grade.force.name = f"{text} {grade.pk}"
        grade.force.save()
    queryset = exports.grade_export_queryset().filter(pk__in=[grade.pk for grade in grades])
    copied = export(queryset, "copy")
    assert copied == export(queryset, "writer")
    evidence = [row["evidence"] for row in read_csv(copied)]
    assert sorted(evidence) == sorted(exports.cell_neutralise(text) for text in HOSTILE_TEXTS + AWKWARD_TEXTS)


@pytest.mark.usefixtures("peel_data")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40))
def test_copy_and_the_csv_writer_agree_on_any_text(text):
    grade = Grade.objects.order_by("pk").first()
    Grade.objects.filter(pk=grade.pk).update(evidence=text)  # no history needed: the test's transaction is rolled back
    queryset = exports.grade_export_queryset().filter(pk=grade.pk)
    copied = export(queryset, "copy")
    assert copied == export(queryset, "writer")
    assert exports.cell_restore(read_csv(copied)[0]["evidence"]) == text


# About a gigabyte of CSV: run to its end it would take a minute, so these tests finish quickly only
# because closing the stream cancels the COPY on the server.
ENDLESS_SELECT = "SELECT a, b, 'some text to make rows longer' FROM generate_series(1, 100000) a, generate_series(1, 1000) b"


def abandon_after_first_chunk(caplog) -> None:
    chunks = exports._copy_chunks(alias="default", select_sql=ENDLESS_SELECT, params=(), header=["a", "b", "text"])
    assert next(chunks).startswith(b"\xef\xbb\xbfa,b,text")
    assert next(chunks).startswith(b"1,1,some text")
    with caplog.at_level("INFO", logger="reports.exports.services"):
        chunks.close()
    assert copy_threads() == []
    assert "COPY cancelled" in caplog.text


@pytest.mark.usefixtures("peel_data")
def test_a_download_abandoned_inside_a_transaction_cancels_the_copy_and_leaves_the_transaction_usable(caplog):
    assert connection.in_atomic_block
    abandon_after_first_chunk(caplog)
    assert Grade.objects.count() > 0


@pytest.mark.django_db(transaction=True)
def test_a_download_abandoned_in_autocommit_cancels_the_copy_and_leaves_the_connection_usable(peel_data_live, caplog):
    assert connection.get_autocommit()
    abandon_after_first_chunk(caplog)
    assert Grade.objects.count() > 0
    assert export(exports.grade_export_queryset(), "copy") == export(exports.grade_export_queryset(), "writer")


@pytest.mark.usefixtures("peel_data")
def test_a_failing_copy_raises_in_the_request_and_leaves_the_transaction_usable():
    chunks = exports._copy_chunks(alias="default", select_sql="SELECT 1 / (id - id) FROM reports_grade", params=(), header=["x"])
    next(chunks)
    with pytest.raises(Exception, match="division by zero"):
        next(chunks)
    assert copy_threads() == []
    assert Grade.objects.count() > 0
