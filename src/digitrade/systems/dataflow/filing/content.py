"""What each draft says, in English and Simplified Chinese. Every section cites its rule.

Instruments cited:
- PIPL: Personal Information Protection Law (in force 1 Nov 2021), Arts 39, 55, 56.
- SA Measures: Measures for the Security Assessment of Data Export (CAC Order No. 11, effective
  1 Sep 2022), Arts 5, 7, 8, 9, 12.
- SCC Measures: Measures for the Standard Contract for the Export of Personal Information (CAC
  Order No. 13, effective 1 Jun 2023), Arts 5, 6, 7.
- Provisions: Provisions on Promoting and Regulating Cross-Border Data Flows (CAC Order No. 16,
  effective 22 Mar 2024), Arts 9, 10, 11.
- SA Declaration Guide, 2nd edition (22 Mar 2024): the materials of a declaration.
"""

from __future__ import annotations

from digitrade.systems.dataflow.filing.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Paragraph,
    Questions,
    Section,
)
from digitrade.systems.dataflow.filing.model import CheckedInput, FilingPathway, Language

PIPIA_STEM = "pipia-report"
SCC_ANNEX_STEM = "scc-annex"
SA_OUTLINE_STEM = "sa-self-assessment"


def _(language: Language, english: str, chinese: str) -> str:
    return chinese if language is Language.ZH_HANS else english


def _gap(language: Language) -> str:
    return _(language, "[to be completed]", "【待填写】")


def _or_gap(language: Language, text: str) -> str:
    return text or _gap(language)


def _joined(language: Language, texts: tuple[str, ...]) -> str:
    return _(language, "; ", "；").join(texts) if texts else _gap(language)


def _people(language: Language, count: int) -> str:
    return _(language, f"{count:,} individuals", f"{count:,} 人")


def _notice(answers: CheckedInput) -> str:
    day = answers.decided_on.isoformat()
    return _(
        answers.language,
        f"DRAFT generated from your answers to the assessment of {day}. This is guidance, not "
        "legal advice: check every statement, complete each marked gap and have the document "
        "reviewed before you sign, submit or file it.",
        f"草稿：本文件根据您在 {day} 评估中的答复自动生成，仅供参考，不构成法律意见。签署、提交或"
        "备案前，请核对全部内容，补全标注的待填写事项，并经专业人员审核。",
    )


def _pathway_name(language: Language, pathway: FilingPathway) -> str:
    names = {
        FilingPathway.EXEMPT: (
            "Exempt from security assessment, standard contract and certification",
            "免于申报数据出境安全评估、订立个人信息出境标准合同、通过个人信息保护认证",
        ),
        FilingPathway.STANDARD_CONTRACT: (
            "Standard contract for the export of personal information (filing)",
            "个人信息出境标准合同（备案）",
        ),
        FilingPathway.CERTIFICATION: (
            "Personal information protection certification",
            "个人信息保护认证",
        ),
        FilingPathway.STANDARD_CONTRACT_OR_CERTIFICATION: (
            "Standard contract (filing) or personal information protection certification",
            "个人信息出境标准合同（备案）或个人信息保护认证",
        ),
        FilingPathway.SECURITY_ASSESSMENT: ("Data export security assessment", "数据出境安全评估"),
        FilingPathway.PROHIBITED: ("Prohibited", "禁止出境"),
    }
    english, chinese = names[pathway]
    return _(language, english, chinese)


def _parties(answers: CheckedInput) -> tuple[tuple[str, str], ...]:
    lang = answers.language
    return (
        (_(lang, "Exporter (data processor)", "数据处理者（出境方）"), answers.processor_name),
        (_(lang, "Overseas recipient", "境外接收方"), _or_gap(lang, answers.recipient_name)),
        (
            _(lang, "Recipient's country or region", "境外接收方所在国家或地区"),
            _or_gap(lang, answers.recipient_country),
        ),
        (_(lang, "Pathway decided", "确定的出境路径"), _pathway_name(lang, answers.pathway)),
        (_(lang, "Date of the assessment", "评估日期"), answers.decided_on.isoformat()),
    )


def _volumes(answers: CheckedInput) -> tuple[tuple[str, str], ...]:
    lang = answers.language
    return (
        (_(lang, "Purposes", "处理目的"), _joined(lang, answers.purposes)),
        (
            _(lang, "Categories of data exported", "出境数据的种类"),
            _joined(lang, answers.categories),
        ),
        (
            _(
                lang,
                "Individuals whose non-sensitive personal information is exported",
                "出境非敏感个人信息涉及的个人数量",
            ),
            _people(lang, answers.individuals),
        ),
        (
            _(
                lang,
                "Individuals whose sensitive personal information is exported",
                "出境敏感个人信息涉及的个人数量",
            ),
            _people(lang, answers.sensitive_individuals),
        ),
        (_(lang, "Retention period abroad", "境外保存期限"), _or_gap(lang, answers.retention)),
        (_(lang, "Storage location abroad", "境外保存地点"), _storage(answers)),
    )


def _storage(answers: CheckedInput) -> str:
    lang = answers.language
    if answers.storage_location:
        return answers.storage_location
    if answers.recipient_country:
        return _(
            lang,
            f"{answers.recipient_country} (assumed from the recipient's country; confirm)",
            f"{answers.recipient_country}（按境外接收方所在地推定，请确认）",
        )
    return _gap(lang)


def _basis_section(answers: CheckedInput, number: tuple[str, str] | None = None) -> Section:
    """The reasons the pathway engine gave, as it printed them."""
    lang = answers.language
    lines = answers.basis_lines or (_gap(lang),)
    heading = _(lang, "Basis of the pathway decision", "出境路径判定依据")
    if number:
        heading = _(lang, f"{number[0]}. {heading}", f"{number[1]}、{heading}")
    return Section(heading, (Bullets(lines),))


# --- PIPIA report -------------------------------------------------------------------------


def pipia_report(answers: CheckedInput) -> Document:
    """Outline of a personal information protection impact assessment report.

    PIPL Art 55(4) requires the assessment before personal information is provided abroad;
    Art 56 sets its three contents; the SCC Measures Art 5 list what it must weigh for an
    export, which the certification and exempt cases use as a checklist too.
    """
    lang = answers.language
    country = _or_gap(lang, answers.recipient_country)
    sections: list[Section] = [
        Section(
            _(lang, "1. Overview", "一、基本情况"),
            (
                Facts(_parties(answers)),
                Paragraph(
                    _(
                        lang,
                        "A personal information protection impact assessment is required before "
                        "personal information is provided outside China, and its report and the "
                        "processing records are kept for at least three years.",
                        "向境外提供个人信息前，应当事前进行个人信息保护影响评估；评估报告和处理情况"
                        "记录应当至少保存三年。",
                    )
                ),
            ),
            basis=_(
                lang, "PIPL Art 55(4), Art 56", "《个人信息保护法》第五十五条第（四）项、第五十六条"
            ),
        ),
        Section(
            _(lang, "2. Purpose, scope and method of processing", "二、处理目的、范围和方式"),
            (
                Facts(_volumes(answers)),
                Questions(
                    (
                        _(
                            lang,
                            "Are the purposes and methods of processing by the exporter and by the "
                            "recipient lawful, legitimate and necessary? Explain why each purpose "
                            "needs the export.",
                            "出境方和境外接收方处理个人信息的目的、方式等是否合法、正当、必要？请说明"
                            "各项目的为何需要出境。",
                        ),
                        _(
                            lang,
                            "Is the scope (categories, number of individuals, frequency) "
                            "the minimum the purposes need?",
                            "出境范围（种类、人数、频次）是否为实现处理目的所必需的最小范围？",
                        ),
                        _(
                            lang,
                            "What is the legal basis for the processing, and how were individuals "
                            "told of the recipient, its contact details, the purposes, methods and "
                            "categories and how to exercise their rights; where consent is the "
                            "basis, how was separate consent obtained?",
                            "个人信息处理的合法性基础是什么？如何向个人告知境外接收方的名称、联系方式、"
                            "处理目的、处理方式、个人信息种类以及行使权利的方式？以同意为基础的，如何"
                            "取得单独同意？",
                        ),
                    )
                ),
            ),
            basis=_(
                lang,
                "PIPL Art 56(1); PIPL Art 39; SCC Measures Art 5(1)",
                "《个人信息保护法》第五十六条第（一）项、第三十九条；《个人信息出境标准合同办法》"
                "第五条第（一）项",
            ),
        ),
        Section(
            _(lang, "3. Impact on individuals' rights and interests", "三、对个人权益的影响"),
            (
                Facts(
                    (
                        (
                            _(
                                lang,
                                "Sensitive personal information involved",
                                "是否涉及敏感个人信息",
                            ),
                            _sensitive_summary(answers),
                        ),
                    )
                ),
                Questions(
                    (
                        _(
                            lang,
                            "Given the scale, categories and sensitivity of the data, how "
                            "could the export affect individuals' rights and interests?",
                            "结合出境个人信息的规模、种类和敏感程度，个人信息出境可能对个人权益带来哪些"
                            "影响？",
                        ),
                        _(
                            lang,
                            "Are the channels through which individuals exercise their rights "
                            "against the recipient open and effective?",
                            "个人向境外接收方维护个人信息权益的渠道是否通畅、有效？",
                        ),
                    )
                ),
            ),
            basis=_(
                lang,
                "PIPL Art 56(2); SCC Measures Art 5(2), (4)",
                "《个人信息保护法》第五十六条第（二）项；《个人信息出境标准合同办法》第五条第（二）"
                "项、第（四）项",
            ),
        ),
        Section(
            _(lang, "4. Security risks", "四、安全风险"),
            (
                Questions(
                    (
                        _(
                            lang,
                            "What obligations does the recipient undertake, and can its management "
                            "and technical measures and capability keep the data secure?",
                            "境外接收方承诺承担哪些义务？其履行义务的管理和技术措施、能力等能否保障出境"
                            "个人信息的安全？",
                        ),
                        _(
                            lang,
                            "What are the risks of the data being tampered with, destroyed, "
                            "leaked, lost or illegally used after the export?",
                            "个人信息出境后遭到篡改、破坏、泄露、丢失、非法利用等的风险如何？",
                        ),
                        _(
                            lang,
                            "How do the personal information protection policies and laws of "
                            f"{country} affect performance of the "
                            "contract with the recipient?",
                            f"{country}的个人信息保护政策和法规对与"
                            "境外接收方所订合同的履行有何影响？",
                        ),
                        _(
                            lang,
                            "Is the recipient, or its country, subject to any restriction on "
                            "receiving personal information from China?",
                            "境外接收方或其所在国家、地区是否受到向其提供个人信息的限制或禁止措施？",
                        ),
                    )
                ),
            ),
            basis=_(
                lang,
                "PIPL Art 56(2); SCC Measures Art 5(3)-(6); PIPL Art 42",
                "《个人信息保护法》第五十六条第（二）项、第四十二条；《个人信息出境标准合同办法》"
                "第五条第（三）至（六）项",
            ),
        ),
        Section(
            _(lang, "5. Protection measures", "五、保护措施"),
            (
                Questions(
                    (
                        _(
                            lang,
                            "Which measures protect the data (encryption in transit and at rest, "
                            "access control, de-identification, contractual safeguards, incident "
                            "response, staff training)?",
                            "采取了哪些保护措施（传输和存储加密、访问控制、去标识化、合同约束、应急处置、"
                            "人员培训等）？",
                        ),
                        _(
                            lang,
                            "Are these measures lawful, effective and proportionate to the risks "
                            "found above?",
                            "上述措施是否合法、有效并与风险程度相适应？",
                        ),
                        _(
                            lang,
                            "How will security incidents be handled and reported after the export?",
                            "出境后发生安全事件的，如何处置和报告？",
                        ),
                    )
                ),
            ),
            basis=_(
                lang,
                "PIPL Art 56(3); Provisions Arts 10-11",
                "《个人信息保护法》第五十六条第（三）项；《促进和规范数据跨境流动规定》第十条、"
                "第十一条",
            ),
        ),
        Section(
            _(lang, "6. Conclusion and record keeping", "六、评估结论与记录保存"),
            (
                Questions((_(lang, "Conclusion of the assessment", "评估结论"),)),
                Bullets(_pipia_next_steps(answers)),
            ),
            basis=_(lang, "PIPL Art 56 para 2", "《个人信息保护法》第五十六条第二款"),
        ),
        _basis_section(answers, ("7", "七")),
    ]
    return Document(
        file_stem=PIPIA_STEM,
        language=lang,
        title=_(
            lang,
            "Personal information protection impact assessment report (export of personal "
            "information)",
            "个人信息保护影响评估报告（个人信息出境）",
        ),
        notice=_notice(answers),
        sections=tuple(sections),
        answer_placeholder=_gap(lang),
        dated=answers.decided_on,
    )


def _sensitive_summary(answers: CheckedInput) -> str:
    lang = answers.language
    if answers.sensitive_individuals:
        return _(
            lang,
            f"Yes: {_people(lang, answers.sensitive_individuals)}",
            f"是：{_people(lang, answers.sensitive_individuals)}",
        )
    return _(lang, "No", "否")


def _pipia_next_steps(answers: CheckedInput) -> tuple[str, ...]:
    lang = answers.language
    steps = [
        _(
            lang,
            "Keep this report and the processing records for at least three years.",
            "本报告和处理情况记录至少保存三年。",
        ),
    ]
    if answers.pathway in (
        FilingPathway.STANDARD_CONTRACT,
        FilingPathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    ):
        steps.append(
            _(
                lang,
                "Standard contract: file this report with the contract at the provincial "
                "cyberspace administration within 10 working days of the contract taking effect "
                "(SCC Measures Art 7).",
                "标准合同：自标准合同生效之日起10个工作日内，将本报告与标准合同一并向所在地省级网信"
                "部门备案（《个人信息出境标准合同办法》第七条）。",
            )
        )
    if answers.pathway in (
        FilingPathway.CERTIFICATION,
        FilingPathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    ):
        steps.append(
            _(
                lang,
                "Certification: complete this assessment before applying to the certification "
                "body (Measures for Certification of PI Outbound Transfer, effective 1 Jan 2026).",
                "认证：申请认证前应完成本评估（《个人信息出境认证办法》，自2026年1月1日起施行）。",
            )
        )
    if answers.pathway is FilingPathway.SECURITY_ASSESSMENT:
        steps.append(
            _(
                lang,
                "Security assessment: use this report's findings in the data export risk "
                "self-assessment report (SA Measures Art 5).",
                "安全评估：本报告的结论应纳入数据出境风险自评估报告（《数据出境安全评估办法》第五条）。",
            )
        )
    return tuple(steps)


# --- standard contract annex --------------------------------------------------------------


def scc_annex(answers: CheckedInput) -> Document:
    """The description of the transfer that the standard contract's annex asks for.

    The contract itself is the CAC template, used as published (SCC Measures Art 6).
    """
    lang = answers.language
    sensitive = (
        _(
            lang,
            f"{_people(lang, answers.sensitive_individuals)}; categories: {_gap(lang)}",
            f"{_people(lang, answers.sensitive_individuals)}；种类：{_gap(lang)}",
        )
        if answers.sensitive_individuals
        else _(lang, "None", "无")
    )
    onward = (
        _joined(lang, answers.onward_recipients)
        if answers.onward_recipients
        else _(lang, "None declared", "未声明")
    )
    rows: tuple[tuple[str, str], ...] = (
        (_(lang, "Personal information processor", "个人信息处理者"), answers.processor_name),
        (_(lang, "Overseas recipient", "境外接收方"), _or_gap(lang, answers.recipient_name)),
        (
            _(lang, "Recipient's country or region", "境外接收方所在国家或地区"),
            _or_gap(lang, answers.recipient_country),
        ),
        (_(lang, "Purposes of processing", "处理目的"), _joined(lang, answers.purposes)),
        (_(lang, "Method of processing", "处理方式"), _gap(lang)),
        (
            _(lang, "Categories of personal information exported", "出境个人信息的种类"),
            _joined(lang, answers.categories),
        ),
        (
            _(
                lang,
                "Number of individuals (non-sensitive personal information)",
                "涉及个人数量（非敏感个人信息）",
            ),
            _people(lang, answers.individuals),
        ),
        (_(lang, "Sensitive personal information", "出境敏感个人信息"), sensitive),
        (_(lang, "Method of transfer", "传输方式"), _gap(lang)),
        (
            _(lang, "Retention period after export", "出境后保存期限"),
            _or_gap(lang, answers.retention),
        ),
        (_(lang, "Storage location after export", "出境后保存地点"), _storage(answers)),
        (
            _(
                lang,
                "Onward transfer to third parties outside China",
                "境外接收方向中华人民共和国境外第三方提供",
            ),
            onward,
        ),
    )
    sections = (
        Section(
            _(lang, "Description of the export", "个人信息出境说明"),
            (
                Paragraph(
                    _(
                        lang,
                        "The standard contract itself is the template published by the Cyberspace "
                        "Administration of China, used as published; this annex describes the "
                        "transfer. Within 10 working days of the contract taking effect, file the "
                        "signed contract and the personal information protection impact "
                        "assessment report with the provincial cyberspace administration.",
                        "标准合同正文应当使用国家网信部门制定的标准合同范本；本附录用于说明个人信息出境"
                        "情况。自标准合同生效之日起10个工作日内，应将签署的标准合同和个人信息保护影响评估"
                        "报告向所在地省级网信部门备案。",
                    )
                ),
                Facts(rows),
            ),
            basis=_(lang, "SCC Measures Arts 6-7", "《个人信息出境标准合同办法》第六条、第七条"),
        ),
        Section(
            _(lang, "Filing materials", "备案材料"),
            (
                Bullets(
                    (
                        _(
                            lang,
                            "Copy of the unified social credit code certificate",
                            "统一社会信用代码证件复印件",
                        ),
                        _(
                            lang,
                            "Copies of the identity documents of the legal representative "
                            "and the person handling the filing",
                            "法定代表人和经办人身份证件复印件",
                        ),
                        _(
                            lang,
                            "Power of attorney for the person handling the filing",
                            "经办人授权委托书",
                        ),
                        _(lang, "Commitment letter", "承诺书"),
                        _(lang, "The signed standard contract", "签署的标准合同"),
                        _(
                            lang,
                            "Personal information protection impact assessment report",
                            "个人信息保护影响评估报告",
                        ),
                    )
                ),
            ),
            basis=_(
                lang, "SCC Filing Guide (2nd ed.)", "《个人信息出境标准合同备案指南（第二版）》"
            ),
        ),
        _basis_section(answers),
    )
    return Document(
        file_stem=SCC_ANNEX_STEM,
        language=lang,
        title=_(
            lang,
            "Standard contract for the export of personal information: annex describing the export",
            "个人信息出境标准合同附录：个人信息出境说明",
        ),
        notice=_notice(answers),
        sections=sections,
        answer_placeholder=_gap(lang),
        dated=answers.decided_on,
    )


# --- security assessment self-assessment outline ------------------------------------------


def sa_self_assessment(answers: CheckedInput) -> Document:
    """Outline of the data export risk self-assessment report, one section per item of the
    SA Measures Art 5, with the Art 9 contract terms and the Art 8 country review."""
    lang = answers.language
    country = _or_gap(lang, answers.recipient_country)

    def item(
        number: tuple[str, str], heading: tuple[str, str], article: tuple[str, str], *blocks: Block
    ) -> Section:
        return Section(
            _(lang, f"{number[0]}. {heading[0]}", f"{number[1]}、{heading[1]}"),
            blocks or (Questions((_(lang, "Assessment", "评估情况"),)),),
            basis=_(lang, f"SA Measures {article[0]}", f"《数据出境安全评估办法》{article[1]}"),
        )

    contract_terms = Bullets(
        (
            _(
                lang,
                "Purpose, method and scope of the export, and the recipient's use and "
                "method of processing",
                "数据出境的目的、方式和数据范围，境外接收方处理数据的用途、方式等",
            ),
            _(
                lang,
                "Storage location and period abroad, and disposal when the period ends, "
                "the purpose is met or the contract ends",
                "数据在境外保存地点、期限，以及达到保存期限、完成约定目的或者法律文件终止后出境数据的"
                "处理措施",
            ),
            _(
                lang,
                "Binding limits on onward transfer to other organisations or individuals",
                "对于境外接收方将出境数据再转移给其他组织、个人的约束性要求",
            ),
            _(
                lang,
                "Security measures when the recipient's control or business, or its "
                "country's data security policies and network environment, change",
                "境外接收方实际控制权或者经营范围发生实质性变化，或者所在国家、地区数据安全保护政策法规"
                "和网络安全环境发生变化等情形下应当采取的安全措施",
            ),
            _(
                lang,
                "Remedies, liability for breach and dispute resolution",
                "违反数据安全保护义务的补救措施、违约责任和争议解决方式",
            ),
            _(
                lang,
                "Incident handling, and how individuals can protect their rights",
                "出境数据遭到篡改、破坏、泄露、丢失等风险时的应急处置要求，以及保障个人维护其个人信息"
                "权益的途径和方式",
            ),
        )
    )
    sections = (
        Section(
            _(lang, "1. Overview of the export", "一、数据出境基本情况"),
            (Facts(_parties(answers) + _volumes(answers)),),
            basis=_(lang, "SA Measures Art 5", "《数据出境安全评估办法》第五条"),
        ),
        item(
            ("2", "二"),
            (
                "Legality, legitimacy and necessity of the purpose, scope and method of the "
                "export and of the recipient's processing",
                "数据出境和境外接收方处理数据的目的、范围、方式等的合法性、正当性、必要性",
            ),
            ("Art 5(1)", "第五条第（一）项"),
        ),
        item(
            ("3", "三"),
            (
                "Scale, scope, type and sensitivity of the data, and the risks of the export "
                "to national security, the public interest and the rights of individuals and "
                "organisations",
                "出境数据的规模、范围、种类、敏感程度，数据出境可能对国家安全、公共利益、个人或者组织"
                "合法权益带来的风险",
            ),
            ("Art 5(2)", "第五条第（二）项"),
        ),
        item(
            ("4", "四"),
            (
                "The recipient's obligations, and whether its management and technical "
                "measures and capability can keep the data secure",
                "境外接收方承诺承担的责任义务，以及履行责任义务的管理和技术措施、能力等能否保障出境数据"
                "的安全",
            ),
            ("Art 5(3)", "第五条第（三）项"),
        ),
        item(
            ("5", "五"),
            (
                "Risks of tampering, destruction, leak, loss, transfer or illegal use during "
                "and after the export, and whether channels for individuals' rights are open",
                "数据出境中和出境后遭到篡改、破坏、泄露、丢失、转移或者被非法获取、非法利用等的风险，"
                "个人信息权益维护的渠道是否通畅",
            ),
            ("Art 5(4)", "第五条第（四）项"),
        ),
        item(
            ("6", "六"),
            (
                "Whether the contract or other legal documents with the recipient fully "
                "stipulate data security obligations, covering:",
                "与境外接收方拟订立的法律文件是否充分约定了数据安全保护责任义务，包括：",
            ),
            ("Art 5(5), Art 9", "第五条第（五）项、第九条"),
            contract_terms,
            Questions((_(lang, "Assessment", "评估情况"),)),
        ),
        item(
            ("7", "七"),
            (
                f"The data security policies and network environment of {country}",
                f"{country}的数据安全保护政策法规和网络安全环境",
            ),
            ("Art 8", "第八条"),
        ),
        item(
            ("8", "八"),
            (
                "Other matters that may affect the security of the export",
                "其他可能影响数据出境安全的事项",
            ),
            ("Art 5(6)", "第五条第（六）项"),
        ),
        Section(
            _(lang, "9. Declaration materials and timing", "九、申报材料与时限"),
            (
                Bullets(
                    (
                        _(
                            lang,
                            "Copy of the unified social credit code certificate",
                            "统一社会信用代码证件复印件",
                        ),
                        _(
                            lang,
                            "Copies of the identity documents of the legal representative "
                            "and the person handling the declaration",
                            "法定代表人和经办人身份证件复印件",
                        ),
                        _(
                            lang,
                            "Power of attorney for the person handling the declaration",
                            "经办人授权委托书",
                        ),
                        _(lang, "Declaration form", "数据出境安全评估申报书"),
                        _(
                            lang,
                            "Legal documents with the overseas recipient",
                            "与境外接收方拟订立的法律文件",
                        ),
                        _(lang, "This risk self-assessment report", "数据出境风险自评估报告"),
                        _(lang, "Other supporting documents", "其他相关证明材料"),
                    )
                ),
                Bullets(
                    (
                        _(
                            lang,
                            "Completeness check by the provincial cyberspace administration "
                            "within 5 working days (SA Measures Art 7).",
                            "省级网信部门5个工作日内完成完备性查验（《数据出境安全评估办法》第七条）。",
                        ),
                        _(
                            lang,
                            "Decision within 45 working days of acceptance, extendable "
                            "(SA Measures Art 12).",
                            "自受理之日起45个工作日内完成评估，情况复杂的可以延长（《数据出境安全评估办法》第十二条）。",
                        ),
                        _(
                            lang,
                            "A result is valid for 3 years; apply to extend it within 60 "
                            "working days before it expires (Provisions Art 9).",
                            "评估结果有效期3年；需延长的，在有效期届满前60个工作日内提出申请（《促进和"
                            "规范数据跨境流动规定》第九条）。",
                        ),
                    )
                ),
            ),
            basis=_(
                lang,
                "SA Declaration Guide (2nd ed., 22 Mar 2024)",
                "《数据出境安全评估申报指南（第二版）》（2024年3月22日）",
            ),
        ),
        _basis_section(answers, ("10", "十")),
    )
    return Document(
        file_stem=SA_OUTLINE_STEM,
        language=lang,
        title=_(
            lang,
            "Data export risk self-assessment report (security assessment): outline",
            "数据出境风险自评估报告（数据出境安全评估）提纲",
        ),
        notice=_notice(answers),
        sections=sections,
        answer_placeholder=_gap(lang),
        dated=answers.decided_on,
    )
