from django.contrib.admin.apps import AdminConfig


class PeelAdminConfig(AdminConfig):
    default_site = "peel.admin.PeelAdminSite"
