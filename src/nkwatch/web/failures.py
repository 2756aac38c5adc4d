"""Errors as one-line answers: an HTML page for pages, `{"error": ...}` under /api/."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from nkwatch.errors import NotFound
from nkwatch.web.headers import CSP, FIXED
from nkwatch.web.responses import SafeJSONResponse
from nkwatch.web.site import Site

REASONS = {
    404: "There is nothing at {path}; use the links above or search.",
    405: "{path} does not take {method} requests.",
}


def one_line(text: str) -> str:
    return " ".join(text.split())


def validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return one_line("Bad request (" + "; ".join(parts) + "); fix the value and try again.")


def http_message(request: Request, exc: HTTPException) -> str:
    template = REASONS.get(exc.status_code)
    if template:
        return template.format(path=request.url.path, method=request.method)
    return one_line(str(exc.detail))


def install(app: FastAPI, site: Site) -> None:
    """Turn bad input, unknown records and unknown paths into one-line 4xx answers."""

    def answer(request: Request, status: int, message: str) -> Response:
        message = one_line(message)
        response: Response
        if request.url.path.startswith("/api/") or request.url.path == "/api":
            response = SafeJSONResponse({"error": message}, status_code=status)
        else:
            response = site.page(
                request,
                "error.html",
                {"title": f"Error {status}", "message": message, "status": status},
                status_code=status,
            )
        # A crash is answered outside the middleware stack, so the headers are set here too.
        for name, value in (("Content-Security-Policy", CSP), *FIXED):
            response.headers.setdefault(name, value)
        return response

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return answer(request, 422, validation_message(exc))

    async def on_not_found(request: Request, exc: Exception) -> Response:
        return answer(request, 404, str(exc) or "Not found.")

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        response = answer(request, exc.status_code, http_message(request, exc))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def on_crash(request: Request, exc: Exception) -> Response:
        return answer(request, 500, "The server failed on this request; the log has the details.")

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
