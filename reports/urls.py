from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.national, name="national"),
    path("forces/<slug:force_slug>/<slug:round_slug>/", views.report_detail, name="detail"),
    path("compare/", views.compare, name="compare"),
    path("movers/", views.movers, name="movers"),
    path("findings/", views.findings, name="findings"),
]
