"""Decode page bytes to text without trusting the declared charset blindly.

Order (docs/stack-facts.md §7, which verified it against all nine failure cases):
BOM → UTF-8 strict → the declared charset strict (HTTP header, then ``<meta>``) →
gb18030 strict → charset-normalizer → UTF-8 with replacement characters (flagged).

The caller's bytes are never modified or re-encoded; only the returned text is new.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import charset_normalizer

# gb2312 and gbk are subsets of gb18030, and real pages that declare them routinely contain
# characters outside them (e.g. 镕), so decode all three as gb18030 (docs/portals.md §0.5 (b)).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "csgb2312": "gb18030",
    "hz-gb-2312": "gb18030",
    "gb_2312-80": "gb18030",
    "utf8": "utf-8",
}

# Single-byte encodings decode any byte string without error, so a strict decode with them
# proves nothing; a Chinese page "declared" as one of them is almost always a server default.
_SUSPECT = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# <meta charset="gbk">, <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(
    rb"""\s*<\?xml[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)

# At most this many broken sequences, each outnumbered this many times by well-formed
# non-ASCII characters, and a body that is not strict UTF-8 is still read as UTF-8.
_MAX_UTF8_ERRORS = 8
_MIN_GOOD_PER_ERROR = 50

# Only the head of the document is searched for a <meta> charset, as browsers do.
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    flags: list[str] = field(default_factory=list)


def normalize_charset(name: str | None) -> str | None:
    """Return Python's codec name for a declared charset, or None if it is unknown."""
    if not name:
        return None
    # Accept a whole Content-Type header value as well as a bare charset name.
    m = _HEADER_CHARSET.search(name)
    raw = (m.group(1) if m else name).strip().strip("\"'").lower()
    if not raw or "/" in raw or "=" in raw:
        return None
    raw = _ALIASES.get(raw, raw)
    try:
        canonical = codecs.lookup(raw).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name ("utf\x008")
        return None
    return _ALIASES.get(canonical, canonical)


def sniff_meta_charset(body: bytes) -> str | None:
    """The charset named by a ``<meta>`` tag near the start of the page, if any."""
    m = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return m.group(1).decode("ascii", "replace") if m else None


def xml_encoding(body: bytes) -> str | None:
    """The encoding an XML declaration at the very start of ``body`` names (a sitemap, a feed):
    XML's own place for it, where an HTML page would have a ``<meta>``."""
    m = _XML_ENCODING.match(body[:_SNIFF_BYTES])
    return m.group(1).decode("ascii", "replace") if m else None


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset a response declares (its Content-Type, then a ``<meta>``), as a codec name."""
    return normalize_charset(content_type) or normalize_charset(sniff_meta_charset(body))


def bom_encoding(body: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``body`` names, if there is one."""
    return next((enc for bom, enc in _BOMS if body.startswith(bom)), None)


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(body: bytes, declared: str | None = None) -> Decoded:
    """Decode ``body``; ``flags`` say when the declaration was wrong or bytes were lost.

    ``declared`` is a charset name or a whole Content-Type header value.  The one decoder of
    page bytes: the crawl (crawler.middlewares.CharsetFixMiddleware, discovery's pages), the
    extractor and the normalizer CLI all read text through it.
    """
    enc = bom_encoding(body)
    if enc is not None:
        text = _strict(body, enc)
        if text is not None:
            return Decoded(text.lstrip("\ufeff"), "utf-8" if enc == "utf-8-sig" else enc)

    declared_names = [
        n for n in (normalize_charset(declared), normalize_charset(sniff_meta_charset(body))) if n
    ]
    first_declared = declared_names[0] if declared_names else None

    def result(text: str, encoding: str, extra: list[str] | None = None) -> Decoded:
        flags = list(extra or [])
        if (
            first_declared
            and first_declared != encoding
            and not (first_declared == "ascii" and encoding == "utf-8")
        ):
            flags.append(f"encoding_mismatch:declared={first_declared},used={encoding}")
        return Decoded(text, encoding, flags)

    # UTF-8 first: GBK byte strings almost never validate as UTF-8, so success is decisive.
    text = _strict(body, "utf-8")
    if text is not None:
        return result(text, "utf-8")
    # A UTF-8 page with a few broken sequences (a CMS cutting a string mid-character) is still
    # UTF-8; decoding it as gb18030 would garble every character.  GBK read as UTF-8 breaks on
    # nearly every Chinese character, so a handful of errors among many good ones is decisive.
    text = body.decode("utf-8", errors="replace")
    errors = text.count("\ufffd") - body.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if errors <= _MAX_UTF8_ERRORS and good >= _MIN_GOOD_PER_ERROR * errors:
        return result(text, "utf-8", ["encoding_replaced_bytes"])

    for name in declared_names:
        if name in _SUSPECT or name == "utf-8":
            continue
        text = _strict(body, name)
        if text is not None:
            return result(text, name)

    text = _strict(body, "gb18030")
    if text is not None:
        return result(text, "gb18030")

    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        name = normalize_charset(best.encoding) or best.encoding
        text = _strict(body, name)
        if text is not None:
            return result(text, name, ["encoding_guessed"])

    return result(body.decode("utf-8", errors="replace"), "utf-8", ["encoding_replaced_bytes"])


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; see :func:`decode_bytes` for the flags."""
    decoded = decode_bytes(body, declared)
    return decoded.text, decoded.encoding
