"""The admin site: only editors and administrators get in (see peel.roles)."""

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse

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

    def admin_view(self, view, cacheable=False):
        """Django's admin_view, except that a logged-in user without a role gets 403 (the README's promise),
        not the login page again; logging out still works for them."""
        wrapped = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                if request.path == reverse("admin:logout"):
                    return view(request, *args, **kwargs)  # Django's admin_view would send them back to the index
                raise PermissionDenied("Only editors and administrators may use the admin.")
            return wrapped(request, *args, **kwargs)

        return update_wrapper(inner, wrapped)
