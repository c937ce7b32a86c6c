from django.contrib import admin

from forces.models import Force
from peel.admin import HTTPS_URL_FIELDS


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "region", "most_similar_group"]
    list_filter = ["country", "region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = HTTPS_URL_FIELDS
