"""The fixture matrix of docs/portals.md §12 beyond the two walking-skeleton counties: which matrix
portals exist, their family, layout, charset and hostile variants.

``Simulator()`` serves the two original counties; ``Simulator(portals=[...])`` picks portals by
name, ``Simulator(portals="all")`` serves every one (``MATRIX_NAMES`` lists the matrix ones).
"""

from __future__ import annotations

from . import generic, gkmlpt, hanweb_xxgk, hostile, jpaas, lite, lonsun, trs_years, ucap

#: family name -> module with column_path / article_path / respond
FAMILIES = {m.FAMILY: m for m in (generic, ucap, gkmlpt, lonsun, jpaas, hanweb_xxgk, trs_years)}

SPECS: tuple[lite.Spec, ...] = (
    lite.Spec("generic-county", "generic", "南湖县", "subtrees"),
    # GBK pages: charset in the header, only in <meta>, and a header that says utf-8.  镕 is in
    # GBK/GB18030 but not in GB2312 (docs/portals.md §0.5 (b)).
    lite.Spec(
        "gbk-header",
        "generic",
        "北塘县",
        "subtrees",
        charset="gbk-header",
        townships=(("镕溪镇", "rxz"), ("石门乡", "smx")),
    ),
    lite.Spec(
        "gbk-meta",
        "generic",
        "西河县",
        "subtrees",
        charset="gbk-meta",
        townships=(("镕江镇", "rjz"), ("白石乡", "bsx")),
    ),
    lite.Spec("gbk-wrong", "generic", "东津县", "subtrees", charset="gbk-wrong"),
    lite.Spec("ucap-county", "ucap", "安澜县", "subtrees"),
    lite.Spec("gkmlpt-county", "gkmlpt", "梅林县", "unitsites"),
    lite.Spec("lonsun-county", "lonsun", "桐城县", "unitsites"),
    lite.Spec("jpaas-county", "jpaas", "靖川县", "summary"),
    lite.Spec("jpaas-datacall", "jpaas", "天河县", "summary", options={"datacall": True}),
    lite.Spec("xxgk-county", "hanweb-xxgk", "丽水县", "unitsites"),
    lite.Spec("trs-county", "trs-years", "甘泉县", "yearfolders"),
    # hostile variants (simulator/hostile.py), each on a small CMS-less county of its own
    *(
        lite.Spec(
            f"hostile-{v}",
            "generic",
            county,
            "subtrees",
            townships=(("东坝镇", "dbz"),),
            departments=(("教育局", "jyj"),),
            hostile=(v,),
        )
        for v, county in (
            ("rs412", "瑞安县"),
            ("jsl521", "嘉善县"),
            ("block200", "白河县"),
            ("cookie302", "曲江县"),
            ("burst429", "突泉县"),
            ("odd", "奇台县"),
        )
    ),
)

MATRIX_NAMES = tuple(s.name for s in SPECS)


def build(names) -> list:
    """Sites of the matrix portals named (all of them for None)."""
    wanted = set(MATRIX_NAMES if names is None else names)
    sites = []
    for spec in SPECS:
        if spec.name in wanted:
            fam = FAMILIES[spec.family]
            site = lite.Builder(spec, fam).build()
            if hasattr(fam, "finish"):
                fam.finish(site)
            if spec.hostile:
                site.wall = hostile.Wall(site, spec.hostile)
            sites.append(site)
    return sites
