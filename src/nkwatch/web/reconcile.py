"""An OpenRefine reconciliation service (W3C Reconciliation API 0.2) over the entities.

    app.include_router(reconcile.router(get_store), prefix="/reconcile")

GET `/reconcile` answers the service manifest; GET or POST with `queries`
(form field or query parameter, JSON `{"q0": {"query": ..., "type": ...,
"limit": ...}}`) answers candidates per query; `/reconcile/preview?id=ID` is a
small HTML card. Matching is spelling- and romanization-blind: names fold to
`nkwatch.names.key_of` keys and are compared with rapidfuzz; a candidate is a
`match` only when the query's key is exactly one of its names' keys and no
other entity (of the asked type) has that key. The name index is built on
the first query and rebuilt when the knowledge base has taken another ingest.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from rapidfuzz import fuzz, process
from starlette.concurrency import run_in_threadpool

from nkwatch.errors import NotFound
from nkwatch.model import EntitySummary, EntityType
from nkwatch.names import display, key_of

if TYPE_CHECKING:
    from nkwatch.store import Store

StoreGetter = Callable[[], "Store"]

TYPES = tuple({"id": str(t), "name": str(t).capitalize()} for t in EntityType)
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
POOL = 200  # candidate keys each fuzzy pass brings in
CUTOFF = 50.0  # below this a candidate shares little more than letters


def score(query: str, key: str) -> float:
    """0-100: the words in common (order and extra words aside) averaged with the spelling
    distance once spaces are dropped ("Kimchaek" against "Kim Chaek")."""
    squeezed = fuzz.ratio(query.replace(" ", ""), key.replace(" ", ""))
    return round((fuzz.token_set_ratio(query, key) + squeezed) / 2, 1)


@dataclass(frozen=True)
class Candidate:
    summary: EntitySummary
    score: float
    exact: bool


@dataclass(frozen=True)
class NameIndex:
    """Every name key of every mentioned entity, with the entities that carry it."""

    owners: dict[str, tuple[str, ...]]  # key -> entity ids
    entities: dict[str, EntitySummary]
    keys: tuple[str, ...]
    squeezed: tuple[str, ...]

    @classmethod
    def build(cls, store: Store) -> NameIndex:
        owners: dict[str, list[str]] = {}
        for key, entity_id in store.alias_keys():
            owners.setdefault(key, []).append(entity_id)
        keys = tuple(owners)
        return cls(
            {k: tuple(v) for k, v in owners.items()},
            {e.id: e for e in store.entities()},
            keys,
            tuple(k.replace(" ", "") for k in keys),
        )

    def candidates(self, query: str, types: set[str]) -> list[Candidate]:
        """Entities of these types (any, when empty) whose names are near the query, the
        best first, the more often named first on a tie."""
        q = key_of(display(query))
        if not q:
            return []
        near = {
            self.keys[i]
            for _, _, i in process.extract(
                q, self.keys, scorer=fuzz.token_set_ratio, limit=POOL, score_cutoff=CUTOFF
            )
        }
        near |= {
            self.keys[i]
            for _, _, i in process.extract(
                q.replace(" ", ""),
                self.squeezed,
                scorer=fuzz.ratio,
                limit=POOL,
                score_cutoff=CUTOFF,
            )
        }
        near.add(q)
        best: dict[str, float] = {}
        for key in near:
            for entity_id in self.owners.get(key, ()):
                summary = self.entities.get(entity_id)
                if summary is None or (types and summary.type not in types):
                    continue
                s = 100.0 if key == q else score(q, key)
                best[entity_id] = max(best.get(entity_id, 0.0), s)
        exact = [e for e in self.owners.get(q, ()) if e in best]
        found = [
            Candidate(self.entities[e], s, len(exact) == 1 and e in exact)
            for e, s in best.items()
            if s >= CUTOFF
        ]
        return sorted(found, key=lambda c: (-c.score, -c.summary.posts, c.summary.name))


class Reconciler:
    """The name index of the store `get` returns, rebuilt when the store has changed."""

    def __init__(self, get: StoreGetter):
        self.get = get
        self._lock = threading.Lock()
        self._built: tuple[int, NameIndex] | None = None

    def index(self) -> NameIndex:
        store = self.get()
        version = store.ingest_count()
        with self._lock:
            if self._built is None or self._built[0] != version:
                self._built = (version, NameIndex.build(store))
            return self._built[1]

    def answer(self, queries: dict[str, Any]) -> dict[str, Any]:
        index = self.index()
        return {name: {"result": results(index, q)} for name, q in queries.items()}


def results(index: NameIndex, q: Any) -> list[dict[str, Any]]:
    if not isinstance(q, dict) or not isinstance(q.get("query"), str):
        raise HTTPException(400, "each query needs a 'query' string")
    asked = q.get("type")
    types = {asked} if isinstance(asked, str) else set(asked or ())
    limit = q.get("limit") or DEFAULT_LIMIT
    if not isinstance(limit, int) or limit < 1:
        raise HTTPException(400, "'limit' must be a positive whole number")
    return [
        {
            "id": c.summary.id,
            "name": c.summary.name,
            "type": [{"id": str(c.summary.type), "name": str(c.summary.type).capitalize()}],
            "score": c.score,
            "match": c.exact,
        }
        for c in index.candidates(q["query"], types)[: min(limit, MAX_LIMIT)]
    ]


def manifest(request: Request) -> dict[str, Any]:
    root = str(request.base_url)
    here = str(request.url.replace(query="")).rstrip("/")
    return {
        "versions": ["0.1", "0.2"],
        "name": "nkwatch entities",
        "identifierSpace": root + "entities/",
        "schemaSpace": root + "types/",
        "defaultTypes": list(TYPES),
        "view": {"url": root + "entities/{{id}}"},
        "preview": {"url": here + "/preview?id={{id}}", "width": 400, "height": 140},
    }


def parse_queries(raw: str) -> dict[str, Any]:
    try:
        queries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise HTTPException(400, f"'queries' is not JSON: {exc.msg}") from exc
    if not isinstance(queries, dict):
        raise HTTPException(400, "'queries' must be a JSON object of named queries")
    return queries


def preview_html(store: Store, entity_id: str) -> str:
    entity = store.entity(entity_id)
    summary = store.entity_summary(entity_id)
    info = entity.info
    place = ", ".join(x for x in (info.get("place"), info.get("province")) if x)
    aliases = [a for a in entity.aliases if a != entity.name][:6]
    lines = [
        f"<strong>{html.escape(entity.name)}</strong> <em>{html.escape(str(entity.type))}</em>",
        f"also: {html.escape('; '.join(aliases))}" if aliases else "",
        f"in {html.escape(place)}" if place else "",
        f"named in {summary.posts} posts, {summary.stories} stories",
        f'<a href="/entities/{quote(entity.id, safe="")}" target="_blank">dossier</a>',
    ]
    body = "<br>".join(x for x in lines if x)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>{body}</p></body></html>'
    )


def router(get_store: StoreGetter) -> APIRouter:
    """The service's routes over the store `get_store` returns (it is not closed here);
    include them with prefix="/reconcile"."""
    api = APIRouter()
    reconciler = Reconciler(get_store)

    @api.get("", summary="OpenRefine reconciliation: the manifest, or answers to `queries`")
    def service(request: Request, queries: str | None = None) -> JSONResponse:
        if queries is None:
            return JSONResponse(manifest(request))
        return JSONResponse(reconciler.answer(parse_queries(queries)))

    @api.post("", summary="OpenRefine reconciliation: answers to the `queries` form field")
    async def service_post(request: Request) -> JSONResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        raw = (form.get("queries") or [request.query_params.get("queries") or ""])[0]
        if not raw:
            raise HTTPException(400, "send the queries as a 'queries' form field")
        return JSONResponse(await run_in_threadpool(reconciler.answer, parse_queries(raw)))

    @api.get("/preview", response_class=HTMLResponse, summary="A small card for one entity")
    def preview(id: str) -> HTMLResponse:
        try:
            return HTMLResponse(preview_html(get_store(), id))
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc

    return api
