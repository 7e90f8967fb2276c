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


@pytest.mark.parametrize("text, kinds", [
    # the seeds: a target, thresholds, sums reported, money granted
    ("到2026年，龙岗区现代时尚产业增加值达到100亿元，培育营业收入超500亿元的企业1家，超200亿元的企业1家",
     ["target", "floor", "floor"]),
    ("2026年前力争在上述领域新增10个总投资500万元以上项目，年度投资额平均不少于2000万元。", ["floor", "target"]),
    ("2022年福田区直播零络售额超百亿元，规模居全市各区前列。", ["total"]),
    ("连续6年出台时尚产业专项扶持政策，年均产业资金支持超过5000万元。", ["total"]),
    ("到2023年引进培育10家以上产值超亿元时尚企业。", ["floor"]),
    ("对于引进区外上一年度工业总产值（或销售收入）达4亿元及以上，并与龙岗区政府签订了《投资合作框架协议》的现代时尚"
     "职能型总部企业的产业园区，按照每引进1家企业给予产业园区运营方一次性招商引资奖励200万元，每个园区每年获得奖励总"
     "金额不超过600万元。", ["floor", "grant", "cap"]),
    ("企业上一年度技术改造投资额100万元（含）以上的，按照实际投资额的20%进行资助，最高500万元。", ["floor", "cap"]),
    ("集中培育初创企业，最高给予100万元的装修资金", ["cap"]),
    ("给予每人50-100万元的安家补贴", ["grant", "cap"]),
    # the laws: fines, and the thresholds of their conditions
    ("由国土资源主管部门责令限期恢复原状，处二千元以上二万元以下罚款。", ["fine", "fine"]),
    ("没有违法所得或者违法所得不足20万元的，处20万元以上100万元以下的罚款", ["floor", "fine", "fine"]),
    ("对个人的罚款金额，为一千元以上三万元以下。", ["fine", "fine"]),
    ("每逾期一天，处以500元罚款。", ["fine"]),
    ("（一）特大型：受灾害威胁，需搬迁转移人员在一千人以上，或者可能造成经济损失一亿元以上的；", ["floor"]),
    ("请求裁决某医药公司支付2019年12月至2020年11月加班费50000元。", ["other"]),
])
def test_amount_kinds_in_real_sentences(text: str, kinds: list[str]) -> None:
    """Money granted (cap, grant) told from thresholds, targets, sums and fines, on sentences of
    the sample policies and of the laws: only the first two are what 金额: compares."""
    assert [a.kind for a in find_amounts(text, [])] == kinds


def test_the_base_of_a_share_does_not_make_support_other() -> None:
    """…总费用的30%给予最高500万元: 费用 is what the share is of; the money is support."""
    text = "按照项目装修费用及设备购置费用等总费用的30%给予最高500万元的一次性支持"
    assert [a.kind for a in find_amounts(text, [])] == ["cap"]


@pytest.mark.parametrize("text", [
    "海上旅客运输的旅客人身伤亡赔偿责任限制，按照4万元人民币乘以船舶证书规定的载客定额计算赔偿限额，但是最高不超过2100万元人民币。",
    "（一）工业企业，年度应纳税所得额不超过30万元，从业人数不超过100人，资产总额不超过3000万元；",
])
def test_a_cap_on_damages_or_on_a_companys_size_is_no_support(text: str) -> None:
    """Caps over the laws that 金额:>=500万 listed first as money granted."""
    assert not {a.kind for a in find_amounts(text, [])} & {"cap", "grant"}
