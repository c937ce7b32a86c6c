from django.urls import path

from reports.editor import views

app_name = "editor"

urlpatterns = [
    path("", views.EditorHomeView.as_view(), name="home"),
    path("grade-sheet/", views.GradeSheetPickView.as_view(), name="grade_sheet_pick"),
    path("grade-sheet/<slug:round_slug>/<slug:force_slug>/", views.GradeSheetView.as_view(), name="grade_sheet"),
    path("upload/", views.GradesUploadView.as_view(), name="upload"),
    path("import/", views.ReportImportView.as_view(), name="import"),
    path("letters/import/", views.LetterImportView.as_view(), name="letter_import"),
]
