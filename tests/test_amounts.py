"""Money amounts: value in yuan, kind, and what is not an amount."""
from __future__ import annotations

import pytest

from corpus.amounts import find_amounts
from corpus.clauses import clause_spans


def yuans(text: str) -> list[float]:
    return [a.yuan for a in find_amounts(text, [])]


@pytest.mark.parametrize("text, yuan", [
    ("按不超过项目实际投入50%给予支持，最高不超过800万元；", [8_000_000]),
    ("2019年，我局支持时尚产业企业开展应用及创新奖励项目78个项目，累计资助9737万元。", [97_370_000]),
    ("2022年福田区直播零络售额超百亿元，规模居全市各区前列。", [10_000_000_000]),
    ("到2023年引进培育10家以上产值超亿元时尚企业。", [100_000_000]),
    ("培育营业收入超500亿元的企业1家，超200亿元的企业1家", [50_000_000_000, 20_000_000_000]),
    ("企业上一年度技术改造投资额100万元（含）以上的，按照实际投资额的20%进行资助，最高500万元。",
     [1_000_000, 5_000_000]),
    ("达4亿元及以上", [400_000_000]),
    ("执行0.35元/千瓦时的电价", [0.35]),
    ("给予每人50-100万元的安家补贴", [500_000, 1_000_000]),
    ("处一万元以上五万元以下的罚款", [10_000, 50_000]),
    ("奖励１００万元", [1_000_000]),
    ("总投资1,000万元以上", [10_000_000]),
    ("最高不超过1000万\n元", [10_000_000]),
    ("年均产业资金支持超过5000万元", [50_000_000]),
    ("标准为每人每年一千元", [1000]),
    ("十二万五千元", [125_000]),
    ("营业收入1亿元以上（含1亿元）的企业", [100_000_000]),
    ("对获得国家级、省级认定的，分别给予100万元、50万元奖励", [1_000_000, 500_000]),
    ("打造500亿级时尚产业集群", []),
    ("形成2—3个千亿级和若干个百亿级结构优化的产业集群", []),
    ("元旦期间", []),
    ("创意多元化、产品时尚化", []),
    ("每万元产值能耗", []),
    ("（单位：万元）", []),
    ("数十万元", []),
    ("统一元数据标准", []),
])
def test_amount_values(text: str, yuan: list[float]) -> None:
    assert yuans(text) == yuan


@pytest.mark.parametrize("text, kind", [
    ("最高不超过300万元", "cap"),
    ("给予最高100万元一次性建设支持", "cap"),
    ("每家企业每年补贴不超过30万元", "cap"),
    ("总投资500万元以上项目", "floor"),
    ("年度投资额平均不少于2000万元", "floor"),
    ("给予100万元的财政资金奖励", "grant"),
    ("累计资助9737万元", "total"),
])
def test_amount_kinds(text: str, kind: str) -> None:
    assert [a.kind for a in find_amounts(text, [])] == [kind]


def test_amount_text_keeps_its_qualifier() -> None:
    assert [a.text for a in find_amounts("按不超过项目实际投入50%给予支持，最高不超过800万元；", [])] == ["最高不超过800万元"]


def test_amount_is_attributed_to_its_clause() -> None:
    text = "三、主要任务\n（一）实施创新能力提升工程。\n1. 加快推进技术创新。最高不超过800万元；\n2. 加大技术改造力度。最高不超过300万元。"
    found = find_amounts(text, clause_spans(text))
    assert [(a.clause, a.yuan) for a in found] == [("三/(一)/1", 8_000_000), ("三/(一)/2", 3_000_000)]
