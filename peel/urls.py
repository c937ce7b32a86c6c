from django.contrib import admin
from django.urls import include, path

from peel import views as peel_views

urlpatterns = [
    path("healthz", peel_views.healthz, name="healthz"),
    path("livez", peel_views.livez, name="livez"),
    path("admin/", admin.site.urls),
    path("editor/", include("reports.editor.urls")),
    path("", include("reports.api.urls")),
    path("", include("reports.exports.urls")),
    path("", include("reports.accountability.urls")),
    path("", include("reports.pages.urls")),
]
