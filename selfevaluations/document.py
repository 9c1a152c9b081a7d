"""The self-evaluation as one sequence of blocks (headings, paragraphs, numbered tables), written from a version's
figures and narrative sections. ``rendering`` turns the same blocks into the Word document and the PDF, so the two
files say the same thing in the same order."""

from dataclasses import dataclass, field

from core.money import format_wan

from .choices import Section

#: The heading of the indicator table (docs/api.md "Self-evaluations").
INDICATOR_HEADERS = ["序号", "指标名称", "目标值", "完成值", "完成率"]
#: The indicators of the per-unit table (actual over the unit's allocation), with their short names.
UNIT_COLUMNS = {
    "1+2": "改造企业",
    "5": "上云用云",
    "7": "数字化车间及智能工厂",
    "8": "四级企业",
    "R2": "二级及以上占比",
}
NO_TEXT = "（本节文字尚未撰写。）"


@dataclass
class Block:
    kind: str  # "title", "h1", "h2", "p", "note", "table"
    text: str = ""
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    number: int = 0  # tables: 表1, 表2, ...


class Writer:
    def __init__(self):
        self.blocks = []
        self.tables = 0

    def add(self, kind, text=""):
        self.blocks.append(Block(kind, str(text)))

    def paragraphs(self, text):
        for line in (text or NO_TEXT).splitlines():
            if line.strip():
                self.add("p", line.strip())

    def table(self, caption, headers, rows):
        self.tables += 1
        self.blocks.append(
            Block("table", f"表{self.tables}　{caption}", headers, [[str(c) for c in r] for r in rows], self.tables)
        )


def wan(value):
    return format_wan(value, unit=False)


def blocks_of(evaluation):
    """The blocks of ``evaluation`` (a built version: its ``content`` and ``narratives``)."""
    content = evaluation.content
    texts = {n["section"]: n["text"] for n in evaluation.narratives}
    prov = content["provenance"]
    basic = content["basic"]
    res = content["results"]
    funds = content["funds"]
    w = Writer()
    w.add("title", f"松江区中小企业数字化转型城市试点{evaluation.stage_name}")
    w.add("note", f"截至 {evaluation.as_of.isoformat()} · 第 {evaluation.version} 版")
    w.add(
        "note",
        f"数据来源：报告快照 {prov['snapshot']}（{prov['period']}，截至 {prov['as_of']}，生成于 {prov['computed_at']}）；"
        + (f"账期已结至 {prov['closed_through']}；" if prov["closed_through"] else "生成时无已结账期；")
        + (f"审计链 {prov['audit_entries']} 条，链头 {prov['audit_head']}。" if prov["audit_head"] else "审计链：—。"),
    )

    w.add("h1", "一、试点基本情况")
    w.paragraphs(texts.get(Section.OVERVIEW))
    w.add(
        "p",
        f"截至统计日，试点名单内企业 {basic['enterprises']} 家；服务商 {basic['providers']} 家（其中入库 "
        f"{basic['providers_in_pool']} 家），产品和解决方案 {basic['products']} 个。",
    )
    w.table("试点企业按行业分布", ["行业", "企业数（家）"], basic["by_sector"])
    w.table(
        "试点企业按规模和梯度分布",
        ["类别", "企业数（家）"],
        [[f"规模：{a}", b] for a, b in basic["by_scale"]] + [[f"梯度：{a}", b] for a, b in basic["by_tier"]],
    )
    w.table("试点企业按属地分布", ["属地", "企业数（家）"], basic["by_unit"])

    w.add("h1", "二、目标完成情况")
    w.add("p", "下表为试点全周期（2024年10月起至统计日）的指标完成情况，数值取自上述报告快照。")
    w.table(
        "指标完成情况（全周期）",
        INDICATOR_HEADERS,
        [
            [r["number"], r["name"], r["target_shown"], r["actual_shown"], r["completion_shown"]]
            for r in content["indicators"]
        ],
    )

    w.add("h1", "三、工作开展情况")
    w.paragraphs(texts.get(Section.WORK))
    w.table(
        "工作任务推进情况",
        ["序号", "任务", "责任部门", "完成时限", "进展", "完成度"],
        [
            [i + 1, t["title"], t["departments"] or t["unit"], t["deadline"], t["status"], f"{t['percent']}%"]
            for i, t in enumerate(content["tasks"])
        ],
    )

    w.add("h1", "四、资金使用情况")
    w.paragraphs(texts.get(Section.FUNDS))
    w.table(
        "资金总体情况（万元）",
        ["资金来源", "资金总额", "已安排", "已承诺", "已拨付"],
        [
            [s["name"], wan(s["amount"]), wan(s["budgeted"]), wan(s["committed"]), wan(s["paid"])]
            for s in funds["sources"]
        ],
    )
    lines = [
        [s["name"], ln["purpose"], wan(ln["amount"]), wan(ln["committed"]), wan(ln["paid"])]
        for s in funds["sources"]
        for ln in s["lines"]
    ]
    w.table("资金按用途使用情况（万元）", ["资金来源", "用途", "安排", "承诺", "拨付"], lines)
    rules = [
        [s["name"], r["label"], r["floor_of_grant"], r["capped_of_grant"]] for s in funds["sources"] for r in s["rules"]
    ]
    if rules:
        w.table("中央资金80/20比例执行情况", ["资金来源", "口径", "企业改造补助占比", "其他四类用途占比"], rules)
    interest = funds["interest"]
    w.add(
        "p",
        f"贴息贴费：共 {interest['count']} 笔，补贴金额 {format_wan(interest['amount'])}，"
        f"对应贷款 {format_wan(interest['loans'])}。",
    )

    w.add("h1", "五、试点成效")
    w.paragraphs(texts.get(Section.RESULTS))
    levels = res["levels"]
    w.table(
        "试点企业数字化水平改造前后分布（家）",
        ["等级", "改造前", "改造后"],
        [[f"{lv}级", levels["before"][i], levels["after"][i]] for i, lv in enumerate(levels["levels"])],
    )
    w.add(
        "p",
        f"改造后达到四级的企业 {res['level4_after']} 家；链式转型典型模式 {res['chain_models']} 个，"
        f"典型场景 {res['typical_scenarios']} 个，智能工厂 {res['smart_factories']} 家。",
    )
    w.table("认定情况", ["类别", *res["recognition_levels"], "合计"], res["recognitions"])
    if res["key_providers"]:
        w.table("重点服务商", ["服务商", "承担项目（个）", "已通过验收（个）"], res["key_providers"])

    w.add("h1", "六、各属地绩效情况")
    w.add("p", "下表为各街镇（经开区）主要指标的完成值与分配目标（完成值/目标值），全部指标见报告快照的分属地附表。")
    headers = ["属地"] + [f"{number} {UNIT_COLUMNS[number]}" for number in UNIT_COLUMNS] + ["改造企业完成率"]
    rows = []
    for unit in content["units"]:
        cells = {r["number"]: r for r in unit["rows"]}
        row = [unit["name"]]
        for number in UNIT_COLUMNS:
            cell = cells.get(number)
            row.append(f"{cell['actual']}/{cell['target']}" if cell else "—")
        row.append(cells["1+2"]["completion"] if "1+2" in cells else "—")
        rows.append(row)
    w.table("各属地主要指标完成情况（完成值/目标值）", headers, rows)

    w.add("h1", "七、存在问题")
    w.paragraphs(texts.get(Section.PROBLEMS))
    w.add("h1", "八、下一步工作")
    w.paragraphs(texts.get(Section.NEXT_STEPS))
    return w.blocks
