"""The dataset downloads: /data/ and one force's CSVs (table pages export through ?_export=csv|xlsx)."""

from django.urls import path

from reports import export_views

app_name = "exports"

urlpatterns = [
    path("data/", export_views.data_index, name="data"),
    path("data/grades.csv", export_views.grades_csv, name="grades_csv"),
    path("data/findings.csv", export_views.findings_csv, name="findings_csv"),
    path("forces/<slug:slug>/summary.csv", export_views.force_grades_csv, name="force_grades_csv"),
    path("forces/<slug:slug>/findings.csv", export_views.force_findings_csv, name="force_findings_csv"),
]
