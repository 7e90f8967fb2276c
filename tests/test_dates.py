"""Dates in every form documents write them."""
from __future__ import annotations

import pytest

from corpus.dates import find_dates, normalize_date


@pytest.mark.parametrize("text, iso", [
    ("                                2020年6月28日  ", "2020-06-28"),
    ("信息提供日期：2020-03-10 00:00 信息来源：深圳市工业和信息化局", "2020-03-10"),
    ("二〇二三年五月一日", "2023-05-01"),
    ("二○一九年十二月三十一日", "2019-12-31"),
    ("本专项政策自2024年1月5日起施行，有效期3年。", "2024-01-05"),
    ("2020年6月\n28日", "2020-06-28"),
    ("２０２３年５月２８日", "2023-05-28"),
    ("2019/8/20 10:58:13", "2019-08-20"),
    ("2014年11月24日 中华人民共和国国务院令第656号公布", "2014-11-24"),
])
def test_normalize_date(text: str, iso: str) -> None:
    assert normalize_date(text) == iso


@pytest.mark.parametrize("text", [
    "2020年4月，经市政府同意",          # month only
    "（2019-2021年）",                  # a span of years
    "2020年13月40日",                   # not a calendar date
    "电话：88101020",
])
def test_no_date(text: str) -> None:
    assert normalize_date(text) is None


def test_find_dates_gives_positions_in_order() -> None:
    text = "2017年12月26日 泰安市第十七届人民代表大会常务委员会第六次会议通过\n2018年1月23日 批准"
    dates = find_dates(text)
    assert [d.iso for d in dates] == ["2017-12-26", "2018-01-23"]
    assert text[dates[0].start:dates[0].end] == "2017年12月26日"
