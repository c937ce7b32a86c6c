import shutil

import pytest

from peel.sources import SourceError
from reports.facts.fixtures import reports_load
from reports.importers.text import ATTRIBUTION, source_text_read
from reports.models import Report
from tests.reports.importers import bedfordshire_2016 as truth

pytestmark = pytest.mark.usefixtures("peel_data")


def test_every_report_text_carries_its_source_address_and_the_attribution_line():
    paths = sorted(truth.REPORTS_DIR.glob("*.txt"))
    assert [path.name for path in paths] == ["bedfordshire-2016-effectiveness.pdf.txt", "bedfordshire-2016-effectiveness.txt"]
    for path in paths:
        doc = source_text_read(path.read_text(encoding="utf-8"))
        assert doc.header_value("source").startswith("https://"), path.name
        assert doc.header_value("attribution") == ATTRIBUTION, path.name


def test_the_fixtures_hold_one_bedfordshire_2016_effectiveness_report_imported_from_the_web_page():
    reports = Report.objects.filter(force__slug="bedfordshire", round__slug="2016", pillar="Effectiveness")
    assert [report.source_document for report in reports] == ["bedfordshire-2016-effectiveness.txt"]


def test_a_text_marked_as_the_same_report_in_another_layout_is_not_imported_again(tmp_path):
    shutil.copy(truth.PDF, tmp_path / truth.PDF.name)
    assert reports_load(reports_dir=tmp_path) == {}


def test_loading_the_report_texts_again_changes_nothing():
    assert reports_load(reports_dir=truth.REPORTS_DIR) == {"reports/bedfordshire-2016-effectiveness.txt": 0}


def test_a_report_text_without_its_header_fails_the_build(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text(source_text_read(truth.WEB.read_text(encoding="utf-8")).lines[0], encoding="utf-8")
    with pytest.raises(SourceError, match="raw.txt line 1: a report text needs a header with its 'source:' address"):
        reports_load(reports_dir=tmp_path)


def test_a_report_text_that_cannot_be_imported_fails_the_build_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(truth.WEB.read_text(encoding="utf-8").replace("Bedfordshire PEEL 2016", "Gotham PEEL 2016"), encoding="utf-8")
    with pytest.raises(SourceError, match="bad.txt line 13: unknown force 'Gotham'"):
        reports_load(reports_dir=tmp_path)
