"""A portal's URL scheme: opaque slugs, query parameter names and id shapes drawn per portal.

``scheme`` is ``static`` (``/zwgk/xxgk/index.shtml``, ``/a/202401/t20240125_4512.html``),
``query`` (``/list.jsp?cid=2``, ``/ShowClass.asp?ClassID=12``, ``/show.asp?id=345``) or
``mixed`` (each page draws one of the two).
"""

from __future__ import annotations

import random
import string
import uuid
from datetime import date

from . import vocab

SCHEMES = ("static", "query", "mixed")
ID_SHAPES = ("num", "hex8", "hex32", "uuid", "date", "b36")


class Urls:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.scheme = rng.choice(SCHEMES)
        self.id_shape = rng.choice(ID_SHAPES)
        self.ext = rng.choice(vocab.EXTS[:6])  # dynamic pages: jsp asp aspx php do action
        self.static_ext = rng.choice(("html", "shtml", "htm"))
        self.list_script = rng.choice(vocab.SCRIPT_NAMES)
        self.hub_script = rng.choice(vocab.SCRIPT_NAMES)
        self.show_script = rng.choice(vocab.SHOW_NAMES)
        self.id_param = rng.choice(vocab.ID_PARAMS)
        self.art_param = rng.choice(vocab.ART_PARAMS)
        self.page_param = rng.choice(vocab.PAGE_PARAMS)
        self.unit_param = rng.choice(vocab.UNIT_PARAMS)
        self.taken: set[str] = set()
        self._num = rng.randint(10, 900)

    def choices(self) -> dict:
        return {
            "scheme": self.scheme,
            "id_shape": self.id_shape,
            "ext": self.ext,
            "static_ext": self.static_ext,
            "list_script": self.list_script,
            "show_script": self.show_script,
            "id_param": self.id_param,
            "art_param": self.art_param,
            "page_param": self.page_param,
            "unit_param": self.unit_param,
        }

    # ids and slugs ---------------------------------------------------------------------------
    def ident(self, published: date | None = None) -> str:
        r = self.rng
        self._num += r.randint(1, 97)
        shape = self.id_shape
        if shape == "num":
            return str(self._num)
        if shape == "hex8":
            return f"{r.getrandbits(32):08x}"
        if shape == "hex32":
            return f"{r.getrandbits(128):032x}"
        if shape == "uuid":
            return str(uuid.UUID(int=r.getrandbits(128), version=4))
        if shape == "date":
            d = published or date(2024, 1, 1)
            return f"t{d:%Y%m%d}_{self._num}"
        return "".join(
            r.choice(string.ascii_lowercase + string.digits) for _ in range(r.randint(5, 9))
        )

    def slug(self) -> str:
        r = self.rng
        while True:
            s = r.choice(vocab.SLUG_PARTS) + r.choice(
                ("", "", str(r.randint(1, 99)), r.choice(vocab.SLUG_PARTS))
            )
            if r.random() < 0.3:
                s += "_" + "".join(r.choice(string.ascii_lowercase) for _ in range(3))
            if s not in self.taken:
                self.taken.add(s)
                return s

    def _static(self) -> bool:
        return self.scheme == "static" or (self.scheme == "mixed" and self.rng.random() < 0.5)

    # pages -------------------------------------------------------------------------------------
    def section(self, static: bool | None = None) -> tuple[str, dict]:
        """A hub or a listing's first page."""
        if static is None:
            static = self._static()
        if static:
            tail = self.rng.choice(("", f"index.{self.static_ext}", f"index.{self.static_ext}"))
            return f"/{self.slug()}/{self.slug()}/{tail}", {}
        script = self.rng.choice((self.list_script, self.hub_script))
        return f"/{script}.{self.ext}", {self.id_param: self.ident()}

    def index_page(self, first: str, k: int) -> str:
        """Page k (1-based) of a static listing: index.html, index_1.html, …"""
        folder = first.rsplit("/", 1)[0]
        return first if k == 1 else f"{folder}/index_{k - 1}.{self.static_ext}"

    def static_listing(self) -> str:
        return f"/{self.slug()}/{self.slug()}/index.{self.static_ext}"

    def subsite(self) -> str:
        return f"/{self.slug()}/"

    def article(self, published: date) -> tuple[str, dict]:
        if self._static():
            stem = self.slug()
            ident = self.ident(published)
            if self.rng.random() < 0.5:
                return f"/{stem}/{published:%Y%m}/{ident}.{self.static_ext}", {}
            return f"/{stem}/{ident}.{self.static_ext}", {}
        return f"/{self.show_script}.{self.ext}", {self.art_param: self.ident(published)}

    def file(self, published: date, ext: str) -> tuple[str, dict]:
        ident = f"P0{published:%Y%m%d}{self.rng.randint(10**9, 10**10 - 1)}"
        if self.rng.random() < 0.6:
            return f"/upload/{published:%Y%m}/{ident}.{ext}", {}
        return "/module/download/downfile.jsp", {"classid": "0", "filename": f"{ident}.{ext}"}
