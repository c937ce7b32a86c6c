"""Probes for load balancers and process managers."""

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from peel.database_guard import database_answers_within

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Readiness: 200 when the database answers a query within HEALTHZ_TIMEOUT seconds (1.5 by default),
    503 (and an error log) when it does not, even if it hangs rather than refuses."""
    answered, problem = database_answers_within(seconds=settings.HEALTHZ_TIMEOUT)
    if not answered:
        logger.error("health check: database unavailable", extra={"error": problem})
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
def livez(request):
    """Liveness: the process answers HTTP, without touching the database (also the load benchmark's ceiling)."""
    return HttpResponse("ok\n", content_type="text/plain")
