"""The dataset downloads: /data/ and one force's CSVs (table pages export through ?_export=csv|xlsx)."""

from django.urls import path

from reports.exports import views

app_name = "exports"

urlpatterns = [
    path("data/", views.data_index, name="data"),
    path("data/grades.csv", views.grades_csv, name="grades_csv"),
    path("data/findings.csv", views.findings_csv, name="findings_csv"),
    path("forces/<slug:slug>/summary.csv", views.force_grades_csv, name="force_grades_csv"),
    path("forces/<slug:slug>/findings.csv", views.force_findings_csv, name="force_findings_csv"),
]
