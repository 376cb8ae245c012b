"""Portal simulator: realistic county government portals on 127.0.0.1 with ground truth.

    from simulator import Simulator
    with Simulator().running() as live:
        live.portals, live.reports, live.non_reports, live.requests

Generated portals (simulator/procedural/): ``Simulator(portals=generated_portals(range(30)))``.
"""

from pathlib import Path

from .model import PortalInfo, ReportTruth
from .procedural import generated_portals
from .server import Live, RequestRecord, Simulator

#: Illustrative registry entries, one per CMS family, on placeholder domains: what a SITES_FILE
#: entry looks like for each family (tests load it as SITES_FILE; nothing crawls these hosts).
#: The real registry is crawler/registry/counties.csv.
ILLUSTRATIVE_SITES = Path(__file__).with_name("sites.json")

__all__ = [
    "ILLUSTRATIVE_SITES",
    "Live",
    "PortalInfo",
    "ReportTruth",
    "RequestRecord",
    "Simulator",
    "generated_portals",
]
