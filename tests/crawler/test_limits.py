"""The bounds of what a page makes the crawl do: settings, read in one place (crawler/limits.py)."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler import limits
from crawler import settings as defaults
from crawler.discovery import endpoints
from crawler.families.api import Call


@pytest.fixture
def configured():
    def apply(**values):
        limits.configure(Settings(values))

    yield apply
    limits.configure(Settings())  # the defaults of crawler/settings.py again


def test_every_bound_defaults_to_its_setting():
    assert set(limits.SETTINGS) == {
        "PAGE_COUNT_CAP",
        "ENDPOINT_MAX_PAGES",
        "LISTING_MAX_PLANNED_PAGES",
        "MAX_ATTACHMENT_BYTES",
    }
    for name, default in limits.SETTINGS.items():
        assert default == getattr(defaults, name)


def test_an_endpoint_is_asked_no_further_than_its_setting(configured):
    configured(ENDPOINT_MAX_PAGES=3)
    call: Call | None = Call("http://www.xx.gov.cn/api/list?pageNo=1&size=10", endpoints.FAMILY)
    pages = []
    while call is not None:
        pages.append(call.page)
        call = endpoints.next_call(call)
    assert pages == [1, 2, 3]


def test_the_count_cap_also_bounds_the_other_page_limits(configured):
    configured(PAGE_COUNT_CAP=5, ENDPOINT_MAX_PAGES=50, LISTING_MAX_PLANNED_PAGES=50)
    assert limits.endpoint_pages() == 5 and limits.planned_pages() == 5
    configured(MAX_ATTACHMENT_BYTES=1024)
    assert limits.attachment_bytes() == 1024


@pytest.mark.parametrize(
    "name,value",
    [
        ("ENDPOINT_MAX_PAGES", "0"),
        ("LISTING_MAX_PLANNED_PAGES", "many"),
        ("MAX_ATTACHMENT_BYTES", "-1"),
        ("PAGE_COUNT_CAP", ""),
    ],
)
def test_a_broken_bound_is_named_with_its_fix(name, value):
    problem = limits.problem(Settings({name: value}))
    assert problem is not None and problem.startswith(f"{name}={value!r}")
    assert "at least 1" in problem
    assert limits.problem(Settings()) is None
