"""The query language's fields, defined once: the names a user may type, what each filters,
examples, and the facet whose values it filters.

The parser (:mod:`search.query`), the page's help and facet links (:mod:`search.web.pages`)
and the command line's help all read this table. Pure data: importing it costs nothing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueryField:
    """One field: ``name`` is canonical; ``aliases`` are what a user may type, the Chinese name
    first and the English one second."""

    name: str
    aliases: tuple[str, ...]
    meaning: str = ""  # what it filters, in Chinese, for the page's help (empty: not listed there)
    examples: tuple[str, ...] = ()  # whole filters, for the page's help
    sample: str = ""  # a value, for the command line's help
    facet: str = ""  # the facet (search.facets) whose values this field filters

    @property
    def label(self) -> str:
        """The Chinese name: 类型."""
        return self.aliases[0]

    @property
    def names(self) -> str:
        """The Chinese and English names as help shows them: 类型/type."""
        return "/".join(self.aliases[:2])


QUERY_FIELDS: tuple[QueryField, ...] = (
    QueryField("type", ("类型", "type", "doc_type", "文种"),
               "文件类型，写一部分即可（类型:答复 同时匹配提案答复和建议答复）", ("类型:行动计划", "类型:答复"),
               "行动计划", facet="type"),
    QueryField("issuer", ("机关", "issuer", "issuing_body", "发文机关", "单位"),
               "发文或答复机关，名称的一部分", ("机关:工业和信息化局", "机关:龙岗"), "工业和信息化局", facet="issuer"),
    QueryField("year", ("年份", "year", "年度"),
               "成文年份，可写范围", ("年份:2020", "年份:2020..2023", "年份:>=2021"), "2020..2023", facet="year"),
    QueryField("date", ("日期", "date"),
               "成文日期，可写范围", ("日期:>=2023-01-01", "日期:2020-01-01..2020-12-31"), ">=2023-01-01"),
    QueryField("amount", ("金额", "amount", "资金"),
               "条款给予的资助金额（元、万、亿；最高、不超过、给予、奖励、补贴的金额）", ("金额:>=500万", "金额:100万..1000万"),
               ">=500万 (100万..1000万; 元/万/亿)"),
    QueryField("amount_kind", ("金额类型", "amount_kind", "金额种类"),
               "金额比较哪一类：资助（默认）、门槛、目标、总额、罚款、其他、全部",
               ("金额类型:门槛 金额:>=1亿", "金额类型:罚款"), "资助|门槛|目标|总额|罚款|其他|全部"),
    QueryField("status", ("状态", "status", "效力"),
               "在某日的效力：现行有效、已被修改、已失效、尚未生效", ("状态:现行有效", "状态:已被修改"),
               "现行有效|已被修改|已失效|尚未生效",
               facet="status"),
    QueryField("docno", ("文号", "docno", "发文字号"),
               "发文字号，完整或部分", ("文号:深府办〔2020〕4号", "文号:深府办"), "深府办〔2020〕4号"),
    QueryField("proposal", ("提案号", "proposal", "建议号"),
               "提案或建议的编号", ("提案号:20190892", "提案号:JY20230126"), "20190892"),
    QueryField("session", ("会议", "session"),
               "提出提案或建议的会议", ("会议:六届六次", "会议:第八届人民代表大会"), "六届六次"),
    QueryField("proposer", ("提案人", "proposer", "代表", "委员"),
               "委员或代表姓名", ("提案人:张昊",), "朱舜华"),
    QueryField("cites", ("引用", "cites"),
               "引用了某文件的文件（书名或文号）", ("引用:时尚产业高质量发展行动计划", "引用:深府办〔2020〕4号"),
               "《title》 or a 文号"),
    QueryField("source", ("来源", "source", "文件"), sample="002"),
)

# canonical field → names a user may type
FIELDS: dict[str, tuple[str, ...]] = {f.name: f.aliases for f in QUERY_FIELDS}
# facet name → the field name a click on one of its values adds to the query
FACET_FIELDS: dict[str, str] = {f.facet: f.label for f in QUERY_FIELDS if f.facet}

__all__ = ["FACET_FIELDS", "FIELDS", "QUERY_FIELDS", "QueryField"]
