"""常用法律依据（Citation 常量），供各规则模块引用。

Law names follow the existing modules (statutes by their short name, judicial
interpretations by their full title); markers follow ``shared/domain/rules-reference.md``:
``V`` read in the full text, ``Vq`` read in a quotation, ``U`` unverified.
"""

from __future__ import annotations

from zhixing.rules.results import Citation

__all__ = [
    "BANKR",
    "CHECKS21",
    "CIVCODE",
    "CPL",
    "CRIM",
    "CROSS24",
    "ENTRUST",
    "EXEC_PROC",
    "EXEC_WORK",
    "FILECLOSE",
    "GOODFAITH19",
    "INVEST",
    "JI_CPL",
    "OBJ",
    "REFUSE24",
    "REGFILE",
    "SETTLE",
    "SHIXIN13",
    "SHIXIN17",
    "TERM00",
    "TERM06",
    "XIANGAO10",
    "XIANGAO15",
    "ZHONGBEN",
    "cite",
]

CPL = "民事诉讼法"
JI_CPL = "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释"
EXEC_WORK = "最高人民法院关于人民法院执行工作若干问题的规定（试行）"
EXEC_PROC = "最高人民法院关于适用《中华人民共和国民事诉讼法》执行程序若干问题的解释"
INVEST = "最高人民法院关于民事执行中财产调查若干问题的规定"
SETTLE = "最高人民法院关于执行和解若干问题的规定"
OBJ = "最高人民法院关于人民法院办理执行异议和复议案件若干问题的规定"
TERM00 = "最高人民法院关于严格执行案件审理期限制度的若干规定"
TERM06 = "最高人民法院关于人民法院办理执行案件若干期限的规定"
ZHONGBEN = "最高人民法院关于严格规范终结本次执行程序的规定（试行）"
FILECLOSE = "最高人民法院关于执行案件立案、结案若干问题的意见"
ENTRUST = "最高人民法院关于委托执行若干问题的规定"
REGFILE = "最高人民法院关于人民法院登记立案若干问题的规定"
CIVCODE = "民法典"
BANKR = "企业破产法"
#: 失信规定. The 2017 amendment kept the 2013 title, so SHIXIN13 and SHIXIN17 are the same string:
#: the version is the year — ``cite(SHIXIN13, "第2条", year=2013)`` for the 2013 text (read in full, [V]),
#: ``cite(SHIXIN17, …)`` for the 2017 text (read only in quotations, [Vq]).
SHIXIN17 = "最高人民法院关于公布失信被执行人名单信息的若干规定"
SHIXIN13 = SHIXIN17
#: 限高规定: renamed by the 2015 amendment (…高消费**及有关消费**…); 2015 text read in quotations only.
XIANGAO15 = "最高人民法院关于限制被执行人高消费及有关消费的若干规定"
XIANGAO10 = "最高人民法院关于限制被执行人高消费的若干规定"
GOODFAITH19 = "最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见"
REFUSE24 = "最高人民法院、最高人民检察院关于办理拒不执行判决、裁定刑事案件适用法律若干问题的解释"
#: Criminal Law, "current consolidated text" in the rules reference (no version year given there).
CRIM = "刑法"
#: Items 28 and 30 read in quotations only (upper courts' supervision; designation not to delay).
CHECKS21 = "最高人民法院关于进一步完善执行权制约机制加强执行监督的意见"
#: Existence, date and the five forms read in a news article only; its criteria are [U].
CROSS24 = "最高人民法院关于交叉执行工作的指导意见"

#: Version years used with each document (the text the rules reference read).
_YEARS = {
    CPL: 2023,
    JI_CPL: 2022,
    EXEC_WORK: 2020,
    EXEC_PROC: 2020,
    INVEST: 2020,
    SETTLE: 2020,
    OBJ: 2020,
    TERM00: 2000,
    TERM06: 2006,
    ZHONGBEN: 2016,
    FILECLOSE: 2014,
    ENTRUST: 2020,
    REGFILE: 2015,
    CIVCODE: 2020,
    BANKR: 2006,
    SHIXIN17: 2017,
    XIANGAO15: 2015,
    XIANGAO10: 2010,
    GOODFAITH19: 2019,
    REFUSE24: 2024,
    CHECKS21: 2021,
    CROSS24: 2024,
}

#: Documents only read in quotations: their articles are [Vq] unless stated otherwise.
_QUOTED = frozenset({TERM06, ZHONGBEN, FILECLOSE, SHIXIN17, XIANGAO15, GOODFAITH19, CHECKS21, CROSS24})

#: Older versions read in full text although the current version was read only in quotations: (law, year).
_FULL_TEXT_VERSIONS = frozenset({(SHIXIN13, 2013), (XIANGAO10, 2010)})


def cite(law: str, article: str, marker: str | None = None, *, year: int | None = None) -> Citation:
    """按本模块的文件名称和版本年份构造依据；marker 省略时按参考资料的核实情况取 V 或 Vq。

    ``year`` selects another version of the same document (e.g. ``cite(SHIXIN13, "第2条", year=2013)``).
    """
    if year is None:
        year = _YEARS.get(law)
    if marker is None:
        marker = "V" if (law, year) in _FULL_TEXT_VERSIONS or law not in _QUOTED else "Vq"
    return Citation(law, article, year, marker)
