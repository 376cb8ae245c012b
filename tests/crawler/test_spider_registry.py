"""SITES_FILE entries: the illustrative family entries load, override by name, clear errors."""

from __future__ import annotations

import json

import pytest

from crawler.families import FAMILIES
from crawler.registry import LEVELS, RegistryError, UnknownSiteError, get_site, load_sites
from simulator import ILLUSTRATIVE_SITES


def test_illustrative_entries_are_valid_and_not_in_the_builtin_registry():
    sites = load_sites([ILLUSTRATIVE_SITES])
    illustrative = {n: s for n, s in sites.items() if not n.isdigit()}
    assert len(illustrative) >= 3
    for site in illustrative.values():
        assert site.start_url.startswith(("http://", "https://"))
        assert site.level in LEVELS
        assert site.family is None or site.family in FAMILIES
    # the placeholders are the simulator's, never part of the real registry
    assert not set(illustrative) & set(load_sites())


def test_extra_file_adds_and_overrides(tmp_path):
    extra = tmp_path / "sim.json"
    extra.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "name": "sim-hanweb",
                        "start_url": "http://127.0.0.1:9001/",
                        "family": "hanweb",
                    },
                    {
                        "name": "jx-hk-county",
                        "start_url": "http://127.0.0.1:9002/",
                        "family": "trs",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    files = [ILLUSTRATIVE_SITES, extra]
    assert get_site("sim-hanweb", files).start_url == "http://127.0.0.1:9001/"
    assert get_site("jx-hk-county", files).start_url == "http://127.0.0.1:9002/"


def test_unknown_name_lists_known_names():
    with pytest.raises(UnknownSiteError) as exc:
        get_site("no-such-site", [ILLUSTRATIVE_SITES])
    assert "no-such-site" in str(exc.value) and "zj-xx-county" in str(exc.value)


def test_bad_family_is_rejected(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "x", "start_url": "http://x/", "family": "wordpress"}]))
    with pytest.raises(RegistryError, match="family 'wordpress'"):
        load_sites([bad])


def test_bad_code_and_unreadable_file_are_rejected(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "x", "start_url": "http://x/", "code": "3701"}]))
    with pytest.raises(RegistryError, match="code '3701'"):
        load_sites([bad])
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"SITES_FILE .*broken.json"):
        load_sites([broken])
