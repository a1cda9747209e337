"""The legal instruments the export rules cite, as records.

Source: the research note on cross-border data (shared/research/cross-border-data.md); a URL is
given only where that note records one. Where a record goes beyond the note, its ``note`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    name_zh: str
    name_en: str
    issuer: str
    number: str | None
    effective_from: date
    displaced_from: date | None = None
    """First day on which a later instrument prevails over this one, wholly or in part."""
    displacement: str = ""
    url: str | None = None
    note: str = ""
    number_zh: str | None = None
    """``number`` as the Chinese text gives it (文号)."""

    @property
    def citation(self) -> str:
        """How a decision's basis names the instrument."""
        return f"{self.name_en} ({self.number})" if self.number else self.name_en

    @property
    def citation_zh(self) -> str:
        """How a decision's basis names the instrument in Chinese."""
        return (
            f"《{self.name_zh}》（{self.number_zh}）" if self.number_zh else f"《{self.name_zh}》"
        )


PIPL = Instrument(
    key="pipl",
    name_zh="中华人民共和国个人信息保护法",
    name_en="Personal Information Protection Law of the PRC",
    issuer="NPC Standing Committee",
    number="Presidential Order No. 91",
    number_zh="中华人民共和国主席令第91号",
    effective_from=date(2021, 11, 1),
    note="Order number and effective date are not in the research note (well-known facts).",
)

DSL = Instrument(
    key="dsl",
    name_zh="中华人民共和国数据安全法",
    name_en="Data Security Law of the PRC",
    issuer="NPC Standing Committee",
    number="Presidential Order No. 84",
    number_zh="中华人民共和国主席令第84号",
    effective_from=date(2021, 9, 1),
    note="Order number and effective date are not in the research note (well-known facts).",
)

SECURITY_ASSESSMENT_MEASURES = Instrument(
    key="sa-measures-2022",
    name_zh="数据出境安全评估办法",
    name_en="Measures for the Security Assessment of Data Exports",
    issuer="Cyberspace Administration of China (CAC)",
    number="CAC Order No. 11",
    number_zh="国家互联网信息办公室令第11号",
    effective_from=date(2022, 9, 1),
    displaced_from=date(2024, 3, 22),
    displacement="In part: CAC Order No. 16 prevails where they conflict (its Art 13).",
)

STANDARD_CONTRACT_MEASURES = Instrument(
    key="scc-measures-2023",
    name_zh="个人信息出境标准合同办法",
    name_en="Measures on the Standard Contract for the Export of Personal Information",
    issuer="Cyberspace Administration of China (CAC)",
    number="CAC Order No. 13",
    number_zh="国家互联网信息办公室令第13号",
    effective_from=date(2023, 6, 1),
    displaced_from=date(2024, 3, 22),
    displacement="In part: CAC Order No. 16 prevails where they conflict (its Art 13).",
)

CROSS_BORDER_PROVISIONS = Instrument(
    key="provisions-2024",
    name_zh="促进和规范数据跨境流动规定",
    name_en="Provisions on Promoting and Regulating Cross-Border Data Flows",
    issuer="Cyberspace Administration of China (CAC)",
    number="CAC Order No. 16",
    number_zh="国家互联网信息办公室令第16号",
    effective_from=date(2024, 3, 22),
    url="https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm",
)

NETWORK_DATA_REGULATIONS = Instrument(
    key="ndsmr-2025",
    name_zh="网络数据安全管理条例",
    name_en="Network Data Security Management Regulations",
    issuer="State Council",
    number="State Council Decree No. 790",
    number_zh="中华人民共和国国务院令第790号",
    effective_from=date(2025, 1, 1),
)

CERTIFICATION_MEASURES = Instrument(
    key="certification-measures-2026",
    name_zh="个人信息出境认证办法",
    name_en="Measures for the Certification of Personal Information Exports",
    issuer="CAC and State Administration for Market Regulation (SAMR)",
    number="CAC/SAMR Order No. 20",
    number_zh="国家互联网信息办公室 国家市场监督管理总局令第20号",
    effective_from=date(2026, 1, 1),
    url="https://www.cac.gov.cn/2025-10/17/c_1762449729745366.htm",
    note="Published 14 Oct 2025 (CAC release of 17 Oct 2025).",
)

SECURITY_ASSESSMENT_GUIDE_2 = Instrument(
    key="sa-guide-2",
    name_zh="数据出境安全评估申报指南（第二版）",
    name_en="Guide to Declaring Data Export Security Assessments (2nd edition)",
    issuer="Cyberspace Administration of China (CAC)",
    number=None,
    effective_from=date(2024, 3, 22),
    note="Declarations are filed online at sjcj.cac.gov.cn.",
)

SECURITY_ASSESSMENT_GUIDE_3 = Instrument(
    key="sa-guide-3",
    name_zh="数据出境安全评估申报指南（第三版）",
    name_en="Guide to Declaring Data Export Security Assessments (3rd edition)",
    issuer="Cyberspace Administration of China (CAC)",
    number=None,
    effective_from=date(2025, 6, 27),
    note="Known here only through a law-firm (Hunton) summary.",
)

STANDARD_CONTRACT_GUIDE_2 = Instrument(
    key="scc-guide-2",
    name_zh="个人信息出境标准合同备案指南（第二版）",
    name_en="Guide to Filing the Standard Contract for the Export of Personal Information "
    "(2nd edition)",
    issuer="Cyberspace Administration of China (CAC)",
    number=None,
    effective_from=date(2024, 3, 22),
    note="The research note gives no date; taken as released with CAC Order No. 16 and the "
    "second-edition security assessment guide on 22 Mar 2024 (unverified).",
)

LINGANG_CLASSIFICATION_MEASURES = Instrument(
    key="lingang-classification-2024",
    name_zh="中国（上海）自由贸易试验区临港新片区数据跨境流动分类分级管理办法（试行）",
    name_en="Measures for the Classified and Graded Management of Cross-Border Data Flows in "
    "the Lin-gang Special Area (trial)",
    issuer="Lin-gang Special Area Administration, China (Shanghai) Pilot Free Trade Zone",
    number=None,
    effective_from=date(2024, 1, 19),
    note="Release date per the research note; the Chinese title as commonly cited, not checked "
    "against the official text.",
)

SHANGHAI_FTZ_LIST_MEASURES = Instrument(
    key="shanghai-ftz-list-2024",
    name_zh="中国（上海）自由贸易试验区及临港新片区数据出境管理清单（负面清单）（2024版）及管理办法（试行）",
    name_en="Shanghai FTZ and Lin-gang Data Export Negative List (2024 edition) and its "
    "management measures (trial)",
    issuer="Shanghai CAC, Shanghai Data Administration, Shanghai DRC, Shanghai FTZ and "
    "Lin-gang administrative committees",
    number=None,
    effective_from=date(2025, 2, 8),
    note="Released 8 Feb 2025 (not in 2024); the Chinese title is a description, not checked "
    "against the official text.",
)

INSTRUMENTS: tuple[Instrument, ...] = (
    PIPL,
    DSL,
    SECURITY_ASSESSMENT_MEASURES,
    STANDARD_CONTRACT_MEASURES,
    CROSS_BORDER_PROVISIONS,
    NETWORK_DATA_REGULATIONS,
    CERTIFICATION_MEASURES,
    SECURITY_ASSESSMENT_GUIDE_2,
    SECURITY_ASSESSMENT_GUIDE_3,
    STANDARD_CONTRACT_GUIDE_2,
    LINGANG_CLASSIFICATION_MEASURES,
    SHANGHAI_FTZ_LIST_MEASURES,
)
