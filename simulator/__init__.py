"""Portal simulator: realistic county government portals on 127.0.0.1 with ground truth.

    from simulator import Simulator
    with Simulator().running() as live:
        live.portals, live.reports, live.non_reports, live.requests

Generated portals (simulator/procedural/): ``Simulator(portals=generated_portals(range(30)))``.
"""
from .model import PortalInfo, ReportTruth
from .procedural import generated_portals
from .server import Live, RequestRecord, Simulator

__all__ = ["Live", "PortalInfo", "ReportTruth", "RequestRecord", "Simulator", "generated_portals"]
