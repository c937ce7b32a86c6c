"""The open data API under /api/v1/, its schema and docs page, and the Atom feed of changes at /feed/."""

from django.urls import path, re_path

from reports.api import feeds, views

app_name = "api"

urlpatterns = [
    path("api/v1/", views.ApiRootView.as_view(), name="root"),
    path("api/v1/forces/", views.ForceListView.as_view(), name="forces"),
    path("api/v1/forces/<slug:slug>/", views.ForceDetailView.as_view(), name="force"),
    path("api/v1/rounds/", views.RoundListView.as_view(), name="rounds"),
    path("api/v1/rounds/<slug:slug>/", views.RoundDetailView.as_view(), name="round"),
    path("api/v1/questions/", views.QuestionListView.as_view(), name="questions"),
    path("api/v1/questions/<int:id>/", views.QuestionDetailView.as_view(), name="question"),
    path("api/v1/themes/", views.ThemeListView.as_view(), name="themes"),
    path("api/v1/themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme"),
    path("api/v1/grades/", views.GradeListView.as_view(), name="grades"),
    path("api/v1/reports/", views.ReportListView.as_view(), name="reports"),
    path("api/v1/reports/<int:id>/", views.ReportDetailView.as_view(), name="report"),
    path("api/v1/findings/", views.FindingListView.as_view(), name="findings"),
    path("api/v1/amendments/", views.AmendmentListView.as_view(), name="amendments"),
    path("api/v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/v1/docs/", views.api_docs, name="docs"),
    re_path(r"^api/(?P<path>.*)$", views.api_not_found, name="not_found"),
    path("feed/", feeds.feed, name="feed"),
]
