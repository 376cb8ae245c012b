"""The deterministic site model: which counties exist, their columns, units and articles.

Paths come from the family module (`hanweb` or `trs`); contents come from `generate` and
`seeds`. A county's random stream is seeded by its name, so every build is identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from . import hanweb, trs
from .attachments import attach
from .building import SiteBuilder, Unit, unit_column
from .checks import cross_year_failures
from .generate import generate_report
from .model import Article, Column, ReportContent, Section, Site
from .seeds import SEEDS, seed_report

FAMILIES = {"hanweb": hanweb, "trs": trs}
YEARS = range(2019, 2025)


@dataclass(frozen=True)
class County:
    name: str
    family: str
    county: str
    domain: str
    site_code: str
    icp: str
    webid: int
    org_code: str  # 统一社会信用代码 / 组织机构代码 stem for 索引号
    townships: tuple  # (name, slug, {year: seed key})
    departments: tuple  # (name without county, slug)
    errors: dict = field(default_factory=dict)  # (unit name, year) -> rule to break
    per_page: int = 10


COUNTIES = (
    County(
        "yunxi",
        "hanweb",
        "云溪县",
        "www.yunxi.gov.cn",
        "3307990001",
        "浙ICP备05012345号-1",
        3185,
        "11330799002591",
        (
            ("顾县镇", "gxz", {2020: "000"}),
            ("张家坡镇", "zjpz", {2020: "001"}),
            ("平昌关镇", "pcgz", {2023: "002"}),
            ("白沙镇", "bsz", {}),
            ("龙潭乡", "ltx", {}),
        ),
        (
            ("人民政府办公室", "zfb"),
            ("市场监督管理局", "scjgj"),
            ("教育局", "jyj"),
            ("自然资源局", "zrzyj"),
        ),
        # X1: the county's 2021 上年结转 is one more than its 2020 结转下年度
        # (simulator/generate.py)
        errors={("白沙镇", 2022): "C1", ("市场监督管理局", 2020): "C2", ("县", 2021): "X1"},
        per_page=8,
    ),
    County(
        "tongqiao",
        "trs",
        "桐桥县",
        "www.tongqiao.gov.cn",
        "5226990002",
        "黔ICP备12004567号",
        0,
        "014276",
        (
            ("鹿乡镇", "lxz", {2020: "003"}),
            ("花戛乡", "hgx", {2020: "004"}),
            ("青石镇", "qsz", {}),
            ("柳河镇", "lhz", {}),
        ),
        (
            ("发展和改革局", "fgj"),
            ("卫生健康局", "wjj"),
            ("财政局", "czj"),
            ("人民政府办公室", "zfb"),
        ),
        errors={("青石镇", 2021): "C5", ("卫生健康局", 2023): "C1", ("县", 2022): "C2"},
    ),
)

# Fixed dates of the seed reports: (written, published)
SEED_DATES = {
    "000": (date(2021, 1, 18), date(2021, 1, 20)),
    "001": (date(2021, 1, 25), date(2021, 1, 26)),
    "002": (date(2023, 12, 20), date(2024, 1, 10)),
    "003": (date(2021, 1, 14), date(2021, 1, 15)),
    "004": (date(2021, 1, 28), date(2021, 1, 28)),
}
# Header cells as the seed page showed them (seed 004 carries its header in the text)
SEED_HEADERS = {"004": {"index_no": "000014349/2021-337607", "publisher": "", "category": ""}}


class _Builder(SiteBuilder):
    def __init__(self, spec: County):
        self.spec = spec
        self.fam = FAMILIES[spec.family]
        self.seq = 0
        site = Site(
            spec.name,
            spec.family,
            spec.county,
            spec.domain,
            spec.site_code,
            spec.icp,
            spec.webid,
            nav=[],
        )
        first_id = {"hanweb": 59000100, "trs": 8812300}[spec.family]
        super().__init__(f"nianbao-simulator-{spec.name}", site, first_id)

    # structure ---------------------------------------------------------------------------
    def _column(
        self,
        key: str,
        name: str,
        trail: list,
        unit_index=None,
        kind=None,
        slug=None,
        store_key=None,
    ) -> Column:
        path, col_id, unit_id = self.fam.column_place(key, unit_index, kind, slug)
        col = Column(
            store_key or key,
            name,
            path,
            trail,
            col_id=col_id,
            unit_id=unit_id,
            per_page=self.spec.per_page,
        )
        return self.add_column(col)

    def structure(self) -> list[Unit]:
        s, site = self.spec, self.site
        xxgk = self.fam.section_path("xxgk")
        towns, depts = self.fam.section_path("towns"), self.fam.section_path("depts")
        top = [("政府信息公开", xxgk)]
        news = self._column("news", "新闻中心", [])
        cols = [
            self._column("guide", "政府信息公开指南", top),
            self._column("rules", "政府信息公开制度", top),
            self._column("fdzdgk", "法定主动公开内容", top),
            self._column("nb", "政府信息公开年报", top),
        ]
        site.nav = [("首页", "/index.html"), ("政府信息公开", xxgk), ("新闻中心", news.path)]
        site.sections["xxgk"] = Section(
            "xxgk",
            "政府信息公开",
            xxgk,
            [],
            [(c.name, c.path) for c in cols] + [("乡镇信息公开", towns), ("部门信息公开", depts)],
        )
        county = Unit(s.county, f"{s.county}人民政府", "county", f"{s.org_code}000", column=cols[3])
        units = [county]
        town_links, dept_links = [], []
        for i, (name, slug, seeds) in enumerate(s.townships):
            trail = top + [("乡镇信息公开", towns)]
            col = self._column(
                "nb",
                "政府信息公开年报",
                trail + [(name, "")],
                i,
                "township",
                slug,
                store_key=f"nb-{slug}",
            )
            col.breadcrumb[-1] = (name, col.path)
            code = f"{s.org_code}1{i:02d}"
            units.append(Unit(name, f"{name}人民政府", "township", code, column=col, seeds=seeds))
            town_links.append((name, col.path))
        for j, (name, slug) in enumerate(s.departments):
            trail = top + [("部门信息公开", depts)]
            col = self._column(
                "nb",
                "政府信息公开年报",
                trail + [("", "")],
                50 + j,
                "department",
                slug,
                store_key=f"nb-{slug}",
            )
            col.breadcrumb[-1] = (f"{s.county}{name}", col.path)
            full = f"{s.county}{name}"
            units.append(Unit(full, full, "department", f"{s.org_code}2{j:02d}", column=col))
            dept_links.append((f"{s.county}{name}", col.path))
        site.sections["towns"] = Section("towns", "乡镇信息公开", towns, top, town_links)
        site.sections["depts"] = Section("depts", "部门信息公开", depts, top, dept_links)
        return units

    # articles ----------------------------------------------------------------------------
    def _article(
        self,
        column: Column,
        title: str,
        published: date,
        publisher: str,
        code: str,
        *,
        written: date | None = None,
        kind: str,
        body: str = "",
        report: ReportContent | None = None,
        header: bool = True,
        doc_number: str = "",
        overrides: dict | None = None,
    ) -> Article:
        art_id = self.new_id()
        self.seq += 1
        rng = self.rng
        meta = {}
        if header:
            hanweb = self.spec.family == "hanweb"  # 18-char credit code vs 9-digit org code
            category = (
                ("政府信息公开年报" if kind == "report" else "综合政务") if hanweb else "政务公开"
            )
            meta = {
                "index_no": f"{code}{'X' if hanweb else ''}/{published.year}-{self.seq:05d}",
                "category": "" if rng.random() < 0.25 else category,
                "publisher": "" if rng.random() < 0.15 else publisher,
                "written_date": written or published,
                "title": title,
                "doc_number": doc_number,
                "published_date": published,
            }
            meta.update(overrides or {})
        art = Article(
            self.fam.article_path(column, published, art_id),
            title,
            published,
            publisher,
            meta,
            body_html=body,
            report=report,
            kind=kind,
            column=column,
            views=self.draw_views(),
        )
        return self.add(art, [column])

    def _publish_date(self, year: int) -> tuple[date, date]:
        month = self.rng.choices([1, 2, 3], [7, 2, 1])[0]
        published = date(year + 1, month, self.rng.randint(5, 28))
        return published - timedelta(days=self.rng.randint(0, 7)), published

    def _title(self, unit: Unit, year: int) -> str:
        rng = self.rng
        if rng.random() < 0.3:  # year first: "2023年XX县市场监督管理局政府信息公开工作年度报告"
            return f"{year}年{unit.name}政府信息公开工作年度报告"
        org = unit.full if unit.kind == "department" or rng.random() < 0.4 else unit.name
        return rng.choice(
            [f"{org}{year}年政府信息公开工作年度报告", f"{org}{year}年度政府信息公开工作年度报告"]
        )

    def reports(self, units: list[Unit]) -> None:
        for unit in units:
            last: ReportContent | None = None  # the unit's report of the year before, if any
            for year in YEARS:
                key = unit.seeds.get(year)
                error = self.spec.errors.get(
                    (unit.name.removeprefix(self.spec.county) or "县", year)
                )
                if not self.files_in(unit, 0.15, must=key is not None or error is not None):
                    last = None
                    continue
                if key:
                    written, published = SEED_DATES[key]
                    title, content = SEEDS[key].title, seed_report(key)
                else:
                    written, published = self._publish_date(year)
                    title = self._title(unit, year)
                    org = next(o for o in (unit.full, unit.name) if title.find(o) >= 0)
                    content = generate_report(
                        self.rng,
                        org_name=org,
                        signer=unit.full,
                        year=year,
                        scale=unit.kind,
                        written=written,
                        error=error,
                        previous=last,
                    )
                if last is not None:
                    content.cross_year_failures = cross_year_failures(last, content)
                last = content
                art = self._article(
                    unit_column(unit),
                    title,
                    published,
                    unit.full,
                    unit.code,
                    written=written,
                    kind="report",
                    report=content,
                    overrides=SEED_HEADERS.get(key),
                )
                attach(self.site, art, key)  # some seed reports link their file, 004 only that
                if unit.kind == "township" and year >= 2022:
                    self.site.columns["nb"].entries.append(art)  # also listed by the county column
                    art.absolute_link = self.rng.random() < 0.3

    def distractors(self, units: list[Unit]) -> None:
        c = self.spec.county
        nb, fd, code = self.site.columns["nb"], self.site.columns["fdzdgk"], units[0].code
        office = f"{c}人民政府办公室"

        def prose(*paras: str) -> str:
            return "\n".join(f'<p style="text-indent:2em">{escape(p)}</p>' for p in paras)

        items = [
            (
                nb,
                "关于做好2023年度政府信息公开工作年度报告编制工作的通知",
                date(2023, 12, 15),
                office,
                prose(
                    "各乡镇人民政府，县政府各部门：",
                    "根据《中华人民共和国政府信息公开条例》规定，现就做好2023年度"
                    "政府信息公开工作年度报告编制和发布工作通知如下。",
                    "请各单位于2024年1月31日前完成年度报告的编制和发布工作。",
                ),
                f"{c[0]}政办发〔2023〕45号",
            ),
            (
                nb,
                f"图解：{c}2023年政府信息公开工作年度报告",
                date(2024, 1, 26),
                office,
                prose(
                    f"一图读懂{c}2023年政府信息公开工作年度报告。",
                    "全年主动公开政府信息2000余条，依申请公开办理情况良好。",
                ),
                "",
            ),
            (
                nb,
                f"《{c}2022年政府信息公开工作年度报告》解读",
                date(2023, 2, 3),
                office,
                prose(
                    f"为便于公众理解{c}2022年政府信息公开工作年度报告，现作如下解读。",
                    "一、报告编制背景",
                    "二、主要内容",
                ),
                "",
            ),
            (
                nb,
                f"{c}2023年法治政府建设年度报告",
                date(2024, 2, 20),
                f"{c}司法局",
                prose(
                    "2023年，我县深入学习贯彻习近平法治思想，扎实推进法治政府建设。",
                    "一、主要举措和成效",
                    "二、存在的不足",
                ),
                "",
            ),
            (
                nb,
                f"{c}2024年政府工作报告",
                date(2024, 1, 12),
                office,
                prose(
                    "各位代表：现在，我代表县人民政府，向大会报告工作，请予审议。",
                    "一、2023年工作回顾",
                    "二、2024年工作安排",
                ),
                "",
            ),
            (
                nb,
                f"{c}财政局2024年部门预算",
                date(2024, 2, 6),
                f"{c}财政局",
                prose(
                    "第一部分 部门概况",
                    "第二部分 2024年部门预算表",
                    "第三部分 2024年部门预算情况说明",
                ),
                "",
            ),
            (
                fd,
                f"{c}2023年部门决算公开",
                date(2024, 8, 30),
                f"{c}财政局",
                prose("第一部分 部门概况"),
                "",
            ),
        ]
        for col, title, published, publisher, body, doc in items:
            self._article(
                col, title, published, publisher, code, kind="distractor", body=body, doc_number=doc
            )
        for unit in units[1:]:
            if unit.kind == "department" and self.rng.random() < 0.7:
                self._article(
                    unit_column(unit),
                    f"{unit.full}2024年部门预算公开",
                    date(2024, 2, self.rng.randint(1, 28)),
                    unit.full,
                    unit.code,
                    kind="distractor",
                    body=prose("一、部门职责", "二、预算收支情况"),
                )
            elif unit.kind == "township" and self.rng.random() < 0.5:
                self._article(
                    unit_column(unit),
                    f"{unit.name}2023年法治政府建设年度报告",
                    date(2024, 1, 30),
                    unit.full,
                    unit.code,
                    kind="distractor",
                    body=prose("2023年，我镇坚持依法行政。"),
                )

    def pages(self) -> None:
        c, cols = self.spec.county, self.site.columns
        code = f"{self.spec.org_code}000"
        guide_body = "<p>一、主动公开</p><p>二、依申请公开</p><p>三、政府信息公开年报</p>"
        self._article(
            cols["guide"],
            f"{c}人民政府信息公开指南",
            date(2023, 3, 1),
            f"{c}人民政府办公室",
            code,
            kind="page",
            body=guide_body,
        )
        for title, d in (
            (f"{c}政府信息公开保密审查制度", date(2020, 6, 5)),
            (f"{c}政府信息公开申请办理工作规程", date(2021, 4, 12)),
        ):
            self._article(
                cols["rules"],
                title,
                d,
                f"{c}人民政府办公室",
                code,
                kind="page",
                body="<p>第一条</p>",
            )
        self._article(
            cols["fdzdgk"],
            f"{c}2024年国民经济和社会发展计划",
            date(2024, 3, 8),
            f"{c}发展和改革局",
            code,
            kind="page",
            body="<p>一、2023年计划执行情况</p>",
        )
        news = [
            f"{c}召开2024年经济工作会议",
            f"{c}开展安全生产大检查",
            f"{c}举办政务公开业务培训班",
            f"{c}推进乡村振兴重点项目建设",
            f"{c}召开县政府常务会议",
            f"{c}春季植树活动启动",
            f"{c}组织开展防汛应急演练",
            f"{c}全力做好冬季供暖保障",
        ]
        for i, title in enumerate(news):
            d = date(2024, 1, 3) + timedelta(days=9 * i + self.rng.randint(0, 5))
            self._article(
                cols["news"],
                title,
                d,
                f"{c}融媒体中心",
                code,
                kind="news",
                header=False,
                body=f'<p style="text-indent:2em">{escape(title)}。</p>',
            )

    def build(self) -> Site:
        units = self.structure()
        self.reports(units)
        self.distractors(units)
        self.pages()
        return self.finish()


def build_sites() -> list[Site]:
    return [_Builder(spec).build() for spec in COUNTIES]
