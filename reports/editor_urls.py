from django.urls import path

from reports import editor_views

app_name = "editor"

urlpatterns = [
    path("", editor_views.EditorHomeView.as_view(), name="home"),
    path("grade-sheet/", editor_views.GradeSheetPickView.as_view(), name="grade_sheet_pick"),
    path("grade-sheet/<slug:round_slug>/<slug:force_slug>/", editor_views.GradeSheetView.as_view(), name="grade_sheet"),
    path("upload/", editor_views.GradesUploadView.as_view(), name="upload"),
    path("import/", editor_views.ReportImportView.as_view(), name="import"),
]
