"""The analyst pages: national picture, forces, one force, its report pages, compare, movers, findings."""

from django.urls import path

from reports.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.national, name="national"),
    path("forces/", views.force_list, name="force_list"),
    path("forces/<slug:slug>/", views.force_detail, name="force_detail"),
    path("forces/<slug:force_slug>/<slug:round_slug>/", views.report_detail, name="report"),
    path("compare/", views.compare, name="compare"),
    path("movers/", views.movers, name="movers"),
    path("findings/", views.findings, name="findings"),
]
