"""常用法律依据（Citation 常量），供各规则模块引用。

Law names follow the existing modules (statutes by their short name, judicial
interpretations by their full title); markers follow ``shared/domain/rules-reference.md``:
``V`` read in the full text, ``Vq`` read in a quotation, ``U`` unverified.
"""

from __future__ import annotations

from zhixing.rules.results import Citation

__all__ = [
    "BANKR",
    "CIVCODE",
    "CPL",
    "ENTRUST",
    "EXEC_PROC",
    "EXEC_WORK",
    "FILECLOSE",
    "INVEST",
    "JI_CPL",
    "OBJ",
    "REGFILE",
    "SETTLE",
    "TERM00",
    "TERM06",
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
}

#: Documents only read in quotations: their articles are [Vq] unless stated otherwise.
_QUOTED = frozenset({TERM06, ZHONGBEN, FILECLOSE})


def cite(law: str, article: str, marker: str | None = None) -> Citation:
    """按本模块的文件名称和版本年份构造依据；marker 省略时按参考资料的核实情况取 V 或 Vq。"""
    if marker is None:
        marker = "Vq" if law in _QUOTED else "V"
    return Citation(law, article, _YEARS.get(law), marker)
