from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001  (any database failure means unhealthy)
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def ping(request: HttpRequest) -> HttpResponse:
    """A bare view: the baseline the benchmarks compare real pages against."""
    return HttpResponse(b"ok", content_type="text/plain")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": "not_found", "message": "资源不存在或无权查看", "fields": {}}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": "server_error", "message": "服务器内部错误，请稍后再试", "fields": {}}, status=500)
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": "invalid", "message": "请求无效", "fields": {}}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": "forbidden", "message": "无权办理", "fields": {}}, status=403)
    return render(request, "403.html", status=403)
