"""nkwatch's web interface: server-rendered pages, a map of places and a JSON API.

    app = create_app(settings=WebSettings(map_features=my_features))
    run(app)                          # http://127.0.0.1:8000/

Pages are Jinja2 templates rendered on the server; the only scripts are the
map's, and every file the pages load is shipped in the package.
"""

from __future__ import annotations

from fastapi import FastAPI

from nkwatch.web.app import create_app
from nkwatch.web.settings import WebSettings

__all__ = ["WebSettings", "create_app", "run"]


def run(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve an app made by `create_app` with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port)
