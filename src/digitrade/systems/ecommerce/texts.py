"""The sentences the clearance engines give, as pairs of English and Chinese templates.

Every reason of the tax, returns and screening engines, every detail of a three-order check, the
hold of an order whose bonded book is short and the findings of the CEB validator are written
from a template here, filled with ``render``. A value that is itself a ``Text`` is put in each
language's own wording; any other value (money already formatted with two decimals, counts,
dates, codes, field names) goes into both as is, so numbers read the same in both languages
(``{limit:,}`` gives ``5,000`` in each). The Chinese follows customs' and the tax authorities'
wording (跨境电子商务零售进口, 单次交易限值, 年度交易限值, 完税价格, 三单比对, 订购人, 支付人,
退货, 保税, 锂离子电池, 包装说明 PI 965).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from digitrade.core.text import Text


def _t(en: str, zh: str) -> Text:
    return Text(en, zh)


TEMPLATES: Mapping[str, Text] = MappingProxyType(
    {
        # Retail-import tax and limits (tax/) --------------------------------------------------
        "tax.not_on_positive_list": _t(
            "not on the retail-import positive list: {skus}",
            "不在跨境电子商务零售进口商品清单内：{skus}",
        ),
        "tax.buyer_id_invalid": _t(
            "buyer_id is not a resident identity card number: {problem}",
            "订购人身份证件号码不是有效的居民身份证号码：{problem}",
        ),
        "tax.over_annual_limit": _t(
            "annual total {before} + {dutiable} = {after} exceeds the RMB {limit:,} annual limit "
            "({instrument}); general trade only",
            "年度累计交易额 {before} + {dutiable} = {after}，超过人民币 {limit:,} 元的年度交易限值"
            "（{instrument}）；只能按一般贸易进口",
        ),
        "tax.over_transaction_limit": _t(
            "dutiable value {dutiable} exceeds the RMB {limit:,} transaction limit ({instrument}) "
            "and the order is not a single indivisible item; general trade only",
            "完税价格 {dutiable} 超过人民币 {limit:,} 元的单次交易限值（{instrument}），且订单"
            "不是单件不可分割商品；只能按一般贸易进口",
        ),
        "tax.single_item_full_tax": _t(
            "one indivisible item of dutiable value {dutiable} over the RMB {limit:,} transaction "
            "limit: full duty, VAT and consumption tax ({instrument}); it counts toward the "
            "annual total",
            "完税价格 {dutiable} 的单件不可分割商品超过人民币 {limit:,} 元的单次交易限值：全额"
            "征收关税、进口环节增值税和消费税（{instrument}）；计入年度交易总额",
        ),
        # Consumption tax basis of a line (tax/excise.py)
        "excise.none": _t("no consumption tax", "不征消费税"),
        "excise.ad_valorem": _t(
            "ad valorem rate stated by the operator", "经营者申报的从价消费税税率"
        ),
        "excise.cosmetics_before": _t("cosmetics before 1 October 2016", "2016年10月1日前的化妆品"),
        "excise.high_end": _t(
            "high-end cosmetics at RMB {price} per {per} {comparison} RMB {threshold}",
            "高档化妆品：每{per}人民币 {price} 元 {comparison} 人民币 {threshold} 元",
        ),
        "excise.not_high_end": _t(
            "cosmetics at RMB {price} per {per} {comparison} RMB {threshold}: not high-end, "
            "no consumption tax",
            "化妆品：每{per}人民币 {price} 元 {comparison} 人民币 {threshold} 元，不属于高档"
            "化妆品，不征消费税",
        ),
        # Resident identity numbers (identity.py)
        "identity.shape": _t(
            "must be 18 characters: 17 digits and a digit or X (GB 11643)",
            "应为18位：17位数字加1位数字或X（GB 11643）",
        ),
        "identity.birth_date": _t(
            "birth date {birth} is not a calendar date", "出生日期 {birth} 不是有效日期"
        ),
        "identity.check_character": _t(
            "the check character does not match (GB 11643 MOD 11-2)",
            "校验码不符（GB 11643 MOD 11-2）",
        ),
        # Returns (returns.py) ------------------------------------------------------------------
        "returns.import.applied_late": _t(
            "applied on day {day} after release; the return must be applied for within {days} "
            "days, by {apply_by} (GAC 2020 No.45)",
            "于放行后第 {day} 日申请；退货应在放行之日起 {days} 日内申请，即不晚于 {apply_by}"
            "（海关总署公告2020年第45号）",
        ),
        "returns.import.accepted": _t(
            "applied on day {applied} and goods back on day {back} after release, within {apply} "
            "and {goods} days (GAC 2020 No.45)",
            "于放行后第 {applied} 日申请退货、第 {back} 日退货商品运抵，在 {apply} 日和 {goods} "
            "日期限内（海关总署公告2020年第45号）",
        ),
        "returns.import.tax_not_collected": _t(
            "the tax is not collected and the buyer's annual total is reduced by the returned "
            "goods",
            "不予征收税款，并相应调整订购人的年度交易累计金额",
        ),
        "returns.goods_not_back": _t(
            "the goods are not back yet; they must be back within {period} of release, "
            "by {back_by}",
            "退货商品尚未运抵；应在放行之日起{period}内运抵，即不晚于 {back_by}",
        ),
        "returns.goods_back_late": _t(
            "the goods came back on {back}, after the last day {back_by} ({period} from release)",
            "退货商品于 {back} 运抵，晚于最后期限 {back_by}（放行之日起{period}）",
        ),
        "returns.export.applied_late": _t(
            "applied on {applied}, more than one year after export release (last day {back_by}, "
            "GAC 2020 No.44)",
            "于 {applied} 申请，已超过出口放行之日起一年（最后期限 {back_by}，"
            "海关总署公告2020年第44号）",
        ),
        "returns.export.accepted": _t(
            "returned within one year of export release, by {back_by} (GAC 2020 No.44)",
            "在出口放行之日起一年内退货，即不晚于 {back_by}（海关总署公告2020年第44号）",
        ),
        "returns.no_tax_relief_food": _t(
            "food is excluded from export-return tax relief",
            "食品不适用出口退货免税政策",
        ),
        "returns.no_tax_relief_outside_policy": _t(
            "exported on {exported}, outside the periods covered by export-return tax relief "
            "(30 January 2023 to 31 December 2025, extended to 2027)",
            "于 {exported} 出口，不在出口退货免税政策的适用期间内（2023年1月30日至2025年12月31日，"
            "延续至2027年）",
        ),
        "returns.no_tax_relief_late": _t(
            "back on {back}, after the 6 months that end on {relief_by}; duty, VAT and "
            "consumption tax are due",
            "于 {back} 退回，超过截至 {relief_by} 的6个月期限；应征收进口关税和进口环节增值税、"
            "消费税",
        ),
        "returns.tax_relief": _t(
            "back within 6 months of export (by {relief_by}): free of duty, VAT and consumption "
            "tax, export duty refunded, any export rebate repaid first ({instrument}{unverified})",
            "自出口之日起6个月内（不晚于 {relief_by}）退回：免征进口关税和进口环节增值税、消费税，"
            "出口时已征收的出口关税准予退还，已办理出口退税的应先补缴（{instrument}{unverified}）",
        ),
        "returns.unverified": _t(
            "; this period's extension is not verified", "；该期间的延续政策未经核实"
        ),
        # Three-order matching (matching.py) ---------------------------------------------------
        "match.waiting": _t("waiting for the {labels}", "等待{labels}"),
        "match.differs": _t("{field} differs: {shown}", "{field}不一致：{shown}"),
        "match.value": _t("{role} {value}", "{role} {value}"),
        "match.empty": _t("(empty)", "（空）"),
        "match.keys.passed": _t(
            "orderNo and ebpCode link the order, payment and list; logisticsNo and logisticsCode "
            "link the waybill and list",
            "orderNo 与 ebpCode 关联订单、支付单和清单；logisticsNo 与 logisticsCode "
            "关联运单和清单",
        ),
        "match.buyer_id": _t("buyerIdNumber {problem}", "buyerIdNumber {problem}"),
        "match.buyer_identity.passed": _t(
            "the list's buyer is the order's buyer, with a well-formed resident ID number",
            "清单的订购人即订单的订购人，居民身份证号码格式正确",
        ),
        "match.payer_identity.passed": _t(
            "the payer is the buyer: same name and identity number",
            "支付人即订购人：姓名和身份证件号码一致",
        ),
        "match.amounts.passed": _t(
            "the payment equals acturalPaid = goods + freight + tax - discount",
            "支付金额等于实际支付金额 acturalPaid = 货值 + 运费 + 税款 - 非现金抵扣",
        ),
        "match.goods.passed": _t(
            "the order lines add up to goodsValue; the list has the same items, quantities, totals",
            "订单表体合计等于 goodsValue；清单的商品、数量和总价与订单一致",
        ),
        "match.line_count": _t(
            "the order has {order} lines, the list {inventory}",
            "订单有 {order} 项商品，清单有 {inventory} 项",
        ),
        "match.line_field": _t("line {index} {field}", "第 {index} 项 {field}"),
        "match.freight.passed": _t(
            "freight and insurance agree across the order, waybill and list",
            "订单、运单和清单的运费、保费一致",
        ),
        "match.consignee.passed": _t(
            "consignee name, telephone and address are the waybill's",
            "收货人姓名、电话和地址与运单一致",
        ),
        "match.limits.app_time": _t(
            "the order's appTime is not a YYYYMMDDhhmmss time",
            "订单的 appTime 不是 YYYYMMDDhhmmss 格式的时间",
        ),
        "match.limits.before_policy": _t(
            "{day} is before the retail-import tax policy ({instrument}, from {start})",
            "{day} 早于跨境电子商务零售进口税收政策的施行日期（{instrument}，自 {start} 起）",
        ),
        "match.limits.over_transaction": _t(
            "dutiable value {dutiable} exceeds the RMB {limit:,} transaction limit and the order "
            "is not a single item ({instrument})",
            "完税价格 {dutiable} 超过人民币 {limit:,} 元的单次交易限值，且订单不是单件商品"
            "（{instrument}）",
        ),
        "match.limits.no_annual": _t(
            "dutiable value {dutiable} is within the transaction limit; the annual total was not "
            "checked: no annual total supplied",
            "完税价格 {dutiable} 未超过单次交易限值；未提供年度累计交易额，未核对年度交易限值",
        ),
        "match.limits.over_annual": _t(
            "annual total {after} would exceed the RMB {limit:,} annual limit ({instrument})",
            "年度累计交易额 {after} 将超过人民币 {limit:,} 元的年度交易限值（{instrument}）",
        ),
        "match.limits.passed": _t(
            "dutiable value {dutiable}, annual total {after}: within RMB {transaction:,} and "
            "{annual:,} ({instrument})",
            "完税价格 {dutiable}，年度累计交易额 {after}：未超过人民币 {transaction:,} 元的单次"
            "交易限值和 {annual:,} 元的年度交易限值（{instrument}）",
        ),
        "match.tax.not_recomputed": _t(
            "taxTotal {declared} not recomputed: no expected tax supplied",
            "taxTotal {declared} 未复核：未提供应征税款",
        ),
        "match.tax.passed": _t(
            "taxTotal {declared} equals the recomputed tax",
            "taxTotal {declared} 等于复核计算的税款",
        ),
        "match.code_malformed": _t(
            "{field} {code} is neither a 10-character customs code nor an 18-character credit code",
            "{field} {code} 既不是10位海关编码，也不是18位统一社会信用代码",
        ),
        "match.code_unregistered": _t(
            "{field} {code} is not registered with customs", "{field} {code} 未在海关备案"
        ),
        "match.enterprise_codes.unregistered": _t(
            "codes agree and are well formed; registration not checked: no register supplied",
            "企业代码一致且格式正确；未提供企业备案名录，未核对备案",
        ),
        "match.enterprise_codes.passed": _t(
            "codes agree, are well formed and registered",
            "企业代码一致、格式正确且已备案",
        ),
        "match.timing.list_time": _t(
            "the list's appTime is not a YYYYMMDDhhmmss time",
            "清单的 appTime 不是 YYYYMMDDhhmmss 格式的时间",
        ),
        "match.timing.bad_time": _t(
            "the {role}'s {field} is not a YYYYMMDDhhmmss time",
            "{role}的 {field} 不是 YYYYMMDDhhmmss 格式的时间",
        ),
        "match.timing.after": _t(
            "the {role}'s {field} {value} is after the list's appTime {listed}",
            "{role}的 {field} {value} 晚于清单的 appTime {listed}",
        ),
        "match.timing.passed": _t(
            "order, payment and waybill were declared before the list",
            "订单、支付单和运单均在清单之前申报",
        ),
        # Bonded account book (service.py) ------------------------------------------------------
        "bonded.lot": _t(
            "book {book_no} item {item_no} ({status})",
            "账册 {book_no} 料号 {item_no}（{status}）",
        ),
        "bonded.stock_short": _t(
            "{lot} has {on_hand} on hand; {wanted} cannot leave it (stock cannot go negative)",
            "{lot} 现有库存 {on_hand}，不能出库 {wanted}（库存不得为负数）",
        ),
        "bonded.no_book": _t(
            "the bonded inventory list names no account book (emsNo)",
            "保税清单未填写账册编号（emsNo）",
        ),
        "bonded.line_unreadable": _t(
            "line {gnum}: item and a whole quantity are needed",
            "第 {gnum} 项：需要料号和整数数量",
        ),
        # Air dangerous goods (dangerous_goods.py) ---------------------------------------------
        "dg.pi965": _t(
            "lithium ion {what} alone: Class 9, cargo aircraft only",
            "单独运输的锂离子{what}：第9类，仅限货机（包装说明 PI 965）",
        ),
        "dg.ion_with_equipment": _t(
            "lithium ion {what} {relation} equipment: Section {section}",
            "{relation}的锂离子{what}：第 {section} 部分",
        ),
        "dg.soc_recommended_967": _t(
            "a state of charge of at most 30% is recommended (PI 967)",
            "建议荷电状态不超过30%（包装说明 PI 967）",
        ),
        "dg.soc_undeclared": _t(
            "PI 965 needs a state of charge of at most 30%: declare it",
            "包装说明 PI 965 要求荷电状态不超过30%：请申报荷电状态",
        ),
        "dg.soc_over_30": _t(
            "state of charge {soc}% exceeds 30%; only with State of Origin and State of Operator "
            "approval",
            "荷电状态 {soc}% 超过30%；须经始发国和经营人所在国批准方可运输",
        ),
        "dg.soc_packed_required": _t(
            "state of charge {shown}: at most 30% is mandatory for batteries over 2.7 Wh packed "
            "with equipment from 1 January 2026 ({edition})",
            "荷电状态 {shown}：自2026年1月1日起，与设备包装在一起、超过2.7 Wh的电池荷电状态"
            "不得超过30%（{edition}）",
        ),
        "dg.soc_packed_recommended": _t(
            "state of charge {shown}: at most 30% is recommended in 2025 and mandatory from "
            "1 January 2026",
            "荷电状态 {shown}：2025年建议不超过30%，自2026年1月1日起强制要求不超过30%",
        ),
        "dg.soc_undeclared_word": _t("undeclared", "未申报"),
        "dg.too_many_spares": _t(
            "{quantity} batteries packed with equipment that needs {required}: at most {allowed} "
            "(those needed plus {spares} spares, {edition})",
            "与设备包装在一起的电池 {quantity} 块，设备需要 {required} 块：最多 {allowed} 块"
            "（所需数量加 {spares} 块备用，{edition}）",
        ),
        "dg.pi968": _t(
            "lithium metal {what} alone: Class 9, cargo aircraft only",
            "单独运输的锂金属{what}：第9类，仅限货机（包装说明 PI 968）",
        ),
        "dg.metal_with_equipment": _t(
            "lithium metal {what} {relation} equipment: Section {section}",
            "{relation}的锂金属{what}：第 {section} 部分",
        ),
        "dg.ion_what": _t("{kind} of {wh} Wh", "{kind}（{wh} Wh）"),
        "dg.metal_what": _t("{kind} of {grams} g lithium", "{kind}（锂含量 {grams} g）"),
        "dg.cell": _t("cell", "电芯"),
        "dg.battery": _t("battery", "电池"),
        "dg.packed_with": _t("packed with", "与设备包装在一起"),
        "dg.contained_in": _t("contained in", "安装在设备中"),
        "dg.magnet_not_restricted": _t(
            "{strength} A/m at 2.1 m is below 0.418 A/m: not restricted",
            "距离2.1 m处磁场强度 {strength} A/m，低于0.418 A/m：不受限制",
        ),
        "dg.pi953": _t(
            "{strength} A/m at 2.1 m: magnetized material, Class 9",
            "距离2.1 m处磁场强度 {strength} A/m：磁性物质，第9类（包装说明 PI 953）",
        ),
        "dg.magnet_4_6m_unknown": _t(
            "measure the field at 4.6 m: at 0.418 A/m or more it is forbidden",
            "请测量距离4.6 m处的磁场强度：达到或超过0.418 A/m的禁止航空运输",
        ),
        "dg.magnet_forbidden": _t(
            "{strength} A/m at 4.6 m: forbidden unless approved",
            "距离4.6 m处磁场强度 {strength} A/m：除经批准外禁止航空运输",
        ),
        "dg.not_flammable": _t(
            "flash point {flash} °C is above 60 °C: not restricted",
            "闪点 {flash} °C 高于60 °C：不受限制",
        ),
        "dg.flash_point_assumed": _t(
            "no flash point declared: taken as ethanol-based, PG II",
            "未申报闪点：按乙醇基产品处理，II类包装",
        ),
        "dg.un1266": _t(
            "perfumery products, Class 3 PG {group}: {total} ml in all",
            "香料制品（UN1266），第3类 {group}类包装：共 {total} ml",
        ),
        "dg.over_quantity": _t(
            "{total} ml exceeds the {limit} ml cargo limit",
            "{total} ml 超过货机限量 {limit} ml",
        ),
        "dg.un1950": _t(
            "aerosols, Division 2.1: no excepted quantity (E0)",
            "气溶胶（UN1950），第2.1项：不允许以例外数量运输（E0）",
        ),
        "dg.not_an_aerosol": _t(
            "{volume} ml exceeds the 1 L capacity of an aerosol",
            "{volume} ml 超过气溶胶容器1 L的容量上限",
        ),
        "dg.mass_not_checked": _t(
            "no gross mass given: the 30/75/150 kg limits were not checked",
            "未提供毛重：未核对30/75/150 kg的限量",
        ),
        "dg.not_screened": _t("not a dangerous good screened here", "不属于本系统筛查的危险品"),
        "dg.not_by_mail": _t(
            "mail carries only lithium batteries installed in equipment within the Section II "
            "thresholds (SPB/CAAC 2014)",
            "邮件只能寄递安装在设备中、符合第 II 部分限值的锂电池"
            "（国家邮政局、中国民用航空局2014年）",
        ),
        "dg.edition_assumed": _t(
            "no edition after {edition} is modelled; it was applied",
            "尚未收录 {edition} 之后的版本；已按该版本判断",
        ),
        "dg.item_refused": _t("item {index} is refused", "第 {index} 项物品不予运输"),
        "dg.perfume_total": _t(
            "the perfume of PG {group} together is too much for {lost}",
            "{group}类包装的香水合计数量过多，不能按{lost}运输",
        ),
        "dg.lost.excepted": _t("an excepted quantity", "例外数量"),
        "dg.lost.limited": _t("a limited quantity", "有限数量"),
        "dg.lost.passenger": _t("passenger aircraft", "客机"),
        "dg.lost.cargo": _t("cargo aircraft", "货机"),
        # CEB message validation (ceb/validation.py, ceb/parser.py) -----------------------------
        "ceb.required": _t("is required", "为必填项"),
        "ceb.not_empty": _t("must not be empty", "不得为空"),
        "ceb.repeated": _t("appears more than once", "重复出现"),
        "ceb.unknown_field": _t("is not a field of this record", "不是该节点的字段"),
        "ceb.out_of_order": _t("must come before {before}", "应位于 {before} 之前"),
        "ceb.code_one": _t("must be {allowed}", "应为 {allowed}"),
        "ceb.code_any": _t("must be one of {allowed}", "应为以下代码之一：{allowed}"),
        "ceb.too_long": _t(
            "must be at most {limit} characters (has {length})",
            "不得超过 {limit} 个字符（现有 {length} 个）",
        ),
        "ceb.pattern": _t("must be {hint}", "应为{hint}"),
        "ceb.number": _t(
            "must be a number with at most 14 digits before and 5 after the point (N19,5)",
            "应为数字，整数部分不超过14位、小数部分不超过5位（N19,5）",
        ),
        "ceb.integer": _t("must be a whole number", "应为整数"),
        "ceb.timestamp": _t(
            "must be a time written YYYYMMDDhhmmss", "应为 YYYYMMDDhhmmss 格式的时间"
        ),
        "ceb.day": _t("must be a date written YYYYMMDD", "应为 YYYYMMDD 格式的日期"),
        "ceb.receipt_time": _t(
            "must be a time written YYYYMMDDhhmmss or YYYYMMDDhhmmssfff",
            "应为 YYYYMMDDhhmmss 或 YYYYMMDDhhmmssfff 格式的时间",
        ),
        "ceb.signature": _t(
            "a declared message (appStatus 2) must carry its XML-DSig signature",
            "已申报的报文（appStatus 为 2）应附 XML-DSig 签名",
        ),
        "ceb.gnum": _t(
            "must be {index}: lines are numbered 1, 2, 3...",
            "应为 {index}：商品序号按 1、2、3……顺序编号",
        ),
        "ceb.line_total": _t(
            "totalPrice {total} does not equal qty {qty} x price {price} = {product}",
            "总价 totalPrice {total} 不等于数量 qty {qty} × 单价 price {price} = {product}",
        ),
        "ceb.goods_value": _t(
            "goodsValue {goods} does not equal the sum of {list_name} totalPrice {line_sum}",
            "商品价格 goodsValue {goods} 不等于 {list_name} 总价 totalPrice 之和 {line_sum}",
        ),
        "ceb.actual_paid": _t(
            "acturalPaid {paid} does not equal goodsValue + freight + taxTotal - discount "
            "= {expected}",
            "实际支付金额 acturalPaid {paid} 不等于 goodsValue + freight + taxTotal - discount "
            "= {expected}",
        ),
        "ceb.bonded_required": _t(
            "is required for bonded trade mode {mode}", "保税监管方式 {mode} 下为必填项"
        ),
        "ceb.tax_total": _t(
            "{name} {head} does not equal the sum of the list {line_sum}",
            "{name} {head} 不等于表体合计 {line_sum}",
        ),
        "ceb.return_status": _t(
            "must be one of {allowed} or a negative error code",
            "应为 {allowed} 之一或负数错误代码",
        ),
        "ceb.namespace": _t("{name} is not in the CEB namespace", "{name} 不在 CEB 命名空间内"),
        "ceb.not_part": _t("{name} is not part of {part}", "{name} 不属于 {part}"),
        "ceb.missing": _t("{name} is missing", "缺少 {name}"),
        "ceb.text_only": _t(
            "{name} must hold text, not elements", "{name} 应为文本，不得包含子节点"
        ),
    }
)

# The Chinese of the format hints of CEB fields (``FieldSpec.pattern_hint``).
PATTERN_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "a three-digit code": "三位数字代码",
        "a four-digit customs code": "四位数字海关关区代码",
        "a ten-digit HS code": "十位商品编码",
        "36 characters: digits, upper-case letters, - or _": "36个字符：数字、大写字母、- 或 _",
        "customs code, year, I or E and 9 digits (18 characters)": (
            "关区代码、年份、I 或 E 加9位数字（共18个字符）"
        ),
        "B, an 8-digit date and 9 digits (18 characters)": "B 加8位日期和9位数字（共18个字符）",
        "at most 16 letters and digits": "不超过16位的字母和数字",
        "a six-digit district code": "六位行政区划代码",
        "a package-type code": "包装种类代码",
        "a 4, 8 or 10-digit HS code": "4位、8位或10位商品编码",
    }
)


# The templates that take no values, filled once (``TEMPLATES`` is read only; ``Text`` frozen).
_FILLED: dict[str, Text] = {}


def render(key: str, **values: object) -> Text:
    """The template ``key`` filled with ``values`` in both languages."""
    if not values:
        filled = _FILLED.get(key)
        if filled is None:
            template = TEMPLATES[key]
            filled = _FILLED[key] = Text(template.en.format(), template.zh.format())
        return filled
    template = TEMPLATES[key]
    for value in values.values():
        if isinstance(value, Text):
            en, zh = _by_language(values)
            return Text(template.en.format_map(en), template.zh.format_map(zh))
    # Plain values read the same in both languages: one mapping serves both templates.
    return Text(template.en.format_map(values), template.zh.format_map(values))


def _by_language(values: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """The values for the English and for the Chinese template: a ``Text`` in its own wording."""
    en: dict[str, object] = {}
    zh: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, Text):
            en[name], zh[name] = value.en, value.zh
        else:
            en[name] = zh[name] = value
    return en, zh
