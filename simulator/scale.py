"""The simulator at national scale: a thousand and more county hosts with real-looking names.

    hosts = CountyHosts(counties=700)      # names only: cheap
    hosts.site("www.dongxi.gov.cn")        # the generated portal, built on first use
    hosts.roots()                          # every county's http://www.<domain>/

Each county has a registered domain under gov.cn, in pinyin as real ones are (dongxi.gov.cn,
or the initials dx.gov.cn; drawn from the syllables below) and three kinds of host:

* ``www.<domain>``: the county portal, a generated portal (simulator/procedural/);
* ``xxgk.<domain>`` (every other county): its 政府信息公开 platform, a second generated portal
  with reports of its own, linked from every page of the www portal, as real counties split
  them; a crawl of the www root must reach it (same registered domain);
* ``<domain>`` bare: a 301 to the www host.

Every page also links (the site's header, ``nav_html``) two neighbouring counties' www hosts,
which are simulated and must never be asked by a crawl of this county, and the national
portal www.gov.cn, which is not simulated (the proxy refuses it).  Portals behind an anti-bot
wall are left out: walls send pages through the browser, whose cost is measured elsewhere.

Sites are built lazily from their seeds (0.1 to 0.3 s and 0.5 MB each) and kept in a bounded
LRU (``cache``); a site dropped from it is built again, the same, on its next request.  With
``portals=K`` the hosts share K generated portals (county k gets seeds k mod K): each host is
still its own site to the crawler (its own names, header links and ground truth, a shallow copy
over the shared graph), and a thousand hosts cost K builds; the bench uses that.  The
generators here draw names from their own syllable table, not the crawler's.
"""

from __future__ import annotations

import copy
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass
from html import escape

from .model import ReportTruth, Response, Site
from .procedural.builder import Builder
from .procedural.layout import Layout

#: the sound of each syllable the generated portals name counties with (procedural/vocab.py):
#: county domains are drawn from these
PINYIN = dict(
    zip(
        "东西南北上下前后新老青白红黄金银石铁沙河湖江海山岭峰岗坪坝坡塘溪泉井桥湾洲滩林松柏桃李杏枣梨竹"
        "兰花草禾田丰安宁平和兴旺福寿永长乐康泰顺德仁义龙凤虎鹤鹿马牛羊云雾雪霞星月阳春秋冬镕堃喆珺",
        [
            "dong",
            "xi",
            "nan",
            "bei",
            "shang",
            "xia",
            "qian",
            "hou",
            "xin",
            "lao",
            "qing",
            "bai",
            "hong",
            "huang",
            "jin",
            "yin",
            "shi",
            "tie",
            "sha",
            "he",
            "hu",
            "jiang",
            "hai",
            "shan",
            "ling",
            "feng",
            "gang",
            "ping",
            "ba",
            "po",
            "tang",
            "xi",
            "quan",
            "jing",
            "qiao",
            "wan",
            "zhou",
            "tan",
            "lin",
            "song",
            "bai",
            "tao",
            "li",
            "xing",
            "zao",
            "li",
            "zhu",
            "lan",
            "hua",
            "cao",
            "he",
            "tian",
            "feng",
            "an",
            "ning",
            "ping",
            "he",
            "xing",
            "wang",
            "fu",
            "shou",
            "yong",
            "chang",
            "le",
            "kang",
            "tai",
            "shun",
            "de",
            "ren",
            "yi",
            "long",
            "feng",
            "hu",
            "he",
            "lu",
            "ma",
            "niu",
            "yang",
            "yun",
            "wu",
            "xue",
            "xia",
            "xing",
            "yue",
            "yang",
            "chun",
            "qiu",
            "dong",
            "rong",
            "kun",
            "zhe",
            "jun",
        ],
        strict=True,
    )
)
#: the national portal every county links; not simulated, so the proxy refuses it
NATIONAL = "www.gov.cn"


@dataclass(frozen=True)
class County:
    index: int
    name: str  # 东西县, the www portal's county
    domain: str  # dongxi.gov.cn
    www_seed: int
    xxgk_seed: int | None
    neighbours: tuple[int, ...]

    @property
    def www(self) -> str:
        return f"www.{self.domain}"

    @property
    def xxgk(self) -> str | None:
        return f"xxgk.{self.domain}" if self.xxgk_seed is not None else None


class CountyHosts:
    """``counties`` simulated counties: their host names (cheap), their sites (lazily)."""

    def __init__(
        self, counties: int, seed: int = 0, cache: int = 4096, portals: int | None = None
    ) -> None:
        rng = random.Random(f"nianbao-scale-{seed}")
        pool = min(portals or counties, counties)
        drawn = self._unwalled(pool * 2, start=100_000 + seed * 1_000_000)
        seeds = [drawn[(i // 2 % pool) * 2 + i % 2] for i in range(counties * 2)]
        taken: set[str] = set()
        self.counties: list[County] = []
        sounds = sorted(set(PINYIN.values()))
        for i in range(counties):
            www_seed, xxgk_seed = seeds[2 * i], seeds[2 * i + 1]
            name = Builder(www_seed).county
            # the domain is drawn here, not from the portal's name: hosts sharing a portal
            # (``portals``) still get names of their own
            parts = rng.sample(sounds, rng.choice((2, 2, 2, 3)))
            full, initials = "".join(parts), "".join(p[0] for p in parts)
            suffix = rng.choice(("", "", "", "xian", "qu", "shi"))
            choices = [initials, full] if rng.random() < 0.3 else [full, initials]
            label = next(
                (
                    c
                    for c in [*choices, full + suffix, full + "xian", full + "qu"]
                    if c not in taken
                ),
                f"{full}{i}",
            )
            taken.add(label)
            neighbours = tuple(sorted({(i + d) % counties for d in (1, -1)} - {i}))
            self.counties.append(
                County(
                    i,
                    name,
                    f"{label}.gov.cn",
                    www_seed,
                    xxgk_seed if i % 2 == 0 else None,
                    neighbours,
                )
            )
        #: host -> (county index, "www" | "xxgk" | "bare")
        self.hosts: dict[str, tuple[int, str]] = {}
        for c in self.counties:
            self.hosts[c.www] = (c.index, "www")
            self.hosts[c.domain] = (c.index, "bare")
            if c.xxgk is not None:
                self.hosts[c.xxgk] = (c.index, "xxgk")
        self._built: OrderedDict[int, Site] = OrderedDict()  # seed -> its generated portal
        self._sites: dict[str, Site] = {}  # host -> its shell over the seed's portal
        self._size = max(cache, 1)
        self._lock = threading.Lock()
        self.builds = 0

    @staticmethod
    def _unwalled(n: int, start: int) -> list[int]:
        out: list[int] = []
        seed = start
        while len(out) < n:
            if Builder(seed).c["wall"] == "none":
                out.append(seed)
            seed += 1
        return out

    def __len__(self) -> int:
        """How many host names are simulated (www, xxgk and bare domains)."""
        return len(self.hosts)

    def roots(self, counties: int | None = None) -> list[str]:
        return [f"http://{c.www}/" for c in self.counties[:counties]]

    def role(self, host: str) -> tuple[County, str] | None:
        entry = self.hosts.get(host.lower().rstrip("."))
        return None if entry is None else (self.counties[entry[0]], entry[1])

    def site(self, host: str) -> Site | None:
        """The site served at ``host`` (a www or xxgk host), built on first use."""
        found = self.role(host)
        if found is None or found[1] == "bare":
            return None
        county, role = found
        seed = county.www_seed if role == "www" else county.xxgk_seed
        assert seed is not None
        with self._lock:  # one build per seed, even when two requests arrive at once
            base = self._built.get(seed)
            if base is None:
                base = self._built[seed] = Layout(seed).build()
                self.builds += 1
                if len(self._built) > self._size:
                    dropped, _ = self._built.popitem(last=False)
                    self._sites = {
                        h: s
                        for h, s in self._sites.items()
                        if s.construction["seed"] != dropped  # type: ignore[attr-defined]
                    }
            self._built.move_to_end(seed)
            site = self._sites.get(host)
            if site is None:
                site = self._sites[host] = self._shell(base, county, role)
            return site

    def _shell(self, base: Site, county: County, role: str) -> Site:
        """The host's own site over a built portal: its name and its header links."""
        site = copy.copy(base)
        site.name = f"{role}.{county.domain}"
        links = [
            f'<a href="http://www.{self.counties[n].domain}/">'
            f"{escape(self.counties[n].name)}人民政府</a>"
            for n in county.neighbours
        ]
        links.append(f'<a href="http://{NATIONAL}/">中国政府网</a>')
        if role == "www" and county.xxgk is not None:
            links.insert(0, f'<a href="http://{county.xxgk}/">政府信息公开</a>')
        elif role == "xxgk":
            links.insert(
                0, f'<a href="http://{county.www}/">{escape(county.name)}人民政府门户网站</a>'
            )
        site.nav_html = (  # type: ignore[attr-defined]
            site.nav_html  # type: ignore[attr-defined]
            + '<div class="links">'
            + "　".join(links)
            + "</div>"
        )
        return site

    def bare_redirect(self, host: str, path: str) -> Response:
        county, _ = self.role(host)  # type: ignore[misc]
        return Response(301, "text/html", b"", (("Location", f"http://{county.www}{path}"),))

    def reports(self, county: County) -> list[ReportTruth]:
        """The reports a crawl of the county's www root must find: its portal's and its xxgk
        platform's (URLs on their real host names)."""
        out: list[ReportTruth] = []
        for host in filter(None, (county.www, county.xxgk)):
            site = self.site(host)
            assert site is not None
            for art in site.articles.values():
                if art.report is not None:
                    out.append(
                        ReportTruth(
                            url=f"http://{host}{art.path}",
                            portal=county.www,
                            title=art.title,
                            report_year=art.report.report_year,
                            org_name=art.report.org_name,
                            template=art.report.template,
                            meta={},
                            active=art.report.active,
                            applications=art.report.applications,
                            review_litigation=art.report.review_litigation,
                            failing_checks=[],
                            cross_year_failures=[],
                            aliases=tuple(f"http://{host}{a}" for a in art.aliases),
                        )
                    )
        return out
