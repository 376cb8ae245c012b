"""Decide from titles and URLs what the crawl is looking at.

Every Chinese keyword the crawler relies on lives in the tables below; the functions only
combine them.  Three questions are answered:

(a) ``is_report_title``: does a link or page title name a 政府信息公开工作年度报告?
(b) ``is_route``: is a link a step on the way to such reports (an 信息公开 platform, the 年报
    column, a township or department sub-tree)?
(c) ``title_year``: which year does a title name?  Used only for the ``years`` filter.

Titles are normalised first (full-width spaces and ASCII spaces removed, full-width digits
folded), so "平昌关镇 2023 年…" and "２０２３年" read like "2023年".
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# --------------------------------------------------------------------------------------
# The table.  Each entry: (name, compiled pattern).  Names show up in debug logs and tests.
# --------------------------------------------------------------------------------------

#: (a) a title that names an annual disclosure report.
REPORT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        # 政府信息公开工作年度报告 / 政府信息公开年度报告 / 政务信息公开(工作)年度报告 /
        # 政务公开工作年度报告 / 信息公开工作年度报告
        ("annual_report", r"(?:政府|政务)?(?:信息)?公开(?:工作)?年度报告"),
        # 政府信息公开年报 / 信息公开工作年报
        ("nianbao", r"信息公开(?:工作)?年报"),
        # older titles: "2009年政府信息公开工作报告"
        ("work_report", r"(?:政府|政务)信息公开工作报告"),
        # "XX县人民政府2022年度信息公开工作报告"
        ("annual_disclosure_report", r"年度(?:政府|政务)?信息公开(?:工作)?报告"),
        # "2013年度信息公开工作报告" and "年度工作报告" that also says 信息公开
        ("annual_work_report_a", r"年度(?:工作)?报告.*信息公开"),
        ("annual_work_report_b", r"信息公开.*年度(?:工作)?报告"),
    )
)

#: (a) titles that mention a report but are something else; any match vetoes (a).
DISTRACTOR_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("notice", r"通知|通告|函$|的函"),            # 关于做好…年度报告编制和发布工作的通知
        ("compile", r"编制|报送|填报|格式"),          # 编制要求, 报告格式
        ("interpretation", r"解读|图解|答记者问|一图读懂|政策问答"),
        ("gov_work_report", r"(?<!信息公开)政府工作报告"),
        ("rule_of_law", r"法治政府建设"),
        ("budget", r"预算|决算|审计"),
        ("work_plan", r"工作要点|工作计划|实施方案|工作方案"),
        ("guide", r"指南"),
        ("assessment", r"考核|评估|第三方|检查情况|督查"),
        ("other_annual", r"统计年报|统计年鉴|企业年报|年报公示|社会组织年报"),
    )
)

#: (b) anchor text (or column name) of a route toward the reports.
ROUTE_TEXT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("xxgk", r"信息公开"),                       # 政府信息公开 / 信息公开目录 / 部门信息公开
        ("zwgk", r"政务公开"),
        ("nianbao", r"年报|年度报告"),
        ("fdzdgk", r"法定主动公开"),
        # bare unit-list menu entries: 乡镇 / 乡镇(街道) / 部门 / 县直部门 / 工作部门 …
        ("unit_lists", r"^(?:乡镇|乡镇\(?街道\)?|街道|镇街|部门|[县区市]直部门|部门和乡镇|乡镇和部门|"
                       r"工作部门)$"),
    )
)

#: (b) URL path segments that lead toward the reports (slugs seen on real portals).
ROUTE_SLUG_RE = re.compile(
    r"(?:^|/)(?:[a-z]*zfxxgknb[a-z0-9_]*|xxgknb[a-z0-9_]*|gknb[a-z0-9_]*|ndbg[a-z0-9_]*|"
    r"annual_report|[a-z]*xxgk[a-z0-9_]*|[a-z]*zwgk[a-z0-9_]*|zfxxgk[a-z0-9_]*|"
    r"bmxxgk|xzxxgk|bmhxzxxgk|xzjd[a-z0-9_]*|gzbm|bmnb\d*|\d{4}n)(?:/|$|\.)",
    re.IGNORECASE,
)

#: slugs that name the report column itself (stronger than ROUTE_SLUG_RE).
REPORT_COLUMN_SLUG_RE = re.compile(
    r"(?:^|/)(?:[a-z]*zfxxgknb[a-z0-9_]*|xxgknb[a-z0-9_]*|gknb[a-z0-9_]*|ndbg[a-z0-9_]*|"
    r"annual_report|bmnb\d*)(?:/|$)",
    re.IGNORECASE,
)

#: a page (column) that is itself the report list: its title / ColumnName / breadcrumb.
REPORT_COLUMN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("nianbao_column", r"信息公开(?:工作)?年报|信息公开(?:工作)?年度报告"),
        ("short_column", r"^(?:年报|年度报告|政府信息公开年报)$"),
    )
)

#: a title that is only a column name ("政府信息公开年报"), not a report of some body and year.
COLUMN_NAME_RE = re.compile(
    r"^(?:(?:政府|政务)?信息公开|政务公开)?(?:工作)?(?:年度报告|年报)(?:专栏|栏目|目录)?$")

#: anchor text of a unit (township or department) on a 乡镇/部门信息公开 directory page.
UNIT_NAME_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,20}(?:镇|乡|街道|街道办事处|办事处|局|委|委员会|办|办公室|中心|"
    r"政府|院|所|队|站|社|会|处)$"
)

#: words that are never routes even when they contain a route keyword.
NOT_ROUTE_RE = re.compile(r"登录|注册|English|无障碍|RSS|打印|关闭|收藏|分享|上一篇|下一篇")

#: anchor text of "next page" links on generic listings.
NEXT_PAGE_RE = re.compile(r"^\s*(?:下一?页|后一?页|下页|>|›|»|>>)\s*$")

#: a title cut short by the listing ("…年度报...", "…年度报…").
TRUNCATED_RE = re.compile(r"(?:\.{2,}|…+|．{2,})\s*$")

#: full report names whose proper prefixes end a title cut short without a marker.
REPORT_NAMES = ("政府信息公开工作年度报告", "政务信息公开工作年度报告", "政府信息公开年度报告", "信息公开工作年报")

#: fragments that make a truncated title worth fetching to read the full one.
PARTIAL_REPORT_RE = re.compile(r"信息公开|政务公开|年报|年度报|年度$|年度…|工作年")

#: a page that is an error or an anti-bot challenge served with HTTP 200 (docs/portals.md §11).
SOFT_ERROR_TITLE_RE = re.compile(
    r"^(?:404|403|500|502|503)\b|页面不存在|找不到(?:该)?页面|页面未找到|访问(?:异常|出错|受限|被拒绝)|"
    r"安全(?:拦截|验证)|您的访问|请稍后(?:再)?访问|Not Found|Forbidden", re.IGNORECASE)
SOFT_ERROR_BODY_RE = re.compile(
    rb"\$_ts\s*=|__jsl_clearance|__jsluid|wzws_|WZWSREL|document\.cookie\s*=.{0,200}location\.href",
    re.DOTALL)

#: a WAF "you are blocked for now" page served with HTTP 200 (360 "访问异常页面", 创宇); unlike a
#: JS challenge no browser passes it: the host is backed off and asked again later.
BLOCK_TITLE_RE = re.compile(r"访问异常|访问受限|访问被拒绝|安全拦截|请求过于频繁|访问过于频繁|IP.{0,6}(?:封禁|限制)")
#: a JavaScript challenge that a normal browser passes by running the page's own script.
CHALLENGE_BODY_RE = re.compile(
    rb"\$_ts\s*=|__jsl_clearance|__jsluid|go\(\{\s*\"bts\"|document\.cookie\s*=.{0,300}"
    rb"(?:location\.(?:href|reload|replace)|window\.location)", re.DOTALL)


#: the fixed parts of the report format (国办公开办函〔2019〕60号 / 〔2021〕30号): a page carrying
#: at least two of them is a report whatever its title says, unless the title is a decoy's.
REPORT_PARTS = ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")
_TAG_RE = re.compile(r"<[^>]+>")


def is_report_content(title: str | None, html: str) -> bool:
    """(a) by content: the page holds the report's fixed parts and its title is no decoy's.
    (A 解读 or 图解 page quotes the parts too; its title vetoes it.)"""
    if _first(DISTRACTOR_PATTERNS, normalize_title(title)) is not None:
        return False
    text = re.sub(r"\s+", "", _TAG_RE.sub("", html))
    return sum(part in text for part in REPORT_PARTS) >= 2


def block_page(title: str | None) -> bool:
    """A 200 page whose title says the client is blocked for the moment."""
    return bool(title) and BLOCK_TITLE_RE.search(title) is not None


def js_challenge(body: bytes) -> bool:
    """A small page whose script sets a cookie and reloads (瑞数 $_ts, 加速乐 __jsl_clearance)."""
    return bool(body) and len(body) < 30000 and CHALLENGE_BODY_RE.search(body[:30000]) is not None


# (c) years: "2023年度", "2023 年", "（2019年）", "二〇二三年度".
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" "9")
YEAR_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"((?:19|20)\d{2})年度"),
    re.compile(r"((?:19|20)\d{2})年"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)"),
)
_CN_YEAR_RE = re.compile(r"([〇○零一二三四五六七八九]{4})年")

# --------------------------------------------------------------------------------------


def normalize_title(title: str | None) -> str:
    """Fold width, drop whitespace (ASCII, full-width, nbsp) so patterns see one shape."""
    if not title:
        return ""
    t = unicodedata.normalize("NFKC", title)
    return re.sub(r"\s+", "", t)


def _first(patterns, text: str) -> str | None:
    for name, rx in patterns:
        if rx.search(text):
            return name
    return None


def report_match(title: str | None) -> str | None:
    """Name of the REPORT_PATTERNS entry the title matches, or None."""
    return _first(REPORT_PATTERNS, normalize_title(title))


def distractor_match(title: str | None) -> str | None:
    """Name of the DISTRACTOR_PATTERNS entry the title matches, or None."""
    return _first(DISTRACTOR_PATTERNS, normalize_title(title))


def is_report_title(title: str | None) -> bool:
    """(a) True when ``title`` names an annual disclosure report and no distractor."""
    t = normalize_title(title)
    if not t or COLUMN_NAME_RE.match(t):
        return False
    return _first(REPORT_PATTERNS, t) is not None and _first(DISTRACTOR_PATTERNS, t) is None


def is_truncated(title: str | None) -> bool:
    return bool(title) and TRUNCATED_RE.search(title.strip()) is not None


def maybe_report_title(title: str | None) -> bool:
    """A listing title cut short that could still be a report: "…2023年政府信息公开工作年...",
    or cut without a marker (CSS ellipsis) in the middle of a report name ("…信息公开工作年度报")."""
    t = normalize_title(title)
    if not t or _first(DISTRACTOR_PATTERNS, t) is not None:
        return False
    if is_truncated(title):
        return bool(PARTIAL_REPORT_RE.search(TRUNCATED_RE.sub("", t)))
    # without a marker, demand a year and a cut past the 年 of the name ("…公开工作年度报")
    return title_year(t) is not None and any(
        t.endswith(name[:k]) for name in REPORT_NAMES
        for k in range(name.index("年", name.index("公开")) + 1, len(name)))


#: in a 年报 column, a listed title worth fetching to read the page's own title: none at all,
#: a bare year ("2023年"), or one that speaks of a report.
COLUMN_ENTRY_RE = re.compile(r"^$|(?:19|20)\d{2}年?度?$|报告|年报|信息公开|政务公开")


def could_be_report(title: str | None) -> bool:
    """An entry of a report column whose title alone does not decide (no distractor)."""
    t = normalize_title(title)
    return bool(COLUMN_ENTRY_RE.search(t)) and _first(DISTRACTOR_PATTERNS, t) is None


def is_route(text: str | None, url: str | None = None) -> bool:
    """(b) True when a link (anchor text and/or URL) leads toward the reports."""
    t = normalize_title(text)
    if t and NOT_ROUTE_RE.search(t):
        return False
    if t and len(t) <= 30 and _first(ROUTE_TEXT_PATTERNS, t):
        # A long text is an article title ("关于…信息公开…的通知"), not a menu entry.
        return _first(DISTRACTOR_PATTERNS, t) is None or "年报" in t
    if url:
        path = urlsplit(url).path
        if ROUTE_SLUG_RE.search(path) and not _looks_like_article(path):
            return True
    return False


def is_report_column(*texts: str | None, url: str | None = None) -> bool:
    """Is the page itself a report list (title, ColumnName, breadcrumb or URL slug)?"""
    for text in texts:
        t = normalize_title(text)
        if t and _first(REPORT_COLUMN_PATTERNS, t):
            return True
    if url and REPORT_COLUMN_SLUG_RE.search(urlsplit(url).path):
        return True
    return False


def is_unit_directory(*texts: str | None) -> bool:
    """Is the page a 乡镇（街道）/部门 信息公开 directory whose links are unit names?"""
    for text in texts:
        t = normalize_title(text)
        if t and re.search(r"乡镇|街道|镇街|部门|单位", t) and re.search(r"信息公开|政务公开", t):
            return True
    return False


def is_unit_name(text: str | None) -> bool:
    t = normalize_title(text)
    return bool(t) and UNIT_NAME_RE.match(t) is not None and not NOT_ROUTE_RE.search(t)


def is_next_page(text: str | None) -> bool:
    return bool(text) and NEXT_PAGE_RE.match(text) is not None


_ARTICLE_PATH_RE = re.compile(
    r"/art_[\w]+\.s?html?$|/t\d{8}_\d+\.s?html?$|/content_\d+\.s?html?$|/[0-9a-f]{32}\.s?html?$|"
    r"/post_\d+\.html$|\.(?:pdf|docx?|wps|xlsx?|ofd|zip|rar)$|"
    # ASP/PHP-era article scripts (show.php?id=N) and Lonsun details (/public/{organ}/{id}.html)
    r"/(?:show|view|detail|article|content)\.(?:php|asp|aspx|jsp|do)$|/public/\d+/\d+\.html$",
    re.IGNORECASE,
)


def _looks_like_article(path: str) -> bool:
    return _ARTICLE_PATH_RE.search(path) is not None


_LISTING_PATH_RE = re.compile(
    r"/$|/(?:index|list|default)(?:_\d+)?\.s?html?$|/col/col\d+(?:/|$)|/\d{4}n/?$", re.IGNORECASE)


def looks_like_listing(url: str) -> bool:
    """URL shape of a listing or section (directory, index_N.html, Hanweb /col/colN/)."""
    path = urlsplit(url).path or "/"
    return _LISTING_PATH_RE.search(path) is not None and not _looks_like_article(path)


def looks_like_article(url: str) -> bool:
    """URL shape of a CMS article page (Hanweb art_, TRS tYYYYMMDD_, UCAP hex …)."""
    return _looks_like_article(urlsplit(url).path)


def title_year(title: str | None) -> int | None:
    """(c) The year a title names, or None ("XX县2021年度…", "平昌关镇 2023 年…")."""
    t = normalize_title(title)
    if not t:
        return None
    for rx in YEAR_PATTERNS:
        m = rx.search(t)
        if m:
            return int(m.group(1))
    m = _CN_YEAR_RE.search(t)
    if m:
        return int(m.group(1).translate(_CN_DIGITS))
    return None


def soft_error(title: str | None, body: bytes = b"") -> str | None:
    """Why a 200 page is not content: "soft 404"/"blocked" page title, or a WAF challenge."""
    t = (title or "").strip()
    if t and SOFT_ERROR_TITLE_RE.search(t):
        return f"error page titled {t[:40]!r}"
    if body and len(body) < 20000 and SOFT_ERROR_BODY_RE.search(body[:20000]):
        return "anti-bot challenge page"
    return None


def parse_years(spec: str | None) -> frozenset[int] | None:
    """``"2019-2023"``, ``"2021"`` or ``"2019,2021,2023-2024"`` → a set; empty/None → None."""
    if spec is None or not str(spec).strip():
        return None
    years: set[int] = set()
    for part in str(spec).split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})\s*[-–~]\s*(\d{4})", part)
        if m:
            lo, hi = sorted((int(m.group(1)), int(m.group(2))))
            years.update(range(lo, hi + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.add(int(part))
        else:
            raise ValueError(f"bad years spec {spec!r}: use 2021, 2019-2023 or 2019,2021")
    return frozenset(years)


def year_wanted(title: str | None, years: frozenset[int] | None) -> bool:
    """Keep a report unless its title names a year outside ``years`` (no year → keep)."""
    if not years:
        return True
    y = title_year(title)
    return y is None or y in years
