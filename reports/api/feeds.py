"""The Atom feed of changes (/feed/): new and changed grades, HMICFRS's amendments, newly imported reports.

Made from the history records django-simple-history keeps of every save, so it tells what changed
after the shipped data was loaded (fixtures load without history records), newest first.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date

from reports.api.selectors import FeedEntry, feed_entries_get
from reports.caching import data_stamp_get


class ChangesFeed(Feed):
    """Grades added, changed or removed, amendments and new reports, newest first, linking to their report pages."""

    feed_type = Atom1Feed
    title = "PEEL dashboard: new and changed grades"
    subtitle = (
        "HMICFRS PEEL police inspection grades added, changed or amended, and reports imported, newest first. "
        "Changes since the shipped data was loaded; grades from 2021/22 use a five-tier scale."
    )

    def link(self) -> str:
        return reverse("pages:national")

    def items(self) -> list[FeedEntry]:
        return feed_entries_get()

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_description(self, item: FeedEntry) -> str:
        return item.description

    def item_link(self, item: FeedEntry) -> str:
        return reverse("pages:report", kwargs={"force_slug": item.force_slug, "round_slug": item.round_slug})

    def item_guid(self, item: FeedEntry) -> str:
        # An entry's id must be a permanent IRI of its own (several entries link to one page): a tag URI.
        return f"tag:peel-dashboard,2026:change/{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedEntry):
        return item.when

    def item_updateddate(self, item: FeedEntry):
        return item.when


changes_feed = ChangesFeed()


def feed(request: HttpRequest) -> HttpResponse:
    """The feed, answering 304 to a reader whose ETag or date is current (readers poll often)."""
    stamp = data_stamp_get()
    etag = f'"feed-{stamp.version}"'
    last_modified = int(stamp.changed_at.timestamp()) if stamp.changed_at else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = not_modified if not_modified is not None else changes_feed(request)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response
