"""The health check for load balancers and monitoring: the database and the cache answer, nothing else."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 when a query and a cache round trip both succeed, 503 (with which failed) otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # any failure is the answer, not a crash
        checks["database"] = f"error: {type(error).__name__}"
    try:
        key, token = "healthz:probe", uuid.uuid4().hex
        cache.set(key, token, timeout=10)
        checks["cache"] = "ok" if cache.get(key) == token else "error: value not read back"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
