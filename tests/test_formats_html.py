"""Web pages saved from government sites: the article, not the page; the page's metadata as fields."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus import parse_file
from corpus.html import declared_charset, render_text
from corpus.readers import Format, parse_columns, read_file
from errors import UnreadableDocument

TITLE = "深圳市时尚产业高质量发展行动计划（2020—2024年）"

# A page as 深圳政府在线-style sites serve it: meta tags, navigation, breadcrumb, the title, an
# info line, the article in the editor's container with headings split over inline tags, a
# share bar and a footer.
GOV_PAGE = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="深圳市工业和信息化局">
<meta name="ColumnName" content="通知公告">
<meta name="ArticleTitle" content="{TITLE}">
<meta name="PubDate" content="2020-03-10 00:00">
<meta name="ContentSource" content="深圳市工业和信息化局">
<title>{TITLE}_深圳市工业和信息化局</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.TRS_Editor p {{ text-indent: 2em; }}</style>
</head>
<body>
<div class="header"><div class="logo">深圳市工业和信息化局</div>
  <ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li>
  <li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 通知公告</div>
<div class="main">
  <h1 class="title">{TITLE}</h1>
  <div class="info">信息提供日期：2020-03-10 00:00&nbsp;&nbsp;信息来源：深圳市工业和信息化局
    <span class="font">【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
  <div class="news_cont_d_wrap">
    <div class="TRS_Editor">
      <p>&nbsp;&nbsp;&nbsp;&nbsp;时尚产业是以创意、设计、创新、品牌为核心的综合性都市型产业。</p>
      <p><span style="font-family: 黑体">一、</span><span style="font-family: 黑体">发展目标</span></p>
      <p>到2022年，时尚产业规模不断壮大。</p>
      <p><strong>二、</strong><strong>重点任务</strong></p>
      <p><span>（一）</span>
         <span>建设时尚创意设计平台。</span>支持建设公共服务平台，给予最高不超过500万元资助。</p>
      <p>1.<font>培育时尚品牌</font>。对获评国际知名品牌的企业给予一次性奖励100万元。</p>
      <p>2.发展直播电商。支持时尚企业通过直播电商拓展销售渠道。</p>
      <p><span>三、</span>保障措施</p>
      <p>（一）加强组织领导。</p>
      <p>1.建立工作机制。</p>
    </div>
  </div>
  <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
  <div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="footer">主办：深圳市工业和信息化局 地址：深圳市福田区福中三路市民中心C区
  <p>粤ICP备12345678号 网站标识码：4403000001</p></div>
</body>
</html>
"""

ARTICLE = (
    f"{TITLE}\n"
    "时尚产业是以创意、设计、创新、品牌为核心的综合性都市型产业。\n"
    "一、发展目标\n"
    "到2022年，时尚产业规模不断壮大。\n"
    "二、重点任务\n"
    "（一）建设时尚创意设计平台。支持建设公共服务平台，给予最高不超过500万元资助。\n"
    "1.培育时尚品牌。对获评国际知名品牌的企业给予一次性奖励100万元。\n"
    "2.发展直播电商。支持时尚企业通过直播电商拓展销售渠道。\n"
    "三、保障措施\n"
    "（一）加强组织领导。\n"
    "1.建立工作机制。"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def read(path: Path, encoding: str | None = None):
    return read_file(str(path), path, parse_columns(None), encoding)


def parse(path: Path) -> dict:
    result = parse_file(str(path))
    assert result.error is None, result.error
    [doc] = result.documents
    return doc.to_record()


def test_the_article_without_navigation_breadcrumb_scripts_share_bar_or_footer(tmp_path):
    [source] = read(write(tmp_path, "page.html", GOV_PAGE))
    assert source.format is Format.HTML
    assert source.text == ARTICLE


def test_meta_tags_and_the_info_line_become_preset_fields(tmp_path):
    [source] = read(write(tmp_path, "page.html", GOV_PAGE))
    assert source.fields == {"title": TITLE, "published": "2020-03-10", "issuing_body": "深圳市工业和信息化局"}


def test_a_page_parses_into_clauses_and_amounts(tmp_path):
    record = parse(write(tmp_path, "page.html", GOV_PAGE))
    assert (record["title"], record["doc_type"], record["date"], record["issuing_body"]) == (
        TITLE, "行动计划", "2020-03-10", "深圳市工业和信息化局",
    )
    assert [c["path"] for c in record["clauses"]] == [
        "一", "二", "二/(一)", "二/(一)/1", "二/(一)/2", "三", "三/(一)", "三/(一)/1",
    ]
    assert [c["title"] for c in record["clauses"]][:3] == ["发展目标", "重点任务", "建设时尚创意设计平台"]
    assert [(a["clause"], a["text"], a["yuan"], a["kind"]) for a in record["amounts"]] == [
        ("二/(一)", "给予最高不超过500万元", 5000000, "cap"),
        ("二/(一)/1", "给予一次性奖励100万元", 1000000, "grant"),
    ]


def test_inline_tags_inside_a_heading_do_not_break_its_line():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        "<div><p><span>一、</span>发展目标</p><p>第一段<br>第二段</p>"
        "<p>深圳市\n  工业和信息化局 Shenzhen\n  Bureau</p><table><tr><td>发文字号</td><td>深府办〔2020〕4号</td></tr></table></div>",
        "lxml",
    )
    assert render_text(soup.div) == "一、发展目标\n第一段\n第二段\n深圳市工业和信息化局 Shenzhen Bureau\n发文字号 深府办〔2020〕4号"


INFO_TABLE_PAGE = """<html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>
<div id="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a></div>
<table class="xxgk_table">
 <tr><td>索引号：</td><td>11440300007542760K/2020-00123</td><td>分类：</td><td>工业、交通</td></tr>
 <tr><td>发布机构：</td><td>深圳市人民政府办公厅</td><td>成文日期：</td><td>2020年02月28日</td></tr>
 <tr><td>名称：</td><td>深圳市人民政府办公厅关于印发深圳市时尚产业高质量发展行动计划的通知</td></tr>
 <tr><td>文号：</td><td>深府办[2020]4号</td><td>发布日期：</td><td>2020-03-05</td></tr>
</table>
<div id="zoom">
<p>各区人民政府，市政府直属各单位：</p>
<p>《深圳市时尚产业高质量发展行动计划（2020—2024年）》已经市政府同意，现印发给你们，请认真组织实施。</p>
<p>深圳市人民政府办公厅</p>
<p>2020年3月1日</p>
</div>
<div class="bottom">版权所有：深圳市人民政府办公厅</div>
</body></html>"""


def test_an_info_table_gives_doc_number_index_number_issuer_and_signing_date(tmp_path):
    [source] = read(write(tmp_path, "xxgk.html", INFO_TABLE_PAGE))
    assert source.fields == {
        "title": "深圳市人民政府办公厅关于印发深圳市时尚产业高质量发展行动计划的通知",
        "date": "2020-02-28",
        "published": "2020-03-05",
        "issuing_body": "深圳市人民政府办公厅",
        "doc_number": "深府办〔2020〕4号",
        "index_number": "11440300007542760K/2020-00123",
    }
    record = parse(tmp_path / "xxgk.html")
    # the page's own fields win over what the text would suggest (the signature says 3月1日)
    assert (record["title"], record["doc_type"], record["date"], record["doc_number"], record["index_number"]) == (
        "深圳市人民政府办公厅关于印发深圳市时尚产业高质量发展行动计划的通知", "通知", "2020-02-28",
        "深府办〔2020〕4号", "11440300007542760K/2020-00123",
    )


def test_the_publication_date_yields_to_a_signature_date_in_the_text(tmp_path):
    page = GOV_PAGE.replace("<p>1.建立工作机制。</p>", "<p>1.建立工作机制。</p><p>深圳市工业和信息化局</p><p>2020年2月28日</p>")
    record = parse(write(tmp_path, "page.html", page))
    assert record["date"] == "2020-02-28"


def test_a_site_name_is_not_an_issuer(tmp_path):
    page = GOV_PAGE.replace('content="深圳市工业和信息化局">\n<title>', 'content="深圳政府在线">\n<title>').replace(
        "信息来源：深圳市工业和信息化局", "信息来源：本网")
    [source] = read(write(tmp_path, "page.html", page))
    assert "issuing_body" not in source.fields


def test_a_gbk_page_declared_gb2312_reads_right(tmp_path):
    page = GOV_PAGE.replace('content="text/html; charset=utf-8"', 'charset="gb2312"')
    path = write(tmp_path, "gbk.htm", page.encode("gbk"))
    assert declared_charset(path.read_bytes()) == "gb2312"
    [source] = read(path)
    assert source.text == ARTICLE
    assert source.fields["title"] == TITLE


def test_a_short_gbk_page_is_read_by_its_declaration(tmp_path):
    # too short for detection to be sure: the declaration decides
    page = '<html><head><meta charset="gbk"></head><body><p>关于开展消费季活动的通知</p><p>各区：现将有关事项通知如下。</p></body></html>'
    [source] = read(write(tmp_path, "short.html", page.encode("gbk")))
    assert source.text == "关于开展消费季活动的通知\n各区：现将有关事项通知如下。"


def test_a_utf8_page_that_declares_gb2312_is_still_utf8(tmp_path):
    page = '<html><head><meta charset="gb2312"></head><body><p>关于开展消费季活动的通知</p><p>各区商务主管部门。</p></body></html>'
    [source] = read(write(tmp_path, "mislabelled.html", page))
    assert source.text == "关于开展消费季活动的通知\n各区商务主管部门。"


def test_a_page_without_a_known_container_takes_the_block_with_most_prose(tmp_path):
    page = """<html><body>
<div class="top"><a href="/">首页</a><a href="/a">机构概况</a><a href="/b">政务公开</a></div>
<div class="wrap">
 <div class="left"><ul><li><a href="/1">关于A的通知</a></li><li><a href="/2">关于B的通知</a></li></ul></div>
 <div class="right">
  <h2>关于开展2021年夜间经济消费季活动的通知</h2>
  <div class="text">
   <div>各区商务主管部门：</div>
   <div>为促进夜间消费，现将有关事项通知如下：</div>
   <div>一、活动时间</div>
   <div>2021年7月至10月。</div>
  </div>
 </div>
</div>
<div class="foot">联系我们 | 网站地图</div>
</body></html>"""
    [source] = read(write(tmp_path, "plain.html", page))
    assert source.text == (
        "关于开展2021年夜间经济消费季活动的通知\n各区商务主管部门：\n为促进夜间消费，现将有关事项通知如下：\n一、活动时间\n2021年7月至10月。"
    )
    assert source.fields == {"title": "关于开展2021年夜间经济消费季活动的通知"}


def test_an_html5_article_keeps_its_own_header(tmp_path):
    page = """<html><body><header>网站导航</header>
<article><header><h1>关于促进消费的若干措施</h1></header>
<p>一、扩大消费。</p><p>二、优化环境。</p><footer>2022年5月1日</footer></article>
<footer>版权所有</footer></body></html>"""
    [source] = read(write(tmp_path, "a.html", page))
    assert source.text == "关于促进消费的若干措施\n一、扩大消费。\n二、优化环境。\n2022年5月1日"


@pytest.mark.parametrize("page", [
    "<html><body><ul class='menu'><li><a href='/'>首页</a></li><li><a href='/x'>新闻中心</a></li></ul></body></html>",
    "<html><head><script>location.href='/real.html'</script></head><body><div id='app'></div></body></html>",
    "<html><body><h1>关于开展夜间经济消费季活动的通知</h1><div class='footer'>版权所有 深圳市商务局</div></body></html>",
])
def test_a_page_without_an_article_is_reported(tmp_path, page):
    path = write(tmp_path, "empty.html", page)
    with pytest.raises(UnreadableDocument) as caught:
        read(path)
    assert str(caught.value) == (
        f"{path}: no article on the page: only navigation, links or scripts "
        "(a page that loads its text with JavaScript? save it after it has loaded)"
    )


def test_a_page_nested_thousands_deep_is_read_or_reported(tmp_path):
    page = "<html><body>" + "<div>" * 5000 + "<p>一、深层正文内容。</p>" + "</div>" * 5000 + "</body></html>"
    path = write(tmp_path, "deep.html", page)
    result = parse_file(str(path))
    assert result.error is None or isinstance(result.error, UnreadableDocument)


def test_a_sidebar_heading_is_not_the_title(tmp_path):
    page = """<html><body><div class="left"><h2>热点新闻推荐</h2><ul><li><a href="/1">关于A的通知</a></li></ul></div>
<div class="wrap"><div class="TRS_Editor"><p>关于开展消费季活动的通知</p><p>各区：现将有关事项通知如下。</p></div></div></body></html>"""
    [source] = read(write(tmp_path, "side.html", page))
    assert (source.text, source.fields) == ("关于开展消费季活动的通知\n各区：现将有关事项通知如下。", {})
