"""Economies the monitor names: Shanghai, its districts and special areas, and the peers.

Sub-national codes: ``CN-SH`` is Shanghai's ISO 3166-2 code. A district is ``CN-SH-`` followed by
its six-digit administrative division code (GB/T 2260, as published by the Ministry of Civil
Affairs: 310115 is Pudong New Area). The special areas have no official code; the monitor uses
``CN-SH-LG`` (China (Shanghai) Pilot FTZ Lin-gang Special Area) and ``CN-SH-HQ`` (Hongqiao
International Central Business District), and says so wherever they appear.
National economies and aggregates use ISO 3166-1 alpha-3 and the World Bank's aggregate codes
(``WLD``), as the UNCTAD data do. Any other code is accepted and shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Economy:
    code: str
    name_en: str
    name_zh: str
    parent: str | None = None  # the economy it is part of (a district's city)
    official_code: bool = True  # False for the special areas' working codes


SHANGHAI = "CN-SH"

_ENTRIES: tuple[Economy, ...] = (
    Economy("WLD", "World", "世界"),
    Economy("CHN", "China", "中国"),
    Economy(SHANGHAI, "Shanghai", "上海市", "CHN"),
    Economy("CN-SH-310101", "Huangpu District", "黄浦区", SHANGHAI),
    Economy("CN-SH-310104", "Xuhui District", "徐汇区", SHANGHAI),
    Economy("CN-SH-310105", "Changning District", "长宁区", SHANGHAI),
    Economy("CN-SH-310106", "Jing'an District", "静安区", SHANGHAI),
    Economy("CN-SH-310107", "Putuo District", "普陀区", SHANGHAI),
    Economy("CN-SH-310109", "Hongkou District", "虹口区", SHANGHAI),
    Economy("CN-SH-310110", "Yangpu District", "杨浦区", SHANGHAI),
    Economy("CN-SH-310112", "Minhang District", "闵行区", SHANGHAI),
    Economy("CN-SH-310113", "Baoshan District", "宝山区", SHANGHAI),
    Economy("CN-SH-310114", "Jiading District", "嘉定区", SHANGHAI),
    Economy("CN-SH-310115", "Pudong New Area", "浦东新区", SHANGHAI),
    Economy("CN-SH-310116", "Jinshan District", "金山区", SHANGHAI),
    Economy("CN-SH-310117", "Songjiang District", "松江区", SHANGHAI),
    Economy("CN-SH-310118", "Qingpu District", "青浦区", SHANGHAI),
    Economy("CN-SH-310120", "Fengxian District", "奉贤区", SHANGHAI),
    Economy("CN-SH-310151", "Chongming District", "崇明区", SHANGHAI),
    Economy("CN-SH-LG", "Lin-gang Special Area", "临港新片区", SHANGHAI, official_code=False),
    Economy("CN-SH-HQ", "Hongqiao International CBD", "虹桥国际中央商务区", SHANGHAI, False),
    Economy("SGP", "Singapore", "新加坡"),
    Economy("IND", "India", "印度"),
    Economy("IRL", "Ireland", "爱尔兰"),
    Economy("USA", "United States", "美国"),
    Economy("GBR", "United Kingdom", "英国"),
    Economy("DEU", "Germany", "德国"),
    Economy("FRA", "France", "法国"),
    Economy("NLD", "Netherlands", "荷兰"),
    Economy("JPN", "Japan", "日本"),
    Economy("KOR", "Republic of Korea", "韩国"),
    Economy("HKG", "Hong Kong SAR, China", "中国香港"),
    Economy("ARE", "United Arab Emirates", "阿联酋"),
    Economy("CHE", "Switzerland", "瑞士"),
    Economy("LUX", "Luxembourg", "卢森堡"),
    Economy("ISR", "Israel", "以色列"),
    Economy("PHL", "Philippines", "菲律宾"),
    Economy("MYS", "Malaysia", "马来西亚"),
    Economy("THA", "Thailand", "泰国"),
    Economy("VNM", "Viet Nam", "越南"),
    Economy("AUS", "Australia", "澳大利亚"),
    Economy("CAN", "Canada", "加拿大"),
    Economy("BRA", "Brazil", "巴西"),
)

ECONOMIES: dict[str, Economy] = {economy.code: economy for economy in _ENTRIES}

# Peers the dashboard compares by default (the UNCTAD panel has them all).
DEFAULT_PEERS: tuple[str, ...] = ("CHN", "SGP", "IND", "IRL", "USA")

_CODE = re.compile(r"^(?:[A-Z][A-Z0-9]{2}|[A-Z0-9]{1,3}(?:-[A-Z0-9]{1,6}){1,3})$")


def valid_economy_code(code: str) -> bool:
    """ISO alpha-3 / aggregate codes, or a hyphenated sub-national code such as CN-SH-310115."""
    return bool(_CODE.match(code))


def economy_name(code: str, locale: str = "en") -> str:
    economy = ECONOMIES.get(code)
    if economy is None:
        return code
    return economy.name_zh if locale.startswith("zh") else economy.name_en


def districts_of(city: str = SHANGHAI) -> tuple[Economy, ...]:
    return tuple(economy for economy in _ENTRIES if economy.parent == city)
