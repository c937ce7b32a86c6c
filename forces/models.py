from django.db import models
from django.urls import reverse


class Force(models.Model):
    """A territorial police force of England and Wales, named as HMICFRS names it."""

    class Country(models.TextChoices):
        ENGLAND = "England"
        WALES = "Wales"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="The same slug HMICFRS uses in its URLs.")
    country = models.CharField(max_length=10, choices=Country.choices)
    region = models.CharField(max_length=60, blank=True, help_text="HMICFRS regional grouping, where one is known.")
    region_other = models.CharField(max_length=60, blank=True, help_text="A grouping seen in another source.")
    region_other_source_url = models.URLField(max_length=500, blank=True)
    most_similar_group = models.CharField(max_length=60, blank=True)
    name_source_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:force_detail", kwargs={"slug": self.slug})
