"""The site registry: built-in sites.json, SITES_FILE overrides, clear errors."""
from __future__ import annotations

import json

import pytest

from crawler.families import FAMILIES
from crawler.registry import LEVELS, UnknownSiteError, get_site, load_sites


def test_builtin_entries_are_valid():
    sites = load_sites()
    assert len(sites) >= 3
    for site in sites.values():
        assert site.start_url.startswith(("http://", "https://"))
        assert site.level in LEVELS
        assert site.family is None or site.family in FAMILIES


def test_extra_file_adds_and_overrides(tmp_path):
    extra = tmp_path / "sim.json"
    extra.write_text(json.dumps({"sites": [
        {"name": "sim-hanweb", "start_url": "http://127.0.0.1:9001/", "family": "hanweb"},
        {"name": "jx-hk-county", "start_url": "http://127.0.0.1:9002/", "family": "trs"},
    ]}), encoding="utf-8")
    assert get_site("sim-hanweb", [extra]).start_url == "http://127.0.0.1:9001/"
    assert get_site("jx-hk-county", [extra]).start_url == "http://127.0.0.1:9002/"


def test_unknown_name_lists_known_names():
    with pytest.raises(UnknownSiteError) as exc:
        get_site("no-such-site")
    assert "no-such-site" in str(exc.value) and "zj-xx-county" in str(exc.value)


def test_bad_family_is_rejected(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "x", "start_url": "http://x/", "family": "wordpress"}]))
    with pytest.raises(ValueError, match="family 'wordpress'"):
        load_sites([bad])
