"""The official 公开01–09 table layouts (and the optional 非税收入 table), as data.

One definition serves the blank-workbook writer, the reader and the renderer, so the three
cannot disagree about a label, a column or a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...numbering import cn_ordinal

# 2020 功能分类 classes (类) in the order 公开01/04 print them. Year-keyed: the list changes
# with the classification (抗疫特别国债 is a 2020 addition).
CLASSES_2020: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
)

CLASSES_BY_YEAR: dict[int, tuple[tuple[str, str], ...]] = {2020: CLASSES_2020}


def classes_for(year: int) -> tuple[tuple[str, str], ...]:
    """The class list of the nearest known year at or before `year` (the earliest otherwise)."""
    known = sorted(CLASSES_BY_YEAR)
    best = known[0]
    for y in known:
        if y <= year:
            best = y
    return CLASSES_BY_YEAR[best]


@dataclass(frozen=True)
class Line:
    """One fixed row of a paired table side: key None marks a blank filler row."""

    key: str | None
    label: str
    line: int | None  # 行次 as the standard template numbers it


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str | None = None  # super-header spanning consecutive columns


@dataclass(frozen=True)
class TableLayout:
    id: str  # t01 … t10
    number: int
    title: str
    shape: str  # paired | subject | economic | single | list
    columns: tuple[Column, ...] = ()
    note: str = ""  # {who} = 部门/单位
    landscape: bool = False
    optional: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"公开{self.number:02d}表"


def t01_income() -> list[Line]:
    names = [
        ("gpb", "一般公共预算财政拨款收入"),
        ("gf", "政府性基金预算财政拨款收入"),
        ("soc", "国有资本经营预算财政拨款收入"),
        ("superior", "上级补助收入"),
        ("business", "事业收入"),
        ("operating", "经营收入"),
        ("affiliated", "附属单位上缴收入"),
        ("other", "其他收入"),
    ]
    rows = [Line(k, f"{cn_ordinal(i)}、{n}", i) for i, (k, n) in enumerate(names, 1)]
    rows += [Line(None, "", i) for i in range(9, 27)]
    rows += [
        Line("income_total", "本年收入合计", 27),
        Line("nonfiscal_balance_used", "使用非财政拨款结余", 28),
        Line("opening_balance", "年初结转和结余", 29),
        Line("grand_total", "总计", 30),
    ]
    return rows


def class_lines(year: int, first_line: int) -> list[Line]:
    return [
        Line(code, f"{cn_ordinal(i)}、{name}", first_line + i - 1)
        for i, (code, name) in enumerate(classes_for(year), 1)
    ]


def t01_expenditure(year: int) -> list[Line]:
    rows = class_lines(year, 31)
    n = 31 + len(rows)
    rows += [
        Line("expenditure_total", "本年支出合计", n),
        Line("balance_distribution", "结余分配", n + 1),
        Line("closing_balance", "年末结转和结余", n + 2),
        Line("grand_total", "总计", n + 3),
    ]
    return rows


def t04_income() -> list[Line]:
    rows = [
        Line("gpb", "一、一般公共预算财政拨款", 1),
        Line("gf", "二、政府性基金预算财政拨款", 2),
        Line("soc", "三、国有资本经营预算财政拨款", 3),
    ]
    rows += [Line(None, "", i) for i in range(4, 27)]
    rows += [
        Line("income_total", "本年收入合计", 27),
        Line("opening_balance", "年初财政拨款结转和结余", 28),
        Line("opening_gpb", "一般公共预算财政拨款", 29),
        Line("opening_gf", "政府性基金预算财政拨款", 30),
        Line("opening_soc", "国有资本经营预算财政拨款", 31),
        Line("grand_total", "总计", 32),
    ]
    return rows


def t04_expenditure(year: int) -> list[Line]:
    rows = class_lines(year, 33)
    n = 33 + len(rows)
    rows += [
        Line("expenditure_total", "本年支出合计", n),
        Line("closing_balance", "年末财政拨款结转和结余", n + 1),
        Line(None, "", n + 2),
        Line(None, "", n + 3),
        Line(None, "", n + 4),
        Line("grand_total", "总计", n + 5),
    ]
    return rows


def sides(table_id: str, year: int) -> tuple[list[Line], list[Line]]:
    """The standard (income, expenditure) rows of a paired table."""
    if table_id == "t01":
        return t01_income(), t01_expenditure(year)
    return t04_income(), t04_expenditure(year)


# 公开06: the 2020 经济分类 rows of 一般公共预算财政拨款基本支出, in the three printed column
# groups (人员经费 | 公用经费 302 | 公用经费 307/310/312/399).
ECONOMIC_2020: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"),
        ("30103", "奖金"), ("30106", "伙食补助费"), ("30107", "绩效工资"),
        ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
        ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"),
        ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30114", "医疗费"),
        ("30199", "其他工资福利支出"), ("303", "对个人和家庭的补助"), ("30301", "离休费"),
        ("30302", "退休费"), ("30303", "退职（役）费"), ("30304", "抚恤金"),
        ("30305", "生活补助"), ("30306", "救济费"), ("30307", "医疗费补助"),
        ("30308", "助学金"), ("30309", "奖励金"), ("30310", "个人农业生产补贴"),
        ("30311", "代缴社会保险费"), ("30399", "其他对个人和家庭的补助"),
    ),
    (
        ("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"),
        ("30203", "咨询费"), ("30204", "手续费"), ("30205", "水费"), ("30206", "电费"),
        ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"),
        ("30211", "差旅费"), ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"),
        ("30214", "租赁费"), ("30215", "会议费"), ("30216", "培训费"),
        ("30217", "公务接待费"), ("30218", "专用材料费"), ("30224", "被装购置费"),
        ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
        ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"),
        ("30239", "其他交通费用"), ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出"),
    ),
    (
        ("307", "债务利息及费用支出"), ("30701", "国内债务付息"), ("30702", "国外债务付息"),
        ("30703", "国内债务发行费用"), ("30704", "国外债务发行费用"),
        ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"),
        ("31003", "专用设备购置"), ("31005", "基础设施建设"), ("31006", "大型修缮"),
        ("31007", "信息网络及软件购置更新"), ("31008", "物资储备"), ("31009", "土地补偿"),
        ("31010", "安置补助"), ("31011", "地上附着物和青苗补偿"), ("31012", "拆迁补偿"),
        ("31013", "公务用车购置"), ("31019", "其他交通工具购置"),
        ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"), ("31099", "其他资本性支出"),
        ("312", "对企业补助"), ("31201", "资本金注入"), ("31203", "政府投资基金股权投资"),
        ("31204", "费用补贴"), ("31205", "利息补贴"), ("31299", "其他对企业补助"),
        ("399", "其他支出"), ("39906", "赠与"), ("39907", "国家赔偿费用支出"),
        ("39908", "对民间非营利组织和群众性自治组织补贴"), ("39999", "其他支出"),
    ),
)
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "310", "312", "399")

T10_ROWS = (
    "一、政府性基金收入", "二、专项收入", "三、行政事业性收费收入", "四、罚没收入",
    "五、国有资本经营收入", "六、国有资源（资产）有偿使用收入", "七、捐赠收入",
    "八、政府住房基金收入", "九、其他收入",
)


def _cols(*labels: str, group: str | None = None) -> tuple[Column, ...]:
    return tuple(Column(f"c{i}", lab, group) for i, lab in enumerate(labels, 1))


def _renumber(cols: tuple[Column, ...]) -> tuple[Column, ...]:
    return tuple(Column(f"c{i}", c.label, c.group) for i, c in enumerate(cols, 1))


SPEND = "本年支出"
LAYOUTS: dict[str, TableLayout] = {
    t.id: t
    for t in (
        TableLayout(
            "t01", 1, "收入支出决算总表", "paired",
            note="1. 本表反映{who}本年度的总收支和年末结转结余情况。\n"
            "2. 本套报表金额单位转换时可能存在尾数误差。",
        ),
        TableLayout(
            "t02", 2, "收入决算表", "subject",
            _cols("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                  "附属单位上缴收入", "其他收入"),
            note="本表反映{who}本年度取得的各项收入情况。",
            extra={"code_header": "功能分类科目编码"},
        ),
        TableLayout(
            "t03", 3, "支出决算表", "subject",
            _cols("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                  "对附属单位补助支出"),
            note="本表反映{who}本年度各项支出情况。",
        ),
        TableLayout(
            "t04", 4, "财政拨款收入支出决算总表", "paired", landscape=True,
            note="本表反映{who}本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营"
            "预算财政拨款的总收支和年末结转结余情况。",
        ),
        TableLayout(
            "t05", 5, "一般公共预算财政拨款支出决算表", "subject",
            _cols("小计", "基本支出", "项目支出", group=SPEND),
            note="本表反映{who}本年度一般公共预算财政拨款支出情况。",
        ),
        TableLayout(
            "t06", 6, "一般公共预算财政拨款基本支出决算表", "economic", landscape=True,
            note="本表反映{who}本年度一般公共预算财政拨款基本支出明细情况。",
        ),
        TableLayout(
            "t07", 7, "一般公共预算财政拨款“三公”经费支出决算表", "single", landscape=True,
            note="本表反映{who}本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费"
            "{sangong_basis}；决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的"
            "实际支出。",
        ),
        TableLayout(
            "t08", 8, "政府性基金预算财政拨款收入支出决算表", "subject",
            _renumber(
                _cols("年初结转和结余", "本年收入")
                + _cols("小计", "基本支出", "项目支出", group=SPEND)
                + _cols("年末结转和结余")
            ),
            note="本表反映{who}本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
            extra={"empty_note": "本{who}没有使用政府性基金预算安排的支出，故本表无数据。"},
        ),
        TableLayout(
            "t09", 9, "国有资本经营预算财政拨款支出决算表", "subject",
            _cols("合计", "基本支出", "项目支出", group=SPEND),
            note="本表反映{who}本年度国有资本经营预算财政拨款支出情况。",
            extra={"empty_note": "本{who}没有使用国有资本经营预算安排的支出，故本表无数据。"},
        ),
        TableLayout(
            "t10", 10, "非税收入征缴情况表", "list",
            _cols("合计", "纳入预算管理", "纳入财政专户管理"),
            note="本表反映{who}本年度非税收入征缴情况。",
            optional=True,
        ),
    )
}

# 公开07: 预算数 (c1–c6) and 决算数 (c7–c12), each 合计 | 出国 | 车[小计 | 购置 | 运行] | 接待.
T07_KEYS = ("total", "abroad", "car", "car_purchase", "car_running", "reception")


def t07_labels(car_running: str) -> dict[str, str]:
    """Leaf labels of one 公开07 half; the 运行费 wording varies (运行费 / 运行维护费)."""
    car_group = "公务用车购置及运行维护费" if "维护" in car_running else "公务用车购置及运行费"
    return {
        "total": "合计",
        "abroad": "因公出国（境）费",
        "car_group": car_group,
        "car": "小计",
        "car_purchase": "公务用车购置费",
        "car_running": car_running,
        "reception": "公务接待费",
    }
