"""parse_text_header against its grammar: every label × spelling × separator × layout.

Each header is rendered from the parts of the grammar (docs in reports/extract/text_header.py)
and read back; the expected fields are written from what was rendered, never from the
reader's output.  The body after the header must come back whole, with no header text in it.
"""

from __future__ import annotations

import itertools

import pytest

from reports.extract import parse_text_header
from reports.extract.meta_labels import LABELS

BODY = "青溪县2023年政府信息公开工作年度报告\n一、总体情况\n2023年，全县政务公开工作有序推进。\n"

# One rendered value per key, and what the header must read back.  Dates are written in the
# forms real pages use; the record always holds YYYY-MM-DD.
VALUES: dict[str, tuple[str, str]] = {
    "index_no": ("11330127MB1A23456X/2024-00012", "11330127MB1A23456X/2024-00012"),
    "category": ("综合政务", "综合政务"),
    "publisher": ("青溪县人民政府办公室", "青溪县人民政府办公室"),
    "written_date": ("2024年1月5日", "2024-01-05"),
    "published_date": ("2024-01-08", "2024-01-08"),
    "doc_number": ("青政办发〔2024〕3号", "青政办发〔2024〕3号"),
    "validity": ("现行有效", "现行有效"),
    "title": ("青溪县2023年政府信息公开工作年度报告", "青溪县2023年政府信息公开工作年度报告"),
    "keywords": ("年度报告", "年度报告"),
    "disclosure": ("主动公开", "主动公开"),
    "disclosure_term": ("长期公开", "长期公开"),
    "disclosure_scope": ("面向社会", "面向社会"),
    "summary": ("公布本县年度报告", "公布本县年度报告"),
    "registration_no": ("ZJAC01-2024-0003", "ZJAC01-2024-0003"),
    "genre": ("报告", "报告"),
    "audience": ("公民", "公民"),
    "lifecycle": ("长期", "长期"),
    "format": ("HTML", "HTML"),
    "language": ("中文", "中文"),
    "doc_type": ("报告", "报告"),
    "signer": ("王某某", "王某某"),
    "author": ("县政府办", "县政府办"),
    "poster": ("李某", "李某"),
}
# Values that start with a Latin letter or digit may follow their label with no separator.
ASCII_VALUES = {
    "index_no": "000014349/2024-00012",
    "published_date": "2024-01-08",
    "written_date": "2024-01-05",
    "registration_no": "ZJAC01-2024-0003",
}


# Traditional forms of the labels' characters, typed here from a dictionary (not taken from
# the reader's fold table), as mirrors that convert pages to traditional script print them.
TRADITIONAL = {
    "号": "號",
    "开": "開",
    "发": "發",
    "单": "單",
    "机": "機",
    "构": "構",
    "题": "題",
    "类": "類",
    "时": "時",
    "间": "間",
    "来": "來",
    "关": "關",
    "键": "鍵",
    "词": "詞",
    "务": "務",
    "门": "門",
    "责": "責",
    "种": "種",
    "语": "語",
    "签": "簽",
    "态": "態",
    "状": "狀",
    "归": "歸",
    "载": "載",
    "称": "稱",
    "产": "產",
    "体": "體",
    "属": "屬",
    "围": "圍",
    "内": "內",
    "编": "編",
    "统": "統",
    "范": "範",
    "实": "實",
    "现": "現",
    "级": "級",
    "对": "對",
    "组": "組",
    "配": "配",
    "时效": "時效",
    "效": "效",
    "据": "據",
    "录": "錄",
    "项": "項",
    "书": "書",
    "执": "執",
    "权": "權",
    "审": "審",
    "资": "資",
    "条": "條",
    "会": "會",
    "议": "議",
    "阅": "閱",
    "览": "覽",
    "击": "擊",
    "数": "數",
    "访": "訪",
    "问": "問",
    "读": "讀",
    "载入": "載入",
    "次": "次",
    "页": "頁",
    "闭": "閉",
    "窗": "窗",
    "享": "享",
    "点": "點",
    "扫": "掃",
    "码": "碼",
    "库": "庫",
    "档": "檔",
    "摘": "摘",
    "要": "要",
    "达": "達",
    "标": "標",
    "准": "準",
    "层": "層",
    "无": "無",
    "览量": "覽量",
    "处": "處",
    "负": "負",
}


def traditional(label: str) -> str:
    return "".join(TRADITIONAL.get(ch, ch) for ch in label)


def spellings(label: str) -> list[str]:
    """The label as pages write it: as is, a space or an ideographic space between characters,
    a two-character label spread over a wide gap ("标      题"), in traditional script
    (索引號), and with a mirror's pinyin after a character (發(fā)布單位)."""
    forms = [label, " ".join(label), "\u3000".join(label)]
    if len(label) == 2:
        forms.append(label[0] + " " * 6 + label[1])
    if traditional(label) != label:
        forms.append(traditional(label))
    forms.append(traditional(label)[0] + "(zì)" + traditional(label)[1:])
    return forms


def plain(spelled: str) -> str:
    """The table's label of a spelling made by :func:`spellings`."""
    back = {t: s for s, t in TRADITIONAL.items() if len(s) == 1}
    text = spelled.replace("(zì)", "").replace(" ", "").replace("\u3000", "")
    return "".join(back.get(ch, ch) for ch in text)


# Between a label and its value.  "\n" is the line break layout; "" only for ASCII values.
SEPARATORS = ["", " ", "  ", ":", "：", "： ", " | ", "\t", "\n"]
# Between two pairs on one line.
PAIR_SEPARATORS = ["\u3000\u3000", "  ", " | ", "\t", " "]
LAYOUTS = [
    "pair_per_line",
    "pairs_on_a_line",
    "label_row_value_row",
    "bullets",
    "run_together",
    "piped_row",
]


def companion(key: str) -> tuple[str, str]:
    """A second label of another key, so that the header has the two labels it needs."""
    return ("发布机构", "publisher") if key != "publisher" else ("索引号", "index_no")


def value_of(key: str, separator: str) -> tuple[str, str]:
    """(as written, as read back) of ``key``'s value after ``separator``."""
    if separator == "":
        written = ASCII_VALUES[key]
        return written, written
    return VALUES[key]


def header_of(spelled: str, sep: str) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """The pairs of a header around ``spelled`` and the fields it must read back."""
    key = LABELS[plain(spelled)][0]
    other_label, other_key = companion(key)
    value, expected = value_of(key, sep)
    other_sep = sep if sep else "："
    other_value, other_expected = value_of(other_key, other_sep)
    pairs = [(spelled, sep, value), (other_label, other_sep, other_value)]
    return pairs, {key: expected, other_key: other_expected}


# Lines a page's text may have above its header that are not part of it: they stay in the
# body.  A site's greeting and the report title (the header is then a byline under it).
TOP_LINES = [
    "您好，欢迎访问青溪县政务公开平台",
    "登录 注册",
    "青溪县2023年政府信息公开工作年度报告",
]


def render(
    layout: str,
    pairs: list[tuple[str, str, str]],
    pair_sep: str,
    crumb: bool,
    top: list[str] | None = None,
) -> str:
    """The header of ``pairs`` (label, separator, value) in ``layout``, then the body; ``top``
    lines, if any, stand above the header (after the breadcrumb)."""
    lines = ["您现在的位置：首页 > 政务公开 > 政府信息公开年报"] if crumb else []
    lines += top or []
    if layout == "pair_per_line":
        lines += [f"{label}{sep}{value}" for label, sep, value in pairs]
    elif layout == "pairs_on_a_line":
        lines.append(pair_sep.join(f"{label}{sep}{value}" for label, sep, value in pairs))
    elif layout == "label_row_value_row":
        cell = pair_sep if pair_sep.strip() or len(pair_sep) > 1 else "  "
        lines += [
            cell.join(label for label, _, _ in pairs),
            cell.join(value for _, _, value in pairs),
        ]
    elif layout == "bullets":
        for label, _, value in pairs:
            lines += [f"- {label}", f"- {value}"]
    elif layout == "piped_row":
        lines.append("| " + " | ".join(f"{label} | {value}" for label, _, value in pairs) + " |")
    else:
        raise AssertionError(layout)
    return "\n".join(lines) + "\n" + BODY


def cases() -> list[tuple[str, str, str, str]]:
    """(label spelling, layout, separator, pair separator): every label spelling in every
    layout, each separator of a layout that has one, pair separators taken in turn."""
    out = []
    turn = itertools.cycle(PAIR_SEPARATORS)
    for label in LABELS:
        for spelled in spellings(label):
            for layout in ("pair_per_line", "pairs_on_a_line"):
                for sep in SEPARATORS:
                    if layout == "pairs_on_a_line" and sep == "\n":
                        continue  # a line break between label and value is the bullets layout
                    if sep == "" and LABELS[label][0] not in ASCII_VALUES:
                        continue
                    out.append((spelled, layout, sep, next(turn)))
            for layout in ("label_row_value_row", "bullets", "piped_row"):
                out.append((spelled, layout, " ", next(turn)))
    return out


CASES = cases()


def test_the_generator_covers_the_grammar() -> None:
    assert {c[1] for c in CASES} == set(LAYOUTS) - {"run_together"}
    assert {c[2] for c in CASES} == set(SEPARATORS)
    assert {c[0] for c in CASES} >= {s for label in LABELS for s in spellings(label)}
    assert len(CASES) > 2000


@pytest.mark.parametrize(
    ("crumb", "top"), [(False, 0), (True, 0), (False, 1), (True, 2), (False, 3)]
)
def test_every_label_spelling_separator_and_layout_reads_back(crumb: bool, top: int) -> None:
    # top: that many of TOP_LINES above the header (a byline under the title when 3)
    above = TOP_LINES[-top:] if top else []
    kept = "".join(line + "\n" for line in above)
    failures = []
    for spelled, layout, sep, pair_sep in CASES:
        pairs, want = header_of(spelled, sep)
        text = render(layout, pairs, pair_sep, crumb, above)
        meta, rest = parse_text_header(text)
        if meta != want or rest != kept + BODY:
            failures.append((text, meta, rest))
    assert not failures, f"{len(failures)} of {len(CASES)} failed; first: {failures[0]!r}"


# A byline that dates the page is a header on its own; page furniture may share its line.
BYLINE_FURNITURE = [
    "",
    "    点击数:",
    " 浏览次数: 次",
    " 大 中 小",
    " | 分享到:",
    "  【字体：大 中 小】 【打印】",
    " [字号：大 中 小]",
]


@pytest.mark.parametrize("furniture", [f for f in BYLINE_FURNITURE if f != " 大 中 小"])
@pytest.mark.parametrize("order", ["source_first", "date_first"])
def test_a_byline_of_source_and_date_with_widgets(furniture: str, order: str) -> None:
    pairs = ["来源：青溪县人民政府办公室", "发布时间：2024-01-31 10:01"]
    if order == "date_first":
        pairs.reverse()
    text = f"{TOP_LINES[-1]}\n{'  '.join(pairs)}{furniture}\n" + BODY
    meta, rest = parse_text_header(text)
    assert meta == {"publisher": "青溪县人民政府办公室", "published_date": "2024-01-31"}
    assert rest == TOP_LINES[-1] + "\n" + BODY


def test_a_byline_that_dates_the_page_is_a_header_on_its_own() -> None:
    dates = {
        "2019-01-18": "2019-01-18",
        "2011-03-14 18:20:44": "2011-03-14",
        "2024年1月26日": "2024-01-26",
    }
    failures = []
    furniture = itertools.cycle(BYLINE_FURNITURE)
    for label, (key, _) in LABELS.items():
        if key != "published_date":
            continue
        for spelled in spellings(label):
            for sep in [":", "：", " ", "  ", "： "]:
                for written, iso in dates.items():
                    for top in (TOP_LINES[-1:], TOP_LINES):
                        text = (
                            "\n".join([*top, f"{spelled}{sep}{written}{next(furniture)}"])
                            + "\n"
                            + BODY
                        )
                        meta, rest = parse_text_header(text)
                        kept = "".join(line + "\n" for line in top) + BODY
                        if meta != {"published_date": iso} or rest != kept:
                            failures.append((text, meta, rest))
    assert not failures, f"{len(failures)} failed; first: {failures[0]!r}"


@pytest.mark.parametrize(
    "label",
    sorted(
        label for label, (key, _) in LABELS.items() if key not in ("published_date", "written_date")
    ),
)
def test_one_undated_pair_is_no_header(label: str) -> None:
    text = f"{TOP_LINES[-1]}\n{label}：青溪县人民政府办公室\n" + BODY
    assert parse_text_header(text) == ({}, text)


@pytest.mark.parametrize(
    "number",
    ["青政办发〔2024〕3号", "侯水利〔2011〕47号", "青政发[2020]第12号", "青 政 办〔 2024 〕 3 号"],
)
def test_a_doc_number_without_its_label_leads_a_pairs_line(number: str) -> None:
    # "侯水利〔2011〕47号 签发人:林振东": the 文号 stands where its label would
    text = f"{number} 签发人:王某某\n" + BODY
    meta, rest = parse_text_header(text)
    assert meta == {"doc_number": number, "signer": "王某某"}
    assert rest == BODY


@pytest.mark.parametrize(
    "first", sorted({label for label in LABELS if LABELS[label][0] != "written_date"})
)
def test_two_labels_run_together_take_the_value_after_the_second(first: str) -> None:
    # 发布机构发文日期 2023-01-05: the first label's cell is empty, the value is the second's.
    text = f"索引号：000014349/2023-00007\n{first}发文日期 2023-01-05\n" + BODY
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "000014349/2023-00007", "written_date": "2023-01-05"}
    assert rest == BODY


def test_the_body_keeps_no_header_text() -> None:
    for spelled, layout, sep, pair_sep in CASES[::7]:
        pairs, _ = header_of(spelled, sep)
        text = render(layout, pairs, pair_sep, True)
        _, rest = parse_text_header(text)
        assert rest == BODY, text
        for label, _, value in pairs:
            assert label not in rest and value not in rest.replace(BODY, ""), text


# --- values drawn wider than any vocabulary: Hypothesis --------------------------------

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reports.extract.meta_labels import NOT_META_LABELS  # noqa: E402

_FREE_KEYS = sorted(
    label
    for label, (key, _) in LABELS.items()
    if key not in ("written_date", "published_date", "index_no")
)
# Any CJK ideograph, Latin letters and digits, and the brackets of 文号 and names.
_VALUE_CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from("ABCxyz0123456789（）〔〕《》()-/,，"),
)
_PLACEHOLDERS = {"无", "無", "暂无", "空", "null", "none"}


def _plain(value: str) -> bool:
    """A value the grammar reads back as itself: it does not start like a label (a label
    would take its place), and is no placeholder a header uses for "none"."""
    names = set(LABELS) | NOT_META_LABELS
    return (
        not any(value.startswith(n) for n in names)
        and value.lower() not in _PLACEHOLDERS
        and value.strip("-—–－―/／_.·…") != ""
    )


@settings(max_examples=300, deadline=None)
@given(
    label=st.sampled_from(_FREE_KEYS),
    value=st.text(_VALUE_CHARS, min_size=1, max_size=40),
    layout=st.sampled_from(
        ["pair_per_line", "pairs_on_a_line", "label_row_value_row", "bullets", "piped_row"]
    ),
    sep=st.sampled_from([" ", "  ", ":", "：", " | ", "\t"]),
    pair_sep=st.sampled_from(PAIR_SEPARATORS),
    spelling=st.integers(0, 3),
    crumb=st.booleans(),
)
def test_any_value_reads_back(label, value, layout, sep, pair_sep, spelling, crumb):
    assume(_plain(value))
    forms = spellings(label)
    spelled = forms[spelling % len(forms)]
    key = LABELS[label][0]
    other_label, other_key = companion(key)
    other_value, other_expected = VALUES[other_key]
    pairs = [(spelled, sep, value), (other_label, sep, other_value)]
    meta, rest = parse_text_header(render(layout, pairs, pair_sep, crumb))
    assert meta == {key: value, other_key: other_expected}
    assert rest == BODY
