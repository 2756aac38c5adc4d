from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from nkwatch import Pipeline
from nkwatch.store import open_store

from .servers import chromium, postgres_server, postgres_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("NKWATCH_SHARED", ROOT.parent / "shared"))


# The fuzz suite: a fixed, bounded run by default; NKWATCH_FUZZ=long (or
# --hypothesis-profile long) runs many more examples, drawn afresh each time.
settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("NKWATCH_FUZZ", "ci"))


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"the shared corpus is missing at {SHARED}; set NKWATCH_SHARED to its folder")
    return SHARED


@pytest.fixture(scope="session")
def empty_kb(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A knowledge base file with the schema and nothing in it."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    open_store(path, write=True).close()
    return str(path)


@pytest.fixture(scope="session")
def web_kb(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> str:
    """samples/, the story fixtures and two hostile documents in one knowledge base (read-only
    for the tests that share it)."""
    from .webkb import build_kb

    return str(build_kb(tmp_path_factory.mktemp("webkb"), pipeline))


@pytest.fixture(scope="session")
def seeded_kb(tmp_path_factory: pytest.TempPathFactory, shared: Path, pipeline: Pipeline) -> Path:
    """A knowledge base of the samples and the shared seed documents, built once; read it,
    never write it."""
    from nkwatch.pipeline import ingest_paths
    from nkwatch.store import open_store

    db = tmp_path_factory.mktemp("seeded") / "kb.db"
    store = open_store(db, write=True)
    try:
        report = ingest_paths([SAMPLES, shared / "corpus" / "seeds"], store, pipeline)
        assert not report.failures
    finally:
        store.close()
    return db
