"""The Chinese texts of the rules in ``catalogue.py``: each summary, obligation and deadline,
keyed by rule id (and deadline code), in the wording of the CAC texts.

Counts and dates keep the English figures (``1,000,000``), so a reason reads the same numbers in
both languages; ``catalogue`` checks at import that every rule has its Chinese texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_EXEMPT = "免予申报数据出境安全评估、订立个人信息出境标准合同、通过个人信息保护认证"

SUMMARIES_ZH: Mapping[str, str] = MappingProxyType(
    {
        "cn.pipl.art38.export": "向境外提供个人信息或者重要数据属于数据出境，应当具备法定条件；"
        "境外远程访问存储在境内的数据亦属于数据出境",
        "cn.scc-guide-2.export-act": "数据出境行为包括：将在境内收集和产生的个人信息或者重要数据"
        "传输、存储至境外；境外的机构、组织或者个人可以查询、调取、下载、导出存储在境内的数据。"
        "境外人员在境内访问数据、未向境外传输的，一般不属于数据出境（国家网信办2025年10月答记者问）",
        "cn.dsl.art21.core-data": "核心数据实行比三种数据出境路径更加严格的管理制度，不得通过上述"
        "路径出境；应当停止出境并上报",
        "sh.lingang.core-data": "在临港新片区，核心级数据禁止跨境流动",
        "cn.sa-measures.art4-1.important-data": "数据处理者向境外提供重要数据的，应当申报数据出境"
        "安全评估",
        "cn.provisions.art7.important-data": "重要数据（指经有关部门、地区告知或者公开发布为重要"
        "数据的数据，第2条；《网络数据安全管理条例》第37条）出境，无论由谁提供、数量多少，均应当申报"
        "数据出境安全评估",
        "cn.provisions.art5.final-paragraph": "第5条规定的个人信息免予申报情形不适用于重要数据",
        "cn.provisions.art6.important-data": "经告知的重要数据，即使自由贸易试验区负面清单匹配结果"
        "为清单外，仍应当申报数据出境安全评估",
        "cn.sa-measures.art2-4.scope": "数据出境机制仅适用于重要数据和个人信息（《数据出境安全评估"
        "办法》第2条、第4条；《个人信息保护法》第38条）；既不含重要数据也不含个人信息的数据无需"
        "适用上述机制",
        "cn.provisions.art3.no-personal-or-important-data": "不包含个人信息或者重要数据的数据出境，"
        f"{_EXEMPT}（第3条列举国际贸易、跨境运输、学术合作、跨国生产制造和市场营销等活动；"
        "国家网信办2025年4月答记者问指出一般数据可以自由流动）",
        "cn.provisions.art4.transit": "在境外收集和产生的个人信息传输至境内处理后向境外提供，处理"
        f"过程中没有引入境内个人信息或者重要数据的，{_EXEMPT}",
        "cn.provisions.art5-1.contract": "为订立、履行个人作为一方当事人的合同，确需向境外提供个人"
        f"信息的，{_EXEMPT}",
        "cn.provisions.art5-2.hr": "按照依法制定的劳动规章制度和依法签订的集体合同实施跨境人力资源"
        f"管理，确需向境外提供员工个人信息的，{_EXEMPT}",
        "cn.provisions.art5-3.emergency": "紧急情况下为保护自然人的生命健康和财产安全，确需向境外"
        f"提供个人信息的，{_EXEMPT}",
        "cn.ndsmr.art35-6.statutory-duty": "为履行法定职责或者法定义务，确需向境外提供个人信息的，"
        "可以向境外提供，无需申报数据出境安全评估、订立个人信息出境标准合同或者通过个人信息保护认证",
        "cn.provisions.art7-8.exemptions-prevail": "第3条至第6条优先于数据出境安全评估和个人信息"
        "出境标准合同的规定适用，其免予申报情形同样适用于关键信息基础设施运营者",
        "cn.provisions.art6.ftz-list": "自由贸易试验区内数据处理者向境外提供负面清单外的数据（负面"
        "清单经省级网络安全和信息化委员会批准，并报国家网信部门、国家数据管理部门备案），"
        f"{_EXEMPT}；清单内的数据按照其所在条目规定的路径出境",
        "cn.provisions.art7-1.ciio-outside-ftz-lists": "关键信息基础设施运营者不适用自由贸易试验区"
        "负面清单：其向境外提供个人信息应当申报数据出境安全评估",
        "sh.ftz-list.ciio-excluded": "上海自由贸易试验区及临港新片区数据出境负面清单适用于在区内"
        "注册并从区内向境外提供数据的数据处理者；关键信息基础设施运营者除外",
        "sh.ftz-list.export-report": "清单所列活动的数据出境，应当在出境后15个工作日内向当地数据"
        "出境服务中心报告",
        "cn.sa-measures.art4-2.ciio": "关键信息基础设施运营者向境外提供个人信息的，应当申报数据"
        "出境安全评估（另见《个人信息保护法》第40条）",
        "cn.provisions.art7-1.ciio": "关键信息基础设施运营者向境外提供个人信息或者重要数据的，无论"
        "数量多少，均应当申报数据出境安全评估（另见《个人信息保护法》第40条），但符合第3条至第6条"
        "免予申报情形的除外",
        "cn.sa-measures.art4-3.counting": "向境外提供个人信息的个人数量，自上年1月1日起累计计算",
        "cn.provisions.counting": "自当年1月1日起累计计算不同自然人的数量，非敏感个人信息与敏感"
        "个人信息分别计算；年内累计数量跨越相应档次的，适用更严格的路径（国家网信办2025年10月"
        "答记者问）",
        "cn.sa-measures.art4-3.volume": "自上年1月1日起累计向境外提供100,000人个人信息或者10,000人"
        "敏感个人信息的数据处理者，应当申报数据出境安全评估",
        "cn.provisions.art7-2.volume": "关键信息基础设施运营者以外的数据处理者自当年1月1日起累计"
        "向境外提供1,000,000人以上个人信息（不含敏感个人信息）或者10,000人以上敏感个人信息的，"
        "应当申报数据出境安全评估（“以上”含本数）",
        "cn.pipl.art38.mechanisms": "未达到申报数据出境安全评估标准的个人信息出境，仍应当通过个人"
        "信息保护认证，或者按照国家网信部门制定的标准合同与境外接收方订立合同：不存在按数量免予"
        "申报的情形",
        "cn.scc-measures.art4.conditions": "关键信息基础设施运营者以外、处理个人信息不满1,000,000"
        "人、自上年1月1日起累计向境外提供个人信息不满100,000人且敏感个人信息不满10,000人的个人信息"
        "处理者，通过订立个人信息出境标准合同的方式向境外提供个人信息（或者依照《个人信息保护法》"
        "第38条通过个人信息保护认证）；不存在按数量免予申报的情形",
        "cn.provisions.art8.volume": "关键信息基础设施运营者以外的数据处理者自当年1月1日起累计向"
        "境外提供100,000人以上、不满1,000,000人个人信息（不含敏感个人信息）或者不满10,000人敏感"
        "个人信息的，应当订立个人信息出境标准合同或者通过个人信息保护认证",
        "cn.provisions.art5-4.volume": "关键信息基础设施运营者以外的数据处理者自当年1月1日起累计"
        "向境外提供不满100,000人个人信息（不含敏感个人信息）且未提供敏感个人信息的，"
        f"{_EXEMPT}（“不满”不含本数）",
        "cn.sa-measures.art4-2.processed-volume": "处理1,000,000人以上个人信息的数据处理者向境外"
        "提供个人信息的，均应当申报数据出境安全评估，不得通过订立标准合同的方式出境（《个人信息"
        "出境标准合同办法》第4条）",
        "cn.provisions.art13.processed-volume-displaced": "2022年规定的处理1,000,000人以上个人信息"
        "即应当申报评估的情形，在《促进和规范数据跨境流动规定》中未再规定，且该规定与之不一致的"
        "以该规定为准：仅依据出境数量判断",
        "cn.pipl.art42.restricted-recipients": "不得向列入国家网信部门限制或者禁止个人信息提供清单"
        "的境外组织、个人提供个人信息；接收方所在国家或者地区本身不改变出境路径（我国未设立"
        "充分性认定名单），但应当纳入风险评估",
        "cn.pipl.art39.notice-and-consent": "向境外提供个人信息前，应当向个人告知境外接收方的名称"
        "等事项及向其行使权利的方式，以同意为处理依据的，应当取得个人的单独同意（另见《促进和"
        "规范数据跨境流动规定》第10条）",
        "cn.pipl.art55-56.pipia": "向境外提供个人信息前，应当事先进行个人信息保护影响评估；评估"
        "报告和处理情况记录应当至少保存3年",
        "cn.provisions.art10-11.security-duties": "数据出境者应当履行告知、取得个人单独同意、进行"
        "个人信息保护影响评估等义务，保障出境数据安全，发生数据安全事件的应当采取补救措施并报告",
        "cn.sa-measures.art5.self-assessment": "申报数据出境安全评估前，应当开展数据出境风险自评估",
        "cn.sa-measures.art6.declaration": "通过所在地省级网信部门申报数据出境安全评估，提交申报"
        "书、数据出境风险自评估报告以及与境外接收方拟订立的法律文件",
        "cn.sa-guide-2.materials": "通过数据出境申报系统（sjcj.cac.gov.cn）经所在地省级网信部门"
        "在线申报，并提交所列材料",
        "cn.sa-measures.art9.contract": "与境外接收方订立的法律文件应当明确约定所列数据安全保护"
        "责任义务",
        "cn.sa-measures.art12.review-period": "国家网信部门自受理申报之日起45个工作日内完成数据出境"
        "安全评估；情况复杂的，可以适当延长",
        "cn.sa-measures.art13.re-review": "数据处理者对评估结果有异议的，可以申请复评",
        "cn.sa-measures.art14.validity": "数据出境安全评估结果有效期为2年，自评估结果出具之日起计"
        "算；需要继续开展数据出境活动的，应当在有效期届满60个工作日前重新申报评估",
        "cn.provisions.art9.validity": "数据出境安全评估结果有效期为3年，自评估结果出具之日起计算；"
        "有效期届满，未发生需要重新申报评估情形的，可以在有效期届满前60个工作日内申请延长评估结果"
        "有效期，延长有效期为3年",
        "cn.sa-measures.art14.redeclaration": "有效期内出境情况发生变化的，应当重新申报评估",
        "cn.sa-guide-3.extension-conditions": "申请延长有效期，须出境情况未发生变化、出境数量增长"
        "有限、合同符合要求且未发生重大数据安全事件",
        "cn.pipl.art38-3.standard-contract": "按照国家网信部门制定的标准合同与境外接收方订立合同，"
        "标准合同范本自2023年6月1日起施行",
        "cn.scc-measures.art6.template": "个人信息出境标准合同按照国家"
        "网信部门制定的标准合同范本订立",
        "cn.scc-measures.art5.pipia": "为订立标准合同开展的个人信息保护影响评估，还应当涵盖境外"
        "接收方所在国家或者地区的个人信息保护政策和法规",
        "cn.scc-measures.art7.filing": "应当在标准合同生效之日起10个工作日内，向所在地省级网信部门"
        "备案标准合同，并提交个人信息保护影响评估报告",
        "cn.scc-guide-2.materials": "备案提交所列材料；备案通过的，网信部门出具备案编号",
        "cn.scc-guide-2.pipia-recency": "与标准合同一并备案的个人信息保护影响评估，应当在备案前3"
        "个月内完成",
        "cn.scc-measures.art8.changes": "出境情况发生变化的，应当补充或者重新订立标准合同，并重新"
        "备案",
        "cn.scc-measures.art4-2.no-splitting": "应当申报数据出境安全评估的个人信息，不得采取数量"
        "拆分等手段，通过订立标准合同的方式向境外提供",
        "cn.pipl.art38-2.certification": "数据处理者可以按照国家网信部门的规定经专业机构进行个人"
        "信息保护认证，以替代订立标准合同",
        "cn.certification-measures.eligibility": "关键信息基础设施运营者以外的个人信息处理者自当年"
        "1月1日起累计向境外提供100,000人以上、不满1,000,000人个人信息（不含敏感个人信息）或者"
        "不满10,000人敏感个人信息，且不含重要数据、未拆分出境的，可以申请个人信息出境认证",
        "cn.certification-measures.validity": "个人信息出境认证证书有效期为3年；应当在证书有效期"
        "届满6个月前重新申请",
    }
)

_NO_PI_RECORD = "留存记录，证明出境数据不包含个人信息和重要数据"

OBLIGATIONS_ZH: Mapping[str, str] = MappingProxyType(
    {
        "cn.dsl.art21.core-data": "不得出境该核心数据。应当上报数据安全负责人和主管部门：数据出境"
        "安全评估、个人信息出境标准合同、个人信息保护认证三种路径均不适用",
        "cn.sa-measures.art2-4.scope": _NO_PI_RECORD,
        "cn.provisions.art3.no-personal-or-important-data": _NO_PI_RECORD,
        "cn.provisions.art4.transit": "留存记录，证明该个人信息系在境外收集，且在境内处理过程中没有"
        "引入境内个人信息或者重要数据",
        "cn.provisions.art5-1.contract": "记录为订立、履行与个人的合同确需向境外提供个人信息"
        "的理由，并仅提供合同所需的个人信息。第5条第（1）项列举跨境购物、跨境寄递、跨境汇款、"
        "跨境支付、跨境开户、机票酒店预订、签证办理、考试服务等；国家网信办2025年10月答记者问将"
        "其中的“等”解释为涵盖类似的必需情形",
        "cn.provisions.art5-2.hr": "留存所依据的劳动规章制度或者集体合同，并记录每类员工个人信息"
        "需要向境外提供的理由",
        "cn.provisions.art5-3.emergency": "记录紧急情况及必须向境外提供个人信息的理由；仅提供应对"
        "紧急情况所需的个人信息",
        "cn.ndsmr.art35-6.statutory-duty": "记录所依据的法定职责或者法定义务，以及为履行该职责或者"
        "义务向境外提供个人信息的必要性",
        "cn.provisions.art6.ftz-list": "留存所依据的负面清单版本、匹配的清单条目（或者数据不在清"
        "单内的理由）以及所属领域的覆盖范围",
        "sh.ftz-list.export-report": "向当地数据出境服务中心报告该数据出境，并提交营业执照、身份"
        "证件、授权委托书和情况说明",
        "cn.sa-measures.art4-3.counting": "统计自上年1月1日起累计向境外提供个人信息的不同个人数量",
        "cn.provisions.counting": "持续统计自1月1日起累计向境外提供个人信息的不同个人数量，非敏感"
        "个人信息与敏感个人信息分别计算，并在每次出境前重新核对数量档次：年内跨越档次的，适用"
        "更严格的路径",
        "cn.sa-measures.art4-2.processed-volume": "确认数据处理者处理的个人信息总计不满1,000,000"
        "人：请求未包含该数量，达到该数量以上的，任何个人信息出境均应当申报数据出境安全评估",
        "cn.pipl.art39.notice-and-consent": "按照第39条履行告知义务（境外接收方的名称或者姓名、联系"
        "方式、处理目的、处理方式、个人信息的种类以及个人向境外接收方行使权利的方式），以同意为处理"
        "依据的，取得个人的单独同意；留存相关证明",
        "cn.pipl.art55-56.pipia": "在数据出境前开展个人信息保护影响评估：处理目的、处理方式等是否"
        "合法、正当、必要；对个人权益的影响及安全风险；所采取的保护措施是否合法、有效并与风险程度"
        "相适应",
        "cn.provisions.art10-11.security-duties": "采取技术措施和其他必要措施，保障出境数据安全；"
        "发生数据安全事件的，应当采取补救措施，并向省级以上网信部门和其他有关主管部门报告",
        "cn.sa-measures.art5.self-assessment": "开展数据出境风险自评估：数据出境和境外接收方处理"
        "数据的目的、范围、方式等的合法性、正当性、必要性；出境数据的规模、种类、敏感程度及风险；境外"
        "接收方承诺承担的责任义务及其履行能力；数据出境中和出境后遭到篡改、破坏、泄露、丢失等的"
        "风险，以及个人信息权益维护渠道是否通畅；与境外接收方拟订立的合同是否充分约定了数据安全"
        "保护责任义务",
        "cn.sa-measures.art6.declaration": "通过所在地省级网信部门申报，提交申报书、数据出境风险自"
        "评估报告、与境外接收方拟订立的法律文件以及要求提交的其他材料",
        "cn.sa-guide-2.materials": "通过数据出境申报系统（sjcj.cac.gov.cn）经所在地省级网信部门在线"
        "申报，提交：申报书；数据出境风险自评估报告；与境外接收方拟订立的法律文件；统一社会信用代码"
        "证件；法定代表人和经办人身份证件复印件；经办人授权委托书；其他相关证明材料",
        "cn.sa-measures.art9.contract": "与境外接收方订立法律文件，约定：数据出境的目的、方式和范"
        "围；数据在境外的存储地点、期限，以及期限届满后的处理措施；对境外接收方将数据再转移的约束性"
        "要求；实际控制权或者所在国家、地区法律环境发生变化时的应对措施；补救措施；违约责任；争议"
        "解决方式",
        "cn.sa-measures.art14.redeclaration": "出境数据的目的、范围、种类、方式或者境外保存期限发生"
        "变化，境外接收方所在国家或者地区法律环境或者任何一方的实际控制权发生变化，或者与境外接收方"
        "的合同变更的，应当重新申报评估",
        "cn.sa-guide-3.extension-conditions": "申请延长有效期前核实：出境目的、范围、数据处理者和"
        "境外接收方未发生变化；出境数量较批准的3年数量增长不超过20%；合同仍符合《数据出境安全评估"
        "办法》第9条的要求；近3年未发生重大数据安全事件",
        "cn.pipl.art38-3.standard-contract": "与境外接收方订立合同，约定双方的权利和义务；国家网信"
        "部门制定的标准合同范本自2023年6月1日起施行",
        "cn.scc-measures.art6.template": "严格按照标准合同范本与境外接收方订立个人信息出境标准合"
        "同，不得修改合同文本；约定的其他条款不得与标准合同相冲突",
        "cn.scc-measures.art5.pipia": "在个人信息保护影响评估中，还应当评估境外接收方所在国家或者"
        "地区的个人信息保护政策和法规对履行标准合同的影响",
        "cn.scc-measures.art7.filing": "向所在地省级网信部门备案个人信息出境标准合同和个人信息保护"
        "影响评估报告",
        "cn.scc-guide-2.materials": "备案时提交：统一社会信用代码证件；法定代表人和经办人身份证件"
        "复印件；经办人授权委托书；承诺书；已签订的标准合同；个人信息保护影响评估报告。留存网信部门"
        "出具的备案编号",
        "cn.scc-guide-2.pipia-recency": "在备案前3个月内完成与标准合同"
        "一并备案的个人信息保护影响评估",
        "cn.scc-measures.art8.changes": "向境外提供个人信息的目的、范围、种类、方式、保存期限，或者"
        "境外接收方所在国家或者地区的法律环境发生变化的，应当补充或者重新订立标准合同，重新开展"
        "个人信息保护影响评估，并重新备案",
        "cn.scc-measures.art4-2.no-splitting": "不得拆分出境数据以规避数据出境安全评估的申报标准",
        "cn.pipl.art38-2.certification": "或者，以个人信息保护认证替代标准合同（CCRC，依据2022年"
        "国家市场监督管理总局、国家互联网信息办公室公告及实施规则；GB/T 35273、TC260-PG-20222A）："
        "技术验证、现场审核、获证后监督",
        "cn.certification-measures.eligibility": "或者，以个人信息出境认证替代标准合同：在完成个人"
        "信息保护影响评估并取得同意后，依照《个人信息出境认证办法》向经批准的专业认证机构申请认证"
        "（标准TC260-PG-20222A v2.0、GB/T 46068-2025）；适用《个人信息保护法》第3条第2款的境外"
        "个人信息处理者，通过其在境内设立的专门机构或者指定代表申请",
    }
)

TERMS_ZH: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("sh.ftz-list.export-report", "ftz-export-report"): "在数据出境后15个工作日内报告",
        ("cn.pipl.art55-56.pipia", "pipia-records"): "保存个人信息保护影响评估报告和处理情况记录",
        ("cn.sa-measures.art12.review-period", "sa-review-period"): "国家网信部门自受理申报之日起"
        "45个工作日内作出评估结果（可以延长）；评估结果作出前不得出境",
        ("cn.sa-measures.art13.re-review", "sa-re-review-request"): "对评估结果有异议的，在收到评估"
        "结果之日起15个工作日内申请复评",
        ("cn.sa-measures.art14.validity", "sa-result-validity"): "评估结果有效期为2年，自评估结果"
        "出具之日起计算",
        ("cn.sa-measures.art14.validity", "sa-redeclaration-before-expiry"): "需要继续开展数据出境"
        "活动的，在评估结果有效期届满至少60个工作日前重新申报评估",
        ("cn.provisions.art9.validity", "sa-result-validity"): "评估结果有效期为3年，自评估结果"
        "出具之日起计算",
        ("cn.provisions.art9.validity", "sa-extension-request"): "在评估结果有效期届满前60个工作日"
        "内申请延长有效期；国家网信部门可以延长3年",
        ("cn.scc-measures.art7.filing", "scc-filing"): "在标准合同生效之日起10个工作日内备案",
        ("cn.certification-measures.validity", "certificate-validity"): "采用认证路径的：认证证书"
        "有效期为3年",
        ("cn.certification-measures.validity", "certificate-renewal"): "采用认证路径的：在认证证书"
        "有效期届满6个月前重新申请",
    }
)

# Each rule's article reference as a Chinese citation writes it after the instrument's name
# (《促进和规范数据跨境流动规定》第五条第（一）项). Where the English reference names a part of a
# guide or of measures whose article numbers are not recorded, the Chinese says so too.
ARTICLES_ZH: Mapping[str, str] = MappingProxyType(
    {
        "cn.pipl.art38.export": "第三十八条",
        "cn.scc-guide-2.export-act": "“出境行为”部分",
        "cn.dsl.art21.core-data": "第二十一条",
        "sh.lingang.core-data": "“核心数据”分级相关条款（条号未记录）",
        "cn.sa-measures.art4-1.important-data": "第四条第（一）项",
        "cn.provisions.art7.important-data": "第二条、第七条第（一）项和第（二）项",
        "cn.provisions.art5.final-paragraph": "第五条最后一款",
        "cn.provisions.art6.important-data": "第六条",
        "cn.sa-measures.art2-4.scope": "第二条、第四条",
        "cn.provisions.art3.no-personal-or-important-data": "第三条",
        "cn.provisions.art4.transit": "第四条",
        "cn.provisions.art5-1.contract": "第五条第（一）项",
        "cn.provisions.art5-2.hr": "第五条第（二）项",
        "cn.provisions.art5-3.emergency": "第五条第（三）项",
        "cn.ndsmr.art35-6.statutory-duty": "第三十五条第（六）项",
        "cn.provisions.art7-8.exemptions-prevail": "第七条第二款、第八条第二款",
        "cn.provisions.art6.ftz-list": "第六条",
        "cn.provisions.art7-1.ciio-outside-ftz-lists": "第七条第（一）项",
        "sh.ftz-list.ciio-excluded": "“适用范围”部分",
        "sh.ftz-list.export-report": "“报告”部分（条号未记录）",
        "cn.sa-measures.art4-2.ciio": "第四条第（二）项",
        "cn.provisions.art7-1.ciio": "第七条第（一）项",
        "cn.sa-measures.art4-3.counting": "第四条第（三）项",
        "cn.provisions.counting": "第五条第（四）项、第七条第（二）项、第八条",
        "cn.sa-measures.art4-3.volume": "第四条第（三）项",
        "cn.provisions.art7-2.volume": "第七条第（二）项",
        "cn.pipl.art38.mechanisms": "第三十八条第一款第（一）项至第（三）项",
        "cn.scc-measures.art4.conditions": "第四条",
        "cn.provisions.art8.volume": "第八条",
        "cn.provisions.art5-4.volume": "第五条第（四）项",
        "cn.sa-measures.art4-2.processed-volume": "第四条第（二）项",
        "cn.provisions.art13.processed-volume-displaced": "第十三条",
        "cn.pipl.art42.restricted-recipients": "第四十二条",
        "cn.pipl.art39.notice-and-consent": "第三十九条",
        "cn.pipl.art55-56.pipia": "第五十五条第（四）项、第五十六条",
        "cn.provisions.art10-11.security-duties": "第十条、第十一条",
        "cn.sa-measures.art5.self-assessment": "第五条",
        "cn.sa-measures.art6.declaration": "第六条",
        "cn.sa-guide-2.materials": "“申报材料”部分",
        "cn.sa-measures.art9.contract": "第九条",
        "cn.sa-measures.art12.review-period": "第十二条",
        "cn.sa-measures.art13.re-review": "第十三条",
        "cn.sa-measures.art14.validity": "第十四条",
        "cn.provisions.art9.validity": "第九条",
        "cn.sa-measures.art14.redeclaration": "第十四条",
        "cn.sa-guide-3.extension-conditions": "“延长评估结果有效期”部分",
        "cn.pipl.art38-3.standard-contract": "第三十八条第一款第（三）项",
        "cn.scc-measures.art6.template": "第六条",
        "cn.scc-measures.art5.pipia": "第五条",
        "cn.scc-measures.art7.filing": "第七条",
        "cn.scc-guide-2.materials": "“备案材料”部分",
        "cn.scc-guide-2.pipia-recency": "“个人信息保护影响评估”部分",
        "cn.scc-measures.art8.changes": "第八条",
        "cn.scc-measures.art4-2.no-splitting": "第四条第二款",
        "cn.pipl.art38-2.certification": "第三十八条第一款第（二）项",
        "cn.certification-measures.eligibility": "“适用情形”相关条款（条号未记录）",
        "cn.certification-measures.validity": "“证书有效期”相关条款（条号未记录）",
    }
)

# The Chinese of each rule's note: why a reading is unverified, or where a point comes from.
NOTES_ZH: Mapping[str, str] = MappingProxyType(
    {
        "cn.pipl.art38.export": (
            "境外远程访问属于数据出境，见于2024年版申报指南和国家网信办2025年10月答记者问；本系统"
            "对此前的制度作同样理解，但未核对第一版指南（未经核实）。"
        ),
        "cn.dsl.art21.core-data": (
            "《数据安全法》第二十一条对核心数据实行更加严格的管理制度，但并未明文禁止其出境；研究"
            "资料的判定顺序为阻止出境并上报，临港新片区分类分级管理办法规定核心数据禁止跨境流动。"
            "本系统据此判定为“禁止”（未经核实的解读）。"
        ),
        "sh.lingang.core-data": ("研究资料未记录条号（未经核实）。"),
        "cn.provisions.art5.final-paragraph": (
            "该款原文措辞未与官方文本核对（研究资料标注⚠，未经核实）。本系统将其理解为重要数据不"
            "适用第五条的免予申报情形，这也是研究资料的判定顺序（先判断重要数据，后判断免予申报情"
            "形）。"
        ),
        "cn.provisions.art6.important-data": (
            "第六条对负面清单外的数据免予申报，未区分重要数据（未经核实的解读）。本系统遵循研究资"
            "料的判定顺序（先判断重要数据，后判断自由贸易试验区负面清单），将负面清单理解为涵盖所"
            "属领域的重要数据（上海负面清单涵盖重要数据和个人信息）。"
        ),
        "cn.sa-measures.art2-4.scope": (
            "在《促进和规范数据跨境流动规定》第三条之前并无明文免予申报的规定；本系统将《数据出境"
            "安全评估办法》（重要数据和个人信息）和《个人信息保护法》第三十八条（个人信息）的适用"
            "范围理解为其他数据不适用上述机制（未经核实的解读）。"
        ),
        "cn.provisions.art6.ftz-list": (
            "本系统直接采用负面清单匹配结果：匹配程序适用各条目自身的数量标准和评估日生效的清单。"
            "数据处理者须在自由贸易试验区内注册。"
        ),
        "cn.provisions.art7-1.ciio-outside-ftz-lists": (
            "在上海负面清单（2025年2月8日）发布前，本系统与上海负面清单一致，将关键信息基础设施运"
            "营者排除在所有自由贸易试验区负面清单之外；未就天津和北京的负面清单进行核实（未经核实"
            "）。"
        ),
        "sh.ftz-list.export-report": (
            "来源于律师事务所（Hunton）对管理办法的摘要，并非官方文本（未经核实）；研究资料将该报"
            "告列入免予申报情形的核对清单（“如需”）。本系统对所有依据自由贸易试验区负面清单判定的"
            "出境均列出该报告义务。"
        ),
        "cn.sa-measures.art4-3.counting": (
            "2022年的申报标准统计个人信息出境的个人数量，不区分是否敏感；请求分别统计非敏感和敏感"
            "个人信息的个人数量，未说明二者重合部分，因此本系统将二者相加（为不同自然人数量的上限"
            "，不会少计）（未经核实的解读）。在该制度下，earlier_this_year各字段应当涵盖自上年1月"
            "1日起的全部期间。"
        ),
        "cn.provisions.counting": (
            "对第二版申报指南的评论认为，依据免予申报情形（第四条、第五条第（一）项至第（三）项）"
            "出境的个人信息不计入数量标准（研究资料标注⚠，未经核实）。本系统按请求报告的数量统计"
            "。"
        ),
        "cn.provisions.art13.processed-volume-displaced": (
            "官方未明确表示处理量标准已被取代（研究资料标注⚠，未经核实）；本系统自2024年3月22日起"
            "不再适用该标准。"
        ),
        "cn.sa-measures.art6.declaration": (
            "条号和材料清单系根据对官方文本的理解，研究资料未记录（未经核实）。"
        ),
        "cn.sa-guide-2.materials": ("未见记录表明第三版（2025年6月27日）修改了材料清单。"),
        "cn.sa-measures.art14.validity": (
            "2年有效期依据研究资料；提前60个工作日的要求依据对该办法的新闻报道（2022年7月7日）。"
        ),
        "cn.sa-guide-3.extension-conditions": (
            "来源于律师事务所（Hunton）对第三版指南的摘要，未与指南核对（未经核实）。"
        ),
        "cn.scc-guide-2.pipia-recency": ("据报道，未与指南核对（研究资料标注⚠，未经核实）。"),
        "cn.pipl.art38-2.certification": (
            "研究资料描述了2022年国家市场监督管理总局、国家互联网信息办公室公告及其实施规则，但未"
            "记录文号和日期。"
        ),
        "cn.certification-measures.eligibility": (
            "内容依据研究资料和国家网信办2025年10月17日发布的信息；条号未记录（未经核实）。"
        ),
        "cn.certification-measures.validity": (
            "3年有效期经国家网信办2025年10月17日发布的信息确认；提前6个月重新申请的要求仅来源于研"
            "究资料；条号未记录（未经核实）。"
        ),
    }
)
