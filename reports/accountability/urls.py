"""The accountability pages: monitoring and the recommendation register."""

from django.urls import path

from reports.accountability import views

app_name = "accountability"

urlpatterns = [
    path("monitoring/", views.monitoring, name="monitoring"),
    path("recommendations/", views.recommendations, name="recommendations"),
]
