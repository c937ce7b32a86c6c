from django.contrib import admin
from django.urls import include, path

from peel import views as peel_views

urlpatterns = [
    path("healthz", peel_views.healthz, name="healthz"),
    path("livez", peel_views.livez, name="livez"),
    path("admin/", admin.site.urls),
    path("editor/", include("reports.editor_urls")),
    path("", include("reports.export_urls")),
    path("", include("forces.urls")),
    path("", include("reports.urls")),
]
