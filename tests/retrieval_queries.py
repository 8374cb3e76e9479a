"""The query table for retrieval: paraphrased questions (zh and en) and the paragraph that answers.

Used by test_retrieval.py (top-3 recall) and by the README's dense/BM25/hybrid comparison.
"""

from __future__ import annotations

QUERIES: list[tuple[str, str]] = [
    ("What is the target for rooftop solar?", "zl2025/p10"),
    ("今年新增多少绿地", "zl2025/p12"),
    ("绿化面积今年要增加多少?", "zl2025/p12"),
    ("GDP增长目标是多少", "zl2025/p03"),
    ("What is the GDP growth target for 2025?", "zl2025/p03"),
    ("高新技术企业今年要达到多少家", "zl2025/p10"),
    ("How many high-tech enterprises are targeted?", "zl2025/p10"),
    ("今年增加多少个学位?", "zl2025/p13"),
    ("How many new school places will be added?", "zl2025/p13"),
    ("老旧住宅电梯更新改造多少部", "zl2025/p12"),
    ("How many lifts will be installed in existing residential buildings?", "zl2025/p12"),
    ("新建改建道路多少条", "zl2025/p12"),
    ("公厕要新建改造几个", "zl2025/p12"),
    ("什么是三先三后原则", "zl2025/g10"),
    ("What does QFLP fund mean?", "zl2025/g01"),
    ("“人人食堂”是什么意思", "zl2025/g04"),
    ("算力中心的计划规模有多大", "zl2025/g03"),
    ("城中村自主更新要实施几个项目", "zl2025/p06"),
    ("经开区排名目标", "zl2025/p07"),
    ("跨境电商企业招引多少家", "zl2025/p11"),
    ("How many cross-border e-commerce companies will be attracted?", "zl2025/p11"),
    ("送戏下乡多少场", "zl2025/p13"),
    ("工业企业基本盘有多少家", "zl2025/p15"),
    ("大气质量要达到什么标准", "zl2025/p16"),
    ("民生实事候选项目有几个", "zl2025/p18"),
    ("营商环境服务联盟有多少成员单位", "zl2025/g08"),
    ("制造业投资增长多少", "zl2025/p03"),
    ("How many fitness trail points will be built or renewed?", "zl2025/p13"),
]
