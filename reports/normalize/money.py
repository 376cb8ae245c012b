"""Money cells of table 二: the unit a report states, and the 万元 column of the 2021 form.

2019 采购总金额 has no unit in the national form; the unit is read from the cell
("20.001万元", "79000.1元") or else from the header ("采购总金额(单位:万元,保留4位小数)") and
kept beside the amount. The 2021 本年收费金额 column is in 万元 by definition; a report that
writes the amount in 元 there ("380元") has it converted, and the conversion is flagged.
"""

from __future__ import annotations

from typing import Any

from .values import Reading

_YUAN_PER_WAN = 10_000
# Decimal places kept after converting 元 to 万元 (1 元 = 0.0001 万元).
_WAN_DECIMALS = 6


def settle_money(
    row: dict[str, Any],
    row_key: str,
    readings: dict[str, Reading | None],
    header_unit: str | None,
    flags: list[str],
) -> None:
    """Fix up the money cells of one stored table-二 row in place."""
    if row_key == "procurement":
        amount = readings.get("amount")
        row["amount_unit"] = (
            amount.unit if amount is not None and amount.unit else None
        ) or header_unit
    fee = readings.get("amount_wan_yuan")
    if fee is not None and row.get("amount_wan_yuan") is not None:
        unit = fee.unit or header_unit
        if unit == "元":
            row["amount_wan_yuan"] = round(row["amount_wan_yuan"] / _YUAN_PER_WAN, _WAN_DECIMALS)
            flags.append(f"amount in 元 converted to 万元: active.{row_key}.amount_wan_yuan")
