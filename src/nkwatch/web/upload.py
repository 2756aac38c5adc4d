"""POST /api/documents: upload files and ingest them as `nkwatch ingest` would.

Refused unless the server was started with a token (NKWATCH_TOKEN) and the
request carries it as `Authorization: Bearer <token>`: 401 without one, 403
with a wrong one or when the server has none. A body over
`WebSettings.max_upload_bytes`, or one of unknown length, is refused before
it is read.
"""

from __future__ import annotations

import dataclasses
import hmac
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from nkwatch.web.apimodels import IngestOut, Problem
from nkwatch.web.site import Site

if TYPE_CHECKING:
    from nkwatch.model import Document
    from nkwatch.pipeline import IngestReport
    from nkwatch.ratings import Ratings
    from nkwatch.read import ReadFailure

MAX_FILES = 100
UNSAFE = re.compile(r"[^\w.\-]+")
BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                }
            }
        },
    }
}
REFUSED: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": why}
    for code, why in (
        (400, "no files in the form"),
        (401, "no bearer token"),
        (403, "wrong token, or uploads are off"),
        (411, "no Content-Length"),
        (413, "the body is over the size limit"),
    )
}


def authorize(request: Request, token: str | None) -> None:
    if not token:
        raise HTTPException(
            403, "Uploads are off on this server; start it with NKWATCH_TOKEN set to allow them."
        )
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise HTTPException(
            401,
            "Uploading needs the header 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(403, "The token is wrong; use the one the server was started with.")


def check_size(request: Request, limit: int) -> None:
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "Send the upload with a Content-Length header.")
    if int(length) > limit:
        raise HTTPException(
            413,
            f"The upload is {int(length):,} bytes, over the {limit:,}-byte limit; send fewer or smaller files.",
        )


def safe_name(name: str, n: int) -> str:
    """A file name that stays inside the upload folder and keeps its extension."""
    base = UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "upload"
    return f"{n:03d}-{base}"


def ingest_files(
    db: str, folder: Path, max_bytes: int, index: Path | None, ratings: Ratings
) -> IngestReport:
    """Ingest as `nkwatch ingest` does, into the store and, when the server has one, the
    search index."""
    from nkwatch.indexing import Feeder
    from nkwatch.pipeline import Pipeline, ingest_items
    from nkwatch.read import read_paths
    from nkwatch.search import SearchIndex
    from nkwatch.store import open_store

    def as_uploaded(item: Document | ReadFailure) -> Document | ReadFailure:
        """Filed as "upload/NNN-name", not under the temporary folder it was saved in."""
        return dataclasses.replace(item, source=item.source.replace(f"{folder}/", "upload/", 1))

    store = open_store(db, write=True)
    try:
        feeder = Feeder(SearchIndex.open(index), store, ratings) if index else None
        report = ingest_items(
            map(as_uploaded, read_paths(sorted(folder.iterdir()), max_bytes)),
            store,
            Pipeline(),
            on_stored=(lambda batch: feeder.add(batch.posts, batch.stories)) if feeder else None,
        )
        if feeder is not None:
            feeder.flush()
        return report
    finally:
        store.close()


def routes(site: Site) -> APIRouter:
    router = APIRouter()
    settings = site.settings

    @router.post(
        "/api/documents",
        response_model=IngestOut,
        responses=REFUSED,
        openapi_extra=BODY,
        summary="Upload files (multipart field 'files') and ingest them",
    )
    async def upload(request: Request) -> dict[str, Any]:
        authorize(request, settings.token)
        check_size(request, settings.max_upload_bytes)
        form = await request.form(max_files=MAX_FILES, max_fields=10)
        files = [v for v in form.getlist("files") if isinstance(v, UploadFile)]
        if not files:
            raise HTTPException(400, "No files in the form; send them as multipart field 'files'.")
        with tempfile.TemporaryDirectory(prefix="nkwatch-upload-") as tmp:
            folder = Path(tmp)
            names: dict[str, str] = {}
            for n, upload in enumerate(files):
                target = folder / safe_name(upload.filename or "upload", n)
                target.write_bytes(await upload.read())
                names[f"upload/{target.name}"] = upload.filename or target.name
            report = await run_in_threadpool(
                ingest_files,
                settings.db,
                folder,
                settings.max_upload_bytes,
                settings.index,
                site.ratings,
            )
        await form.close()
        return {
            "files": report.files,
            "documents": report.documents,
            "new_documents": report.new_documents,
            "posts": report.posts,
            "failures": [
                {
                    "source": names.get(f.source, f.source),
                    "reason": f.reason.replace(f.source, names.get(f.source, f.source)),
                }
                for f in report.failures
            ],
        }

    return router
