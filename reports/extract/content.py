"""Find the report body in a page and strip the site chrome from it.

Known containers of the CMS families (docs/portals.md §1.4, §4.3) are tried first, in order; a
page without any falls back to a score of Chinese text outside links, which never picks
navigation, header or footer blocks.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from .dom import drop, flat_text, own_text, tag_of

# CSS-ish selectors, most specific first: (name, tag or None for any, id, class).  The first
# that matches an element with real text wins; among several matches of one selector the one
# with the most text wins.
_CONTAINERS: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("div#zoom", "div", "zoom", None),
    ("#Zoom", None, "Zoom", None),
    (".TRS_Editor", None, None, "TRS_Editor"),
    (".TRS_UEDITOR", None, None, "TRS_UEDITOR"),
    (".trs_editor_view", None, None, "trs_editor_view"),
    (".article_zoom", None, None, "article_zoom"),
    (".main-txt", None, None, "main-txt"),
    ("#ucapcontent", None, "ucapcontent", None),
    (".xxgk_content", None, None, "xxgk_content"),
    (".pages_content", None, None, "pages_content"),
    (".zwxl-article", None, None, "zwxl-article"),
)
_CONTAINER_IDS = frozenset(i for _, _, i, _ in _CONTAINERS if i)
_CONTAINER_CLASSES = frozenset(c for _, _, _, c in _CONTAINERS if c)
_XML_SPACE = re.compile("[ \t\r\n]+")  # what XPath's normalize-space() collapses

# A matched container with no text, no link and no image is an empty shell.
_MIN_CONTAINER_CHARS = 1

_CHROME_ATTR = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|header|footer|foot|bottom|breadcrumb|crumbs?|position|location|"
    r"dqwz|weizhi|share|bdshare|fenxiang|jiathis|sidebar|side|aside|banner|copyright|"
    r"topbar|toolbar|print|related|xgwz|links?|friendlink|search|login)([\s_-]|\d|$)",
    re.IGNORECASE,
)
_CHROME_TAGS = frozenset({"nav", "footer", "header", "aside", "form_nav"})
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "link",
    "select",
    "button",
    "input",
    "textarea",
    "svg",
    "canvas",
)

# Widget phrases that never occur in a report: safe to cut out of any text.
_WIDGET_PHRASES = (
    r"当前位置|您现在的位置|您的位置|"
    r"字[体号]\s*[:：]?\s*[\[【(（]?\s*大\s*[\]】)）]?\s*[\[【(（]?\s*中\s*[\]】)）]?\s*[\[【(（]?\s*小|"
    r"打印本页|打印本文|【\s*打印\s*】|\[\s*打印\s*\]|关闭窗口|【\s*关闭\s*】|\[\s*关闭\s*\]|"
    r"分享到|扫一扫在手机|收藏本页"
)
WIDGET_TEXT = re.compile(_WIDGET_PHRASES)
# Plus counters, which a report may mention ("网站浏览量：12万次"): these only mark a small
# block as a widget (docs/stack-facts.md §6 sample; docs/portals.md §9.1 "other"), never get cut
# from text.
_CHROME_TEXT = re.compile(
    _WIDGET_PHRASES + r"|(?:浏览次数|访问次数|点击数|阅读次数|浏览量)\s*[:：]"
)
# Text of a site footer.  Footers carry real words (主办单位：XX县人民政府办公室), so they are
# recognised by these markers and dropped whole, never edited.
_FOOTER_TEXT = re.compile(r"网站标识码|ICP备|ICP证|公网安备|版权所有|Copyright|©")
_MAX_FOOTER_CHARS = 300
# An element holding chrome text is removed whole when its text is at most this long.
_MAX_CHROME_CHARS = 120

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZJEG_BEGIN = "ZJEG_RSS.content.begin"
_ZJEG_END = "ZJEG_RSS.content.end"


def _text_len(el: etree._Element) -> int:
    return len(flat_text(el).replace(" ", ""))


# Some visible character, a link or an image below the element (libxml2 answers it without
# reading the text into Python; U+3000 and NBSP count as the spaces they are).
# Whether some text of the element may sit in code, which shows nothing: a script, style,
# noscript or template element above, at or below it.
_CODE = " or ".join(
    f"{axis}::{tag}"
    for axis in ("ancestor-or-self", "descendant")
    for tag in ("script", "style", "noscript", "template")
)
_HAS_CONTENT = etree.XPath(
    f"boolean(descendant::a[@href] or descendant::img"
    # no script below: some visible character in the string value, one libxml2 string
    f" or (not({_CODE}) and normalize-space(translate(string(.), '\u3000\xa0', '  ')))"
    # else text node by text node, outside the scripts
    f" or (({_CODE}) and descendant::text()[normalize-space(translate(., '\u3000\xa0', '  '))]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]))"
)


def _has_content(el: etree._Element) -> bool:
    return bool(_HAS_CONTENT(el))


def _zjeg_slice(root: etree._Element) -> etree._Element | None:
    """The nodes between Hanweb's ZJEG_RSS begin/end comments, in a fresh div."""
    begin = end = None
    for c in root.iter(etree.Comment):
        text = c.text or ""
        if begin is None and _ZJEG_BEGIN in text:
            begin = c
        elif begin is not None and _ZJEG_END in text:
            end = c
            break
    if begin is None or end is None:
        return None
    parent = begin.getparent()
    if parent is None or end.getparent() is not parent:
        return None
    kids = list(parent)
    i, j = kids.index(begin), kids.index(end)
    box: etree._Element = etree.Element("div")
    box.set("class", "zjeg-content")
    box.text = begin.tail
    for node in kids[i + 1 : j]:
        parent.remove(node)  # keeps no tail in place; the tail travels with the node
        box.append(node)
    parent.insert(parent.index(end), box)
    box.tail = None
    begin.tail = None
    return box


def _container_hits(root: etree._Element) -> dict[str, list[etree._Element]]:
    """The elements each of _CONTAINERS selects, in document order: one pass over the
    elements in Python (eleven XPath passes with attribute tests cost four times as much)."""
    hits: dict[str, list[etree._Element]] = {}
    for el in root.iter(etree.Element):
        id_, cls = el.get("id"), el.get("class")
        if id_ not in _CONTAINER_IDS and not cls:
            continue
        classes = _XML_SPACE.split(cls) if cls else ()
        if cls and id_ not in _CONTAINER_IDS and _CONTAINER_CLASSES.isdisjoint(classes):
            continue
        for name, tag, want_id, want_class in _CONTAINERS:
            if (tag is None or el.tag == tag) and (
                id_ == want_id if want_id else want_class in classes
            ):
                hits.setdefault(name, []).append(el)
    return hits


def _by_selectors(root: etree._Element) -> tuple[str, etree._Element] | None:
    selected = _container_hits(root)
    for name, *_ in _CONTAINERS:
        hits = [el for el in selected.get(name, ()) if _has_content(el)]
        if hits:
            # Prefer the outermost match when matches nest (div#zoom > div.TRS_Editor).
            outer = [h for h in hits if not any(a in hits for a in h.iterancestors())]
            return name, (outer[0] if len(outer) == 1 else max(outer, key=_text_len))
    return None


def is_chrome(el: etree._Element) -> bool:
    return tag_of(el) in _CHROME_TAGS or _chrome_attrs(
        f"{el.get('class') or ''} {el.get('id') or ''}"
    )


@functools.lru_cache(maxsize=4096)
def _chrome_attrs(attrs: str) -> bool:
    """Do an element's class and id, ``attrs``, name chrome?  Cached: the same few class names
    ("MsoNormal") repeat on every paragraph of a page."""
    return bool(attrs.strip()) and bool(_CHROME_ATTR.search(attrs))


def _score(el: etree._Element) -> float:
    text = flat_text(el)
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        return 0.0
    link_cjk = sum(len(_CJK.findall(flat_text(a))) for a in el.iter("a"))
    density = link_cjk / cjk
    return (cjk - link_cjk) * (1.0 - density)


# Blocks of report text; a page's <body> holds these directly only when it is a bare fragment.
_TEXT_BLOCKS = frozenset({"p", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"})
# Share of <body>'s Chinese text that must sit in it directly for <body> to be the container
# (a footer <p> right under <body> of a normal page holds far less).
_MIN_DIRECT_SHARE = 0.5


def _holds_text_blocks(body: etree._Element) -> bool:
    """Whether most of the Chinese text sits in ``body`` itself or in text blocks that are
    its children, not in containers below it."""
    total = len(_CJK.findall(flat_text(body)))
    if total == 0:
        return False
    direct = len(_CJK.findall(body.text or "")) + sum(
        len(_CJK.findall(flat_text(k))) + len(_CJK.findall(k.tail or ""))
        for k in body
        if tag_of(k) in _TEXT_BLOCKS
    )
    return direct >= _MIN_DIRECT_SHARE * total


def _by_score(root: etree._Element) -> etree._Element | None:
    body = root.find(".//body")
    if body is None:
        body = root
    candidates = [
        el
        for el in body.iter("div", "td", "article", "section", "main", "center")
        if not any(is_chrome(a) for a in [el, *el.iterancestors()])
    ]
    if _holds_text_blocks(body):
        # A fragment (a CMS body kept without its page): the paragraphs sit in <body> itself,
        # so no container below it holds the report; <body> competes with them.
        candidates.insert(0, body)
    if not candidates:
        return body
    scores = {el: _score(el) for el in candidates}
    best = max(candidates, key=lambda e: scores[e])
    if scores[best] <= 0:
        return body
    # Step down into a child that holds nearly all of the score: the tightest container.
    while True:
        kids = [
            k
            for k in best.iter("div", "td", "article", "section", "main", "center")
            if k is not best and k in scores and scores[k] >= 0.85 * scores[best]
        ]
        if not kids:
            return best
        best = max(kids, key=lambda e: (scores[e], -sum(1 for _ in e.iterancestors())))
        # iter() is depth-first, so repeated steps always descend.


def find_main(root: etree._Element) -> tuple[etree._Element, str]:
    """The element holding the report body, and how it was found."""
    zjeg = _zjeg_slice(root)
    if zjeg is not None and _has_content(zjeg):
        return zjeg, "zjeg_markers"
    hit = _by_selectors(root)
    if hit is not None:
        return hit[1], hit[0]
    best = _by_score(root)
    return (best if best is not None else root), "scored"


def drop_scripts(root: etree._Element) -> None:
    for el in list(root.iter(*_DROP_TAGS)):
        drop(el)


def _maybe_chrome(container: etree._Element) -> list[etree._Element]:
    """The elements below ``container`` is_chrome may say yes to: those with a class or an id,
    and the chrome tags (a pass in Python: the XPath of it cost twice as much)."""
    return [
        el
        for el in container.iterdescendants(etree.Element)
        if el.get("class") is not None or el.get("id") is not None or el.tag in _CHROME_TAGS
    ]


def strip_chrome(container: etree._Element) -> None:
    """Remove widgets, breadcrumbs, share bars and footers from inside the body container."""
    drop_scripts(container)
    for el in list(container.iter("meta")):
        drop(el)  # Hanweb's ContentStart/ContentEnd markers
    for el in _maybe_chrome(container):
        # (one inside a block dropped before goes with it: dropping it too changes nothing)
        if is_chrome(el) and tag_of(el) not in {"table", "tr", "td", "th", "tbody"}:
            drop(el)
    _drop_chrome_text(container)
    for c in list(container.iter(etree.Comment)):
        drop(c)


def _inside(el: etree._Element, container: etree._Element) -> bool:
    """False once ``el`` went out with an ancestor that was dropped earlier."""
    return any(a is container for a in el.iterancestors())


# Words that start a widget phrase; only elements whose own text holds one are examined.
_CHROME_TRIGGER = re.compile(
    r"当前位置|您现在的位置|您的位置|字[体号]|浏览|访问次数|点击数|阅读次数|"
    r"打印|关闭|分享到|扫一扫|收藏本页"
)
# What is left of a widget once its chrome phrases, punctuation, digits and widget words go.
_WIDGET_NOISE = re.compile(
    r"[\W\d_a-zA-Z大中小次]|首页|微信|微博|QQ空间|返回顶部|收藏|分享|"
    r"信息来源|来源|发布时间|发布日期|时间|日期|作者|责任编辑|编辑"
)
# A block whose text keeps more than this after removing the noise holds real content
# ("全年网站浏览量：12万次。" keeps 全年网站万次).
_MAX_WIDGET_RESIDUE = 4
# A breadcrumb's residue is its trail of column names, so it is recognised by its lead words
# ("您现在的位置：首页 > 信息公开 > …"), or by a trail that starts at the home page.
BREADCRUMB = re.compile(r"^\s*(?:当前位置|您现在的位置|您的位置|所在位置|首页\s*[>›»＞])")


def _residue(text: str) -> int:
    return len(_WIDGET_NOISE.sub("", _CHROME_TEXT.sub("", text)))


def _all_text(el: etree._Element) -> str:
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _drop_chrome_text(container: etree._Element) -> None:
    if not _CHROME_TRIGGER.search(_all_text(container)):
        # No widget word anywhere (the usual report body): nothing to look for element by element.
        _drop_footers(container)
        return
    for el in list(container.iter()):
        if not isinstance(el.tag, str) or not _CHROME_TRIGGER.search(own_text(el)):
            continue
        if el is not container and not _inside(el, container):
            continue
        # The smallest block holding a whole phrase ("字体：[<a>大</a> <a>中</a> <a>小</a>]").
        node: etree._Element | None = el
        while (
            node is not None and node is not container and not _CHROME_TEXT.search(flat_text(node))
        ):
            node = node.getparent()
        if node is None or node is container:
            continue
        node_text = flat_text(node)
        crumb = bool(BREADCRUMB.match(node_text)) and len(node_text) <= _MAX_CHROME_CHARS
        if not crumb and _residue(node_text) > _MAX_WIDGET_RESIDUE:
            _strip_phrases(node)  # real text with a widget phrase inside: keep the text
            continue
        # Climb while the ancestor is still nothing but widget (【打印本页】【关闭窗口】).
        target = node
        while True:
            parent = target.getparent()
            if parent is None or parent is container:
                break
            text = flat_text(parent)
            if len(text) > _MAX_CHROME_CHARS or _residue(text) > _MAX_WIDGET_RESIDUE:
                break
            target = parent
        if tag_of(target) in {"td", "th", "tr", "tbody", "table"}:
            _strip_phrases(target)
        else:
            drop(target)
    _strip_phrases(container)
    _drop_footers(container)


def _drop_footers(container: etree._Element) -> None:
    if not _FOOTER_TEXT.search(_all_text(container)):
        return
    for el in list(container.iter()):
        if not isinstance(el.tag, str) or el is container or not _FOOTER_TEXT.search(own_text(el)):
            continue
        if not _inside(el, container) or len(flat_text(el)) > _MAX_FOOTER_CHARS:
            continue
        # Climb to the largest block that is still footer-sized.
        target = el
        while True:
            parent = target.getparent()
            if parent is None or parent is container or len(flat_text(parent)) > _MAX_FOOTER_CHARS:
                break
            target = parent
        if tag_of(target) not in {"td", "th", "tr", "tbody"}:
            drop(target)


def _strip_phrases(el: etree._Element) -> None:
    """Delete chrome phrases from the text directly inside ``el``."""
    if el.text:
        el.text = WIDGET_TEXT.sub("", el.text)
    for child in el:
        if child.tail:
            child.tail = WIDGET_TEXT.sub("", child.tail)
