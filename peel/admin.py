"""The admin site: only editors and administrators get in (see peel.roles)."""

from typing import Any

from django.contrib import admin
from django.db import models

from peel.roles import user_has_role

# URL fields as Django 6 makes them (a URL typed without a scheme gets https://), without its warning.
HTTPS_URL_FIELDS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class PeelAdminSite(admin.AdminSite):
    """Django's admin, open only to active staff in the Editor or Administrator group (or superusers)."""

    site_header = "PEEL dashboard administration"
    site_title = "PEEL admin"
    index_title = "Grades, reports and findings"

    def has_permission(self, request) -> bool:
        return user_has_role(request.user)
