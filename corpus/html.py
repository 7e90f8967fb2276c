"""Web pages saved from government sites: the article's text and the page's own metadata.

A page is mostly not the document: navigation, a breadcrumb (当前位置：首页 > …), share and
print buttons, a footer with the site's address. We keep the article — the element the
site's editor fills (TRS_Editor, #zoom, <article> …) or else the smallest element holding
most of the page's prose — and render it as a reader sees it: block elements (p, div, li,
tr, br …) break lines, inline ones (span, font, a, strong …) join, so that
``<p><span>一、</span>发展目标</p>`` stays the one heading line ``一、发展目标``.

Sites state what the document is in <meta> tags (ArticleTitle, PubDate, ContentSource) and
in an info line or table (信息提供日期：… 信息来源：…, 发文字号, 信息索取号); those become the
source's preset fields, which win over what the parser would guess from the text. The
publication date is a fallback only (``published``): a date the document itself is signed
with says more about it than the day a site put it online.
"""
from __future__ import annotations

from typing import Any

import codecs
import re
from typing import TYPE_CHECKING

from corpus.encoding import decode_bytes
from errors import UnreadableDocument

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

# Elements that are never part of the article.
_JUNK_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
    "nav", "aside", "input", "select", "button", "textarea", "option", "map", "audio", "video",
)
# Page furniture that an article element may also use for its own header/footer: dropped
# only outside <article>.
_PAGE_TAGS = ("header", "footer")
_JUNK_CLASS = re.compile(
    r"^(?:[\w-]*[-_])?(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|bread|position|location|weizhi|dqwz"
    r"|footer|foot|bottom|copyright|share|bdshare\w*|print|sidebar|toolbar|topbar|login|search|friendlink"
    r"|links)(?:[-_][\w-]*)?$",
    re.I,
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BREADCRUMB_START = re.compile(r"^\s*(?:当前位置|您现在的位置|您当前的位置|你的位置|所在位置|首页\s*$)")
_BREADCRUMB = re.compile(r"^\s*(?:当前位置|您现在的位置|您当前的位置|你的位置|所在位置|首页\s*[>›»])")
_BLOCK = frozenset(
    "address article blockquote body center dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu ol p pre section summary table tbody tfoot "
    "thead tr ul caption".split()
)
_CELL = frozenset(("td", "th"))
_HEADINGS = ("h1", "h2", "h3")
# The elements site editors fill with the article, most specific first.
_ARTICLE_CONTAINERS = (
    ("class", "trs_editor"), ("class", "trs_editor_view"), ("id", "zoom"), ("class", "zoom"),
    ("itemprop", "articlebody"), ("class", "article-content"), ("class", "article_content"),
    ("class", "news_cont_d_wrap"), ("class", "pages_content"), ("class", "art_con"), ("class", "main-txt"),
    ("id", "ucap-content"), ("tag", "article"), ("id", "content"), ("class", "content"),
)
_MIN_ARTICLE_CHARS = 6
_ARTICLE_SHARE = 0.8
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SOFT_BREAK = "\x01"  # a line break in the page's source, inside one paragraph
_SOFT_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\x01+(?=[{_CJK}])")
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")

_META_ROLES = {
    "articletitle": "title", "dc.title": "title", "og:title": "title",
    "pubdate": "published", "publishdate": "published", "firstpublishedtime": "published",
    "dc.date": "published", "article:published_time": "published", "publishtime": "published",
    "contentsource": "issuer", "dc.publisher": "issuer", "source": "issuer",
}
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_DECLARED = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)


def read_html(data: bytes, given: str, encoding: str | None = None) -> tuple[str, dict[str, str]]:
    """The article's text and the page's metadata fields (title, date, issuing_body, …)."""
    from bs4 import BeautifulSoup

    text = decode_bytes(data, given, encoding, declared=declared_charset(data))
    try:
        soup = BeautifulSoup(text, "lxml")
    except (ValueError, TypeError, AssertionError) as exc:  # parser refusals on hostile markup
        raise UnreadableDocument(given, f"not a readable web page: {exc}") from None
    meta = _meta_fields(soup)
    _drop_junk(soup)
    root = soup.body or soup
    article = _article(root)
    if article is None:
        raise UnreadableDocument(
            given, "no article on the page: only navigation, links or scripts "
            "(a page that loads its text with JavaScript? save it after it has loaded)"
        )
    title = _page_title(root, article)
    labelled = _labelled_fields(root, article)
    fields = _fields(meta, labelled, title)
    body = render_text(article)
    title = fields.get("title", "")
    if title and _squeeze(title) not in _squeeze(body[: len(title) * 3 + 200]):
        body = title + "\n" + body
    return body, fields


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in ``<meta charset>`` or its XML declaration, if Python knows it."""
    head = data[:4096]
    m = _DECLARED.search(head) or _XML_DECLARED.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


# ------------------------------------------------------------------------------- the tree


def _drop_junk(soup: BeautifulSoup) -> None:
    from bs4 import Comment, Tag

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_JUNK_TAGS):
        tag.decompose()
    doomed = []
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        if tag.name in _PAGE_TAGS and tag.find_parent("article") is None:
            doomed.append(tag)
        elif tag.name not in ("body", "html") and (_junk_attrs(tag) or _HIDDEN.search(str(tag.get("style") or ""))):
            doomed.append(tag)
    for string in soup.find_all(string=_BREADCRUMB_START):
        block = string.find_parent(_BLOCK - {"body", "html"})
        if block is not None and _is_breadcrumb(block):
            doomed.append(block)
    for tag in doomed:
        if tag.parent is not None and not tag.decomposed:  # not already gone with an ancestor
            tag.decompose()


def _junk_attrs(tag: Tag) -> bool:
    classes: Any = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    names = [*classes, str(tag.get("id") or "")]
    if tag.get("role") in ("navigation", "banner", "contentinfo", "search"):
        return True
    return any(name and _JUNK_CLASS.match(name) for name in names)


def _is_breadcrumb(tag: Tag) -> bool:
    text = tag.get_text(" ", strip=True)
    return len(text) <= 120 and bool(_BREADCRUMB.match(text))


def _prose(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _article(root: Tag) -> Tag | None:
    """The article element: a known editor container with prose in it, else the smallest
    container that holds most of the page's prose (text outside links)."""
    prose = _prose_by_element(root)
    known = [(rank, -prose[id(el)], n, el) for n, el in enumerate(root.find_all(True))
             if prose.get(id(el), 0) >= _MIN_ARTICLE_CHARS and (rank := _container_rank(el)) is not None]
    if known:
        return min(known, key=lambda k: k[:3])[3]
    total = prose.get(id(root), 0)
    if total - _heading_prose(root) < _MIN_ARTICLE_CHARS:
        return None
    best = root
    for el in root.find_all(True):
        count = prose.get(id(el), 0)
        if total * _ARTICLE_SHARE <= count <= prose[id(best)] and _is_container(el):
            best = el
    return best


def _container_rank(el: Tag) -> int | None:
    """The rank of ``el`` among the containers site editors fill with the article, or None."""
    classes: Any = el.get("class") or []
    names = {
        "tag": {el.name},
        "class": {c.lower() for c in (classes.split() if isinstance(classes, str) else classes)},
        "id": {str(el.get("id") or "").lower()},
        "itemprop": {str(el.get("itemprop") or "").lower()},
    }
    for rank, (kind, value) in enumerate(_ARTICLE_CONTAINERS):
        if value in names[kind]:
            return rank
    return None


def _prose_by_element(root: Tag) -> dict[int, int]:
    """For every element (by ``id``) holding text: its characters outside links and white space."""
    from bs4 import NavigableString, Tag

    totals: dict[int, int] = {}
    for node in root.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, Tag):
            continue
        n = _prose(str(node))
        if not n or node.find_parent("a") is not None:
            continue
        parent = node.parent
        while parent is not None:
            totals[id(parent)] = totals.get(id(parent), 0) + n
            if parent is root:
                break
            parent = parent.parent
    return totals


def _heading_prose(root: Tag) -> int:
    return sum(_prose(h.get_text()) for h in root.find_all(("h1", "h2", "h3", "h4", "h5", "h6")))


def _is_container(el: Tag) -> bool:
    """An element whose text is several blocks: block children or line breaks."""
    from bs4 import Tag

    if el.name not in _BLOCK or el.name in ("p", "li", "dt", "dd") or el.name.startswith("h") and len(el.name) == 2:
        return False
    return any(isinstance(c, Tag) and (c.name in _BLOCK or c.name == "br") for c in el.children)


def render_text(root: Tag) -> str:
    """The text of ``root`` as a browser lays it out: block elements on lines of their own,
    inline elements joined, table cells of a row on one line.

    >>> from bs4 import BeautifulSoup
    >>> render_text(BeautifulSoup("<div><p><span>一、</span>发展<b>目标</b></p><p>到2022年</p></div>", "lxml").div)
    '一、发展目标\\n到2022年'
    """
    from bs4 import NavigableString, Tag

    out: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:  # iterative: a page nested thousands deep must not exhaust the stack
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            name = node.name
            if leaving:
                if name in _BLOCK:
                    out.append("\n")
                continue
            if name == "br":
                out.append("\n")
                continue
            if name in _BLOCK:
                out.append("\n")
            elif name in _CELL:
                out.append(" ")
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif isinstance(node, NavigableString):
            if node.find_parent("pre") is not None:
                out.append(str(node))
            else:
                out.append(_SPACE_RUN.sub(lambda m: _SOFT_BREAK if "\n" in m.group(0) else " ", str(node)))
    text = _SOFT_BETWEEN_CJK.sub("", "".join(out)).replace(_SOFT_BREAK, " ")
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------------------------- metadata


def _meta_fields(soup: BeautifulSoup) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").strip().lower()
        role = _META_ROLES.get(key)
        value = " ".join(str(tag.get("content") or "").split())
        if role and value and role not in fields:
            fields[role] = value
    return fields


def _page_title(root: Tag, article: Tag) -> str | None:
    """The page's own heading: an h1, else an h2/h3 in or beside the article (one in a sidebar
    is a box's title), unless it is just the site's or a body's name."""
    from corpus.metadata import ORGAN

    near = article.parent if article.parent is not None else root
    for name in _HEADINGS:
        for heading in (root if name == "h1" else near).find_all(name):
            text = " ".join(heading.get_text(" ", strip=True).split())
            if len(text) >= 4 and re.search(f"[{_CJK}]", text) and not ORGAN.match(text):
                return text
    return None


def _labelled_fields(root: Tag, article: Tag) -> dict[str, str]:
    """Fields the page states as labels: rows of an info table, then ``label：value`` lines."""
    from corpus.metadata import FIELD_LABELS, labelled_fields

    fields: dict[str, str] = {}
    for row in root.find_all("tr"):
        cells = [" ".join(c.get_text(" ", strip=True).split()) for c in row.find_all(_CELL)]
        for label, value in zip(cells, cells[1:]):
            role = FIELD_LABELS.get(label.rstrip("：: "))
            if role and value and role not in fields and not FIELD_LABELS.get(value.rstrip("：: ")):
                fields[role] = value
    # the lines around the article, and the head of the article itself (some editors put the info line there)
    outside = render_text(root) if article is root else _text_outside(root, article)
    inside = "\n".join(render_text(article).split("\n")[:6])
    for role, value in {**labelled_fields(inside), **labelled_fields(outside)}.items():
        fields.setdefault(role, value)
    return fields


def _text_outside(root: Tag, article: Tag) -> str:
    from bs4 import Tag as _Tag

    placeholder = _Tag(name="p")
    article.replace_with(placeholder)
    try:
        return render_text(root)
    finally:
        placeholder.replace_with(article)


def _fields(meta: dict[str, str], labelled: dict[str, str], heading: str | None) -> dict[str, str]:
    """Preset fields from what the page states, each checked to be what it says it is."""
    from corpus.dates import normalize_date
    from corpus.metadata import DOC_NUMBER, ORGAN, find_index_number, normalize_doc_number

    fields: dict[str, str] = {}
    title = meta.get("title") or labelled.get("title") or heading
    if title:
        fields["title"] = title
    signed = normalize_date(labelled.get("signed", ""))
    if signed:
        fields["date"] = signed
    for raw in (meta.get("published", ""), labelled.get("published", "")):
        published = normalize_date(raw)
        if published:
            fields["published"] = published
            break
    for raw in (labelled.get("issuer", ""), meta.get("issuer", "")):
        name = raw.strip()
        if ORGAN.match(name):
            fields["issuing_body"] = name
            break
    m = DOC_NUMBER.search(labelled.get("doc_number", ""))
    if m:
        fields["doc_number"] = normalize_doc_number(m.group(0))
    index_number = find_index_number(labelled)
    if index_number:
        fields["index_number"] = index_number
    return fields


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
