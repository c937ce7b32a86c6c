"""Probes for load balancers and process managers."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Readiness: 200 when the database answers a query, 503 (and an error log) when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("health check: database unavailable", extra={"error": f"{type(error).__name__}: {error}".strip()})
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
def livez(request):
    """Liveness: the process answers HTTP, without touching the database (also the load benchmark's ceiling)."""
    return HttpResponse("ok\n", content_type="text/plain")
