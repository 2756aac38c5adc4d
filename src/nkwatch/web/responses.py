"""JSON answers that stay inert even if a client mistakes them for HTML."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class SafeJSONResponse(JSONResponse):
    """Compact UTF-8 JSON with <, > and & written as \\u escapes."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.translate(HTML_SAFE).encode("utf-8")
