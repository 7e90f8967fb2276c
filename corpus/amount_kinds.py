"""What a money amount is for, read from the words around it: money granted, a threshold, a
target, a sum, a fine.

A researcher asking for "the clause that grants up to 500万元" means money granted: a cap on
support (最高不超过800万元, 每年补贴不超过30万元) or a fixed grant (给予100万元的财政资金奖励). The
other amounts of a policy are conditions a company or project must pass (营业收入超500亿元的企业,
总投资500万元以上项目: ``floor``), goals (增加值达到100亿元, 力争…: ``target``), sums reported
(累计资助9737万元, 年均产业资金支持超过5000万元, 售额超百亿元: ``total``), and in laws mostly
fines (处一万元以上五万元以下的罚款: ``fine``). ``other`` is whatever none of these cues name.
"""
from __future__ import annotations

import re

# kind → its name on the page and in the query language (金额类型:门槛)
KIND_LABELS: dict[str, str] = {
    "cap": "资助上限", "grant": "资助", "floor": "门槛", "target": "目标",
    "total": "总额", "fine": "罚款", "other": "其他",
}
SUPPORT_KINDS = ("cap", "grant")  # money granted: what 金额: alone compares
KINDS = tuple(KIND_LABELS)

_FINE_AFTER = re.compile(r"罚款|罚金")
_FINE_BEFORE = re.compile(r"(?:处以?|罚款|罚金)[^，,。；;]{0,8}$")
# money that is no support: damages, deposits, fees, prices, taxes, losses, and a company's size
_NOT_SUPPORT = re.compile(r"赔偿|违约金|罚|保证金|收费|价格|税|损失|债务|费用|资产|注册资本|营业额|营业收入|销售额|所得")
_NOT_SUPPORT_AFTER = re.compile(r"^[^，,]{0,8}(?:损失|债务|赔偿|罚|费用|税)")
_CAP_BEFORE = re.compile(r"最高|不超过|不高于|最多|上限|封顶|至多|不得超过")
_CAP_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:以下|以内|封顶|为限)")
_FLOOR_BEFORE = re.compile(r"超过?|以上|不少于|不低于|逾|至少")
_FLOOR_AFTER = re.compile(r"^(?:（含）|\(含\))?(?:及)?(?:以上|起)")
# what a threshold qualifies: 超500亿元的企业, 产值超亿元时尚企业, 500万元以上项目, 100万元（含）以上的
_CONDITION_AFTER = re.compile(
    r"^(?:（含）|\(含\))?(?:及)?(?:以上|以下|以内)?(?:（含）|\(含\))?"
    r"(?:的(?![一-龥]{0,3}(?:奖励|补贴|资助|支持|补助|财政|资金|经费|奖金))|[一-龥]{0,4}(?:企业|项目|单位|园区|平台|机构|公司|商家))"
)
_CONDITION_BEFORE = re.compile(r"(?:^|[，,])(?:对于?|凡|符合|申请)[^，,]*$")
_TARGET = re.compile(r"力争|到20\d\d年(?!\d{1,2}月)|20\d\d年前|目标|预计")  # in the sentence before
_TARGET_BEFORE = re.compile(r"突破|达到|实现")  # in the phrase
_TOTAL_BEFORE = re.compile(r"总|共|累计|合计|规模|年均")
_REPORTED = re.compile(r"额|值|收入|规模|年均|累计|资金")  # a figure reached: 售额超百亿元, 资金支持超过5000万元
_SUPPORT_CUE = re.compile(r"给予|奖励|补贴|补助|资助|支持|扶持")
_GRANT_BEFORE = re.compile(r"给予|奖励|补贴|补助|资助|支持|扶持|奖")
_GRANT_AFTER = re.compile(r"^[^，,。；;]{0,8}(?:奖励|补贴|补助|资助|支持|奖金)")


def amount_kind(before: str, after: str, sentence_before: str, upper: bool = False) -> str:
    """The kind of one amount from its context: ``before``, the words just before it in its
    phrase (back to a comma); ``after``, the rest of its phrase (up to a comma);
    ``sentence_before``, its sentence up to it. ``upper``: the amount ends a range (50-100万元),
    which caps it."""
    if _FINE_AFTER.search(after) or _FINE_BEFORE.search(before):
        return "fine"
    condition = bool(_CONDITION_AFTER.match(after))
    capped = upper or bool(_CAP_BEFORE.search(before) or _CAP_AFTER.match(after))
    # what its sentence says of the money after the last word granting it: 总费用的30%给予最高500万元
    # is support (费用 is the base of the share), 赔偿限额，但是最高不超过2100万元 is not
    cues = list(_SUPPORT_CUE.finditer(sentence_before))
    said = sentence_before[cues[-1].end():] if cues else sentence_before
    supports = not (_NOT_SUPPORT.search(said) or _NOT_SUPPORT_AFTER.match(after))
    if condition:
        return "other" if capped else "floor"
    if _FINE_AFTER.search(sentence_before) and not _GRANT_BEFORE.search(before):
        return "fine"  # 对个人的罚款金额，为一千元以上三万元以下
    if capped:
        return "cap" if supports else "other"
    if _CONDITION_BEFORE.search(sentence_before) and (_FLOOR_BEFORE.search(before) or _FLOOR_AFTER.match(after)
                                                      or "达" in before):
        return "floor"
    floor_after = _FLOOR_AFTER.match(after)
    if _TARGET.search(sentence_before) or (_TARGET_BEFORE.search(before) and not floor_after):
        return "target"
    if _FLOOR_BEFORE.search(before) or floor_after:
        floor_word = re.search(r"不少于|不低于|至少|以上", before) or floor_after
        return "total" if not floor_word and _REPORTED.search(before) else "floor"
    if _TOTAL_BEFORE.search(before) or before.endswith("达"):
        return "total"
    if supports and (_GRANT_BEFORE.search(before) or _GRANT_AFTER.match(after)):
        return "grant"
    return "other"


def is_support(kind: str) -> bool:
    """Whether an amount of this kind is money granted (a cap on support or a grant)."""
    return kind in SUPPORT_KINDS


__all__ = ["KINDS", "KIND_LABELS", "SUPPORT_KINDS", "amount_kind", "is_support"]
