"""Security headers on every response: a strict CSP, no sniffing, no referrer."""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
FIXED = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def script_hash(script: str) -> str:
    """A CSP source allowing exactly this inline script."""
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def csp_allowing_inline(html: str) -> str:
    """CSP for a page whose own inline scripts are allowed by their hashes, and no others."""
    hashes = " ".join(script_hash(s) for s in INLINE_SCRIPT.findall(html))
    return CSP.replace("script-src 'self'", f"script-src 'self' {hashes}".rstrip())


class SecurityHeaders:
    """ASGI middleware: a response that sets its own CSP keeps it; every other gets `CSP`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                for name, value in FIXED:
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
