"""The reasons the decision steps give, as pairs of English and Chinese templates.

A template is filled with ``render``; a value that is itself a ``Text`` is put in each language's
own wording, any other value (counts, dates, a country code, free text from the request) is put
in both as is, so numbers read the same in both languages (``{count:,}`` gives ``1,000,000``).
The Chinese follows the wording of the CAC texts (个人信息出境标准合同, 数据出境安全评估,
关键信息基础设施运营者, 敏感个人信息, 自1月1日起累计, 重要数据, 核心数据).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from digitrade.core.text import Text

TEMPLATES: Mapping[str, Text] = MappingProxyType(
    {
        # Step 1: is it an export?
        "export.remote-access": Text(
            "Overseas parties (recipient in {country}) can query, retrieve, download or export "
            "data stored in China: remote access counts as an export even if nothing is "
            "transmitted",
            "境外机构、组织或者个人（接收方位于{country}）可以查询、调取、下载、导出存储在境内的"
            "数据：即使未实际传输，境外远程访问亦属于数据出境",
        ),
        "export.transmitted": Text(
            "The data is transmitted or stored outside mainland China (recipient in {country}): "
            "an export",
            "数据被传输或者存储至境外（接收方位于{country}）：属于数据出境",
        ),
        # Step 2: core data
        "core-data": Text(
            "The data includes core data: outside the three export pathways; block the export "
            "and escalate",
            "数据包含核心数据：不适用三种数据出境路径（数据出境安全评估、个人信息出境标准合同、"
            "个人信息保护认证）；应当阻止出境并上报",
        ),
        # Step 3: important data
        "important-data": Text(
            "The data includes important data notified or publicly released as such: a security "
            "assessment whatever the volume",
            "数据包含经有关部门、地区告知或者公开发布的重要数据：无论数量多少，均应当申报"
            "数据出境安全评估",
        ),
        "important-data.exemption": Text(
            "The {purpose} exemption does not cover important data",
            "“{purpose}”免予申报的情形不适用于重要数据",
        ),
        "important-data.re-export": Text(
            "Re-exports are exempt only when no important data from China is added",
            "境外收集的个人信息在境内处理后向境外提供，仅在未引入境内个人信息或者重要数据时方可"
            "免予申报",
        ),
        # Step 4: neither PI nor important data
        "no-personal-or-important-data": Text(
            "The data contains no PI and no important data. {summary}",
            "数据不包含个人信息和重要数据。{summary}",
        ),
        # Step 5: transit
        "transit.not-collected-abroad": Text(
            "The purpose is transit, but the request does not say the PI was collected abroad "
            "(data.collected_abroad): the transit exemption does not apply",
            "目的为过境传输，但请求未说明个人信息系在境外收集（data.collected_abroad）："
            "不适用境外收集个人信息再出境的免予申报情形",
        ),
        "transit.what": Text("re-exported PI collected abroad", "境外收集后再出境的个人信息"),
        # Step 6: necessity exemptions
        "necessity.contract": Text(
            "{summary} (contract: {contract_type})", "{summary}（合同：{contract_type}）"
        ),
        "necessity.what": Text("the {purpose} purpose", "“{purpose}”情形"),
        # Step 7: free trade zone lists
        "ftz.off-list": Text(
            "Registered in a pilot free trade zone, sector ({sector}) covered by a published "
            "list, and the data is off the list: exempt",
            "在自由贸易试验区内注册，所属领域（{sector}）已有公布的负面清单，且数据不在清单内："
            "免予申报数据出境安全评估、订立个人信息出境标准合同、通过个人信息保护认证",
        ),
        "ftz.on-list": Text(
            "Registered in a pilot free trade zone, sector ({sector}) covered by a published list, "
            "and the data is on the list: the matched row prescribes {requirement}",
            "在自由贸易试验区内注册，所属领域（{sector}）已有公布的负面清单，且数据在清单内："
            "所匹配的清单条目要求{requirement}",
        ),
        "ftz.sector-not-stated": Text("not stated", "未说明"),
        "ftz.not-registered": Text(
            "The list match is not used: the processor is not registered in a pilot FTZ",
            "不适用清单匹配结果：数据处理者未在自由贸易试验区内注册",
        ),
        "ftz.ciio": Text(
            "The list match is not used: CIIOs are outside FTZ lists; the general rules apply",
            "不适用清单匹配结果：关键信息基础设施运营者不适用自由贸易试验区负面清单，适用一般规定",
        ),
        "ftz.what": Text("free trade zone lists", "自由贸易试验区负面清单"),
        # Step 8: CIIOs
        "ciio": Text(
            "The processor is a CIIO exporting PI: a security assessment whatever the volume",
            "数据处理者为关键信息基础设施运营者，向境外提供个人信息：无论数量多少，均应当申报"
            "数据出境安全评估",
        ),
        "ciio.exemption-prevails": Text(
            "The processor is a CIIO; the exemption still applies",
            "数据处理者为关键信息基础设施运营者；仍适用该免予申报情形",
        ),
        # Step 9: volume tiers
        "volume.counted": Text(
            "Counted since {since}: {individuals:,} individuals' non-sensitive PI ({earlier:,} "
            "earlier + {current:,} in this transfer) and {sensitive:,} individuals' sensitive PI "
            "({earlier_sensitive:,} earlier + {current_sensitive:,} in this transfer)",
            "自{since}起累计：非敏感个人信息{individuals:,}人（此前{earlier:,}人 + 本次{current:,}"
            "人），敏感个人信息{sensitive:,}人（此前{earlier_sensitive:,}人 + 本次"
            "{current_sensitive:,}人）",
        ),
        "volume.label.added": Text(
            "individuals' PI (both counts added)", "个人信息（两项人数相加）"
        ),
        "volume.label.non-sensitive": Text("individuals' non-sensitive PI", "非敏感个人信息"),
        "volume.at-or-above": Text(
            "{counted:,} {label} is at or above {threshold:,} (以上 includes the threshold)",
            "{label}{counted:,}人，达到{threshold:,}人以上（“以上”含本数）",
        ),
        "volume.sensitive-at-or-above": Text(
            "{sensitive:,} individuals' sensitive PI is at or above {threshold:,} (以上 includes "
            "the threshold)",
            "敏感个人信息{sensitive:,}人，达到{threshold:,}人以上（“以上”含本数）",
        ),
        "volume.security-assessment": Text(
            "{parts}: a security assessment", "{parts}：应当申报数据出境安全评估"
        ),
        "volume.exempt": Text(
            "{counted:,} {label} is below {threshold:,} (不满 excludes the threshold) and no "
            "sensitive PI: exempt for a non-CIIO",
            "{label}{counted:,}人，不满{threshold:,}人（“不满”不含本数），且无敏感个人信息："
            "关键信息基础设施运营者以外的数据处理者免予申报数据出境安全评估、订立个人信息出境"
            "标准合同、通过个人信息保护认证",
        ),
        "volume.no-exemption": Text(
            "Below the security assessment triggers ({individuals:,} individuals, {sensitive:,} "
            "sensitive); there is no volume exemption",
            "未达到申报数据出境安全评估的标准（个人信息{individuals:,}人、敏感个人信息"
            "{sensitive:,}人）；不存在按数量免予申报的情形",
        ),
        "volume.contract-band": Text(
            "{counted:,} {label} is at or above {lower:,} and below {upper:,}",
            "{label}{counted:,}人，达到{lower:,}人以上、不满{upper:,}人",
        ),
        "volume.sensitive-band": Text(
            "{sensitive:,} individuals' sensitive PI is between {lower:,} and {upper:,}",
            "敏感个人信息{sensitive:,}人，在{lower:,}人至{upper:,}人之间",
        ),
        "volume.certification-route": Text(
            " or certification ({instrument}, {article})",
            "或者通过个人信息保护认证（{instrument}，{article}）",
        ),
        "volume.standard-contract": Text(
            "{parts}: a standard contract{route}", "{parts}：应当订立个人信息出境标准合同{route}"
        ),
        # Rules not yet in force
        "not-yet-in-force": Text(
            "Not in force on {as_of} (from {effective_from}): no exemption for {what} on that date",
            "{as_of}尚未施行（自{effective_from}起施行）：该日不适用针对{what}的免予申报规定",
        ),
        # Step 10: PIPL Art 42
        "restricted-recipients": Text(
            "Check that the recipient in {country} is not on the PIPL Art 42 restricted list. The "
            "recipient country does not change the pathway (China keeps no adequacy list); weigh "
            "its laws in the PIPIA",
            "核实位于{country}的境外接收方未被列入个人信息保护法第42条规定的限制或者禁止个人信息"
            "提供清单。接收方所在国家或者地区不改变数据出境路径（我国未设立充分性认定名单）；"
            "应当在个人信息保护影响评估中评估其法律环境",
        ),
    }
)


# How the request's enumerations read in a reason.
PURPOSES: Mapping[str, Text] = MappingProxyType(
    {
        "contract_with_individual": Text(
            "contract_with_individual", "为订立、履行个人作为一方当事人的合同所必需"
        ),
        "hr_management": Text(
            "hr_management",
            "按照依法制定的劳动规章制度和依法签订的集体合同实施跨境人力资源管理所必需",
        ),
        "emergency": Text("emergency", "紧急情况下为保护自然人的生命健康和财产安全所必需"),
        "statutory_duty": Text("statutory_duty", "为履行法定职责或者法定义务所必需"),
        "transit": Text("transit", "过境传输"),
        "other": Text("other", "其他"),
    }
)
FTZ_REQUIREMENTS: Mapping[str, Text] = MappingProxyType(
    {
        "security_assessment": Text("security_assessment", "申报数据出境安全评估"),
        "standard_contract_or_certification": Text(
            "standard_contract_or_certification",
            "订立个人信息出境标准合同或者通过个人信息保护认证",
        ),
    }
)


def render(key: str, **values: object) -> Text:
    """The template ``key`` filled with ``values`` in both languages."""
    template = TEMPLATES[key]
    return Text(
        template.en.format(**{name: _in(value, "en") for name, value in values.items()}),
        template.zh.format(**{name: _in(value, "zh") for name, value in values.items()}),
    )


def article_zh(article: str) -> str:
    """An article reference as Chinese cites it: "Art 38(2)" reads 第38条第（2）项, "eligibility
    (适用情形)" its Chinese part; anything else as is."""
    numbered = re.fullmatch(r"Art (\d+)(?:\((\d+)\))?", article)
    if numbered:
        item = f"第（{numbered[2]}）项" if numbered[2] else ""
        return f"第{numbered[1]}条{item}"
    chinese = re.fullmatch(r"[^(]*\(([^)]*[\u4e00-\u9fff][^)]*)\)", article)
    return chinese[1] if chinese else article


def _in(value: object, language: str) -> object:
    if isinstance(value, Text):
        return value.en if language == "en" else value.zh
    return value
