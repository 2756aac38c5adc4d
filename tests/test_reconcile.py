"""The OpenRefine reconciliation service, mounted in an app of its own, over a real store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nkwatch.store import open_store
from nkwatch.web import reconcile

TYPES = ["facility", "organization", "person", "place", "outlet", "product"]


@pytest.fixture(scope="module")
def client(seeded_kb: Path) -> Iterator[TestClient]:
    store = open_store(seeded_kb)
    app = FastAPI()
    app.include_router(reconcile.router(lambda: store), prefix="/reconcile")
    try:
        yield TestClient(app)
    finally:
        store.close()


def ask(client: TestClient, queries: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_manifest_has_what_the_spec_requires(client: TestClient) -> None:
    m = client.get("/reconcile").json()
    assert {"versions", "name", "identifierSpace", "schemaSpace", "defaultTypes"} <= set(m)
    assert "0.2" in m["versions"]
    assert [t["id"] for t in m["defaultTypes"]] == TYPES
    assert all(set(t) == {"id", "name"} for t in m["defaultTypes"])
    assert m["view"]["url"] == "http://testserver/entities/{{id}}"
    assert m["preview"]["url"] == "http://testserver/reconcile/preview?id={{id}}"
    assert m["preview"]["width"] > 0 and m["preview"]["height"] > 0


@pytest.mark.parametrize(
    ("query", "etype", "expected", "match"),
    [
        ("Kimchaek Iron Steel", "facility", "facility:kim-chaek-steel", False),
        ("Kimchaek Iron Steel", None, "facility:kim-chaek-steel", False),
        ("Hwanghae Iron and Steel Complex", "facility", "facility:hwanghae-steel", True),
        ("Rodong Sinmun", None, "outlet:rodong-sinmun", True),
        ("Nodong Shinmun", "outlet", "outlet:rodong-sinmun", True),
    ],
)
def test_names_reconcile_to_the_right_entity_first(
    client: TestClient, query: str, etype: str | None, expected: str, match: bool
) -> None:
    q: dict[str, Any] = {"query": query, "limit": 3}
    if etype:
        q["type"] = etype
    results = ask(client, {"q0": q})["q0"]["result"]
    assert 1 <= len(results) <= 3
    first = results[0]
    assert first["id"] == expected
    assert first["match"] is match
    assert set(first) == {"id", "name", "type", "score", "match"}
    assert first["type"] == [
        {"id": expected.split(":")[0], "name": expected.split(":")[0].capitalize()}
    ]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert all(not r["match"] for r in results[1:])
    if etype:
        assert {r["type"][0]["id"] for r in results} == {etype}


def test_queries_as_a_query_parameter_answer_each_key(client: TestClient) -> None:
    queries = {"a": {"query": "Hwanghae Steel Complex"}, "b": {"query": "zzqx vvwk"}}
    response = client.get("/reconcile", params={"queries": json.dumps(queries)})
    answer = response.json()
    assert set(answer) == {"a", "b"}
    assert answer["a"]["result"][0]["id"] == "facility:hwanghae-steel"
    assert answer["b"]["result"] == []


def test_bad_queries_are_refused_in_one_line(client: TestClient) -> None:
    assert client.post("/reconcile", data={"queries": "{not json"}).status_code == 400
    assert client.post("/reconcile", data={"queries": '{"q0": {"limit": 2}}'}).status_code == 400
    assert client.post("/reconcile", data={}).status_code == 400


def test_preview_is_a_small_escaped_card(client: TestClient) -> None:
    response = client.get("/reconcile/preview", params={"id": "facility:kim-chaek-steel"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    assert "<strong>Kim Chaek Iron and Steel Complex</strong>" in body
    assert "Iron &amp; Steel" in body and "Iron & Steel" not in body
    assert "<script" not in body and len(body) < 2000
    assert client.get("/reconcile/preview", params={"id": "facility:nowhere"}).status_code == 404
