"""Markup for one edge of each link kind, and the exact evidence text it leaves in the page."""

from __future__ import annotations

from html import escape


def attr(url: str) -> str:
    return escape(url, quote=True)


def link_markup(kind: str, written: str, text: str, rng) -> tuple[str, str]:
    """(markup, evidence) of a single link of ``kind`` to ``written`` labelled ``text``."""
    t, w = escape(text), attr(written)
    n = rng.randint(1, 10**6)
    if kind == "a":
        ev = f'href="{w}"'
        extra = f' title="{t}"' if rng.random() < 0.5 else ""
        return f'<a {ev} target="_blank"{extra}>{t}</a>', ev
    if kind == "image":
        ev = f'<a href="{w}"><img'
        return f'{ev} src="/images/ico_{n}.jpg" border="0" alt=""></a>', ev
    if kind == "onclick-open":
        ev = f"window.open('{w}')"
        return f'<span class="lnk" style="cursor:pointer" onclick="{ev}">{t}</span>', ev
    if kind == "onclick-href":
        ev = f"location.href='{w}'"
        return f'<a href="javascript:void(0);" onclick="{ev};return false;">{t}</a>', ev
    if kind == "onclick-location":
        ev = rng.choice((f"window.location='{w}'", f"location='{w}'", f"self.location='{w}'"))
        return f'<div class="item" onclick="{ev}">{t}</div>', ev
    if kind == "script-location":
        ident = f"l{n}"
        ev = f'location.href="{written}"'
        return (
            f'<a href="javascript:;" id="{ident}">{t}</a><script>document.getElementById("{ident}")'
            f".onclick=function(){{{ev};}};</script>"
        ), ev
    if kind == "script-url":
        ev = f"'{written}'"
        return (
            f"<script>document.write('<a href=\"'+{ev}+'\" target=\"_blank\">{t}</a>');</script>"
        ), ev
    if kind == "area":
        ev = f'<area shape="rect" coords="0,0,{100 + n % 80},40" href="{w}"'
        return (
            f'<map name="m{n}">{ev} alt="{t}"></map>'
            f'<img src="/images/banner_{n}.gif" usemap="#m{n}" border="0">'
        ), ev
    if kind == "iframe":
        ev = f'<iframe src="{w}"'
        return f'{ev} width="100%" height="900" frameborder="0" scrolling="no"></iframe>', ev
    if kind == "option":
        ev = f'<option value="{w}">'
        return (
            f'<select onchange="if(this.value)window.open(this.value)"><option value="">请选择'
            f"</option>{ev}{t}</option></select>"
        ), ev
    raise ValueError(f"no markup for link kind {kind!r}")


def option_group(prompt: str, items: list[tuple[str, str]], rng) -> tuple[str, list[str]]:
    """A navigation <select> (部门网站): (markup, evidence per item)."""
    handler = rng.choice(
        (
            "window.open(this.value)",
            "location.href=this.value",
            "window.location=this.options[this.selectedIndex].value",
        )
    )
    evs = [f'<option value="{attr(w)}">' for w, _ in items]
    opts = "".join(f"{ev}{escape(t)}</option>" for ev, (_, t) in zip(evs, items, strict=True))
    return (
        f'<select class="nav-select" onchange="if(this.value){handler}">'
        f'<option value="">{escape(prompt)}</option>{opts}</select>'
    ), evs


def script_array(items: list[tuple[str, str, str]], rng) -> tuple[str, list[str]]:
    """Entries drawn by ``document.write`` from an array of {title, url, date}:
    (markup, evidence)."""
    key = rng.choice(("url", "link", "href", "u"))
    var = rng.choice(("items", "list", "data", "arr", "newsList"))
    evs = [f'"{key}":"{w}"' for w, _, _ in items]
    rows = ",".join(
        f'{{"title":"{t}",{ev},"date":"{d}"}}' for ev, (_, t, d) in zip(evs, items, strict=True)
    )
    js = (
        f"<script>var {var}=[{rows}];for(var i=0;i<{var}.length;i++){{document.write('<li><a "
        "href=\"'"
        f"+{var}[i].{key}+'\" target=\"_blank\">'+{var}[i].title+'</a><span>'+{var}[i].date"
        "+'</span></li>');}</script>"
    )
    return f'<ul class="list">{js}</ul>', evs
