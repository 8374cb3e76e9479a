"""Specification of a term's weight: how rare its form is among the library's clauses.

The oracle is the plain count of the clauses that hold the form.
"""

from __future__ import annotations

import math

import pytest

from assistant import Assistant


@pytest.mark.parametrize("form", ["绿地", "新增", "的", "5%左右", "城中村自主更新", "5g基站", "gdp", "。"])
def test_weight_counts_the_clauses_holding_the_form(assistant: Assistant, form: str) -> None:
    extractor = assistant.query_stage.extractor
    clauses = extractor._clauses
    held = sum(1 for c in clauses if form in c)
    assert extractor.weight(form) == math.log(1 + len(clauses) / (held + 0.5))
