"""Bounds on numbers a page tells the crawler.

A listing's record or page count (Hanweb ``totalRecord``, JPaaS ``count``, TRS
``createPageHTML(N, …)``, gkmlpt/UCAP ``total``, Lonsun ``data-total``) decides how many
requests are queued; a hostile or broken page declaring ``count: 100000`` (or a number of
4,301 digits, which ``int()`` refuses) must not queue that many.  Every family parser reads such
counts through ``cap_count``, which never raises and never returns more than
``PAGE_COUNT_CAP`` (a setting, applied when the crawl opens; see crawler/settings.py).
"""
from __future__ import annotations

import logging
from typing import overload

logger = logging.getLogger(__name__)

#: the default of the PAGE_COUNT_CAP setting
DEFAULT_COUNT_CAP = 2000
_cap = DEFAULT_COUNT_CAP
# a count longer than this is absurd; int() of it would be slow or refused (4,300 digits)
_MAX_DIGITS = 12


def configure(settings) -> None:
    """Apply the crawl's PAGE_COUNT_CAP (called by ScopeMiddleware.from_crawler)."""
    global _cap
    _cap = max(1, settings.getint("PAGE_COUNT_CAP", DEFAULT_COUNT_CAP))


def count_cap() -> int:
    return _cap


@overload
def cap_count(value: object) -> int | None: ...
@overload
def cap_count(value: object, default: int) -> int: ...


def cap_count(value: object, default: int | None = None) -> int | None:
    """A count read from a page as an int in 0…PAGE_COUNT_CAP; ``default`` when it is missing
    or not a number.  Negative counts read as 0; larger ones are cut to the cap (logged)."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        n = value
    else:
        text = str(value).strip() if value is not None else ""
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if not digits.isascii() or not digits.isdigit():
            return default
        if len(digits.lstrip("0")) > _MAX_DIGITS:
            n = sign * (_cap + 1)
        else:
            n = sign * int(digits)
    if n < 0:
        return 0
    if n > _cap:
        logger.warning("a page declares a count of %s; capped at PAGE_COUNT_CAP=%d (raise the setting "
                       "if a portal really lists that many)", str(value)[:20], _cap)
        return _cap
    return n
