from django.urls import path

from forces import views

app_name = "forces"

urlpatterns = [
    path("forces/", views.force_list, name="list"),
    path("forces/<slug:slug>/", views.force_detail, name="detail"),
]
