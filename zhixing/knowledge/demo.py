"""演示数据：six published items of the library (typical cases, practice notes, rule notes) written by
the demo staff and published by their bureau chiefs or the command centre, through the services.

Idempotent: an item whose title exists already is left alone. Where the demo has a 终本 case, its
judge links the self-check note to it (so the case page's 相关经验 card is not empty).
"""

from __future__ import annotations

from dataclasses import dataclass

from zhixing.core.models import User
from zhixing.core.roles import Role
from zhixing.knowledge import services
from zhixing.knowledge.models import KnowledgeItem, KnowledgeLink


@dataclass(frozen=True)
class Seed:
    court: str  # 法院代字
    author_role: str
    publisher_role: str
    kind: str
    title: str
    summary: str
    body: str
    tags: list[str]
    citations: list[str]


SEEDS = [
    Seed(
        court="浙0602",
        author_role="judge",
        publisher_role=Role.BUREAU_CHIEF,
        kind="practice_note",
        title="被执行人规避执行的识别与应对",
        summary="从财产异常流转、关联交易和身份切换三条线索识别规避执行，并以查控、罚款拘留和拒执追诉分层应对。",
        body=(
            "一、常见情形。判决生效前后集中转让房产、车辆或股权；以明显不合理低价与亲属、关联企业交易；"
            "放弃到期债权或为他人无偿提供担保；将经营收入改由他人账户收取；注销原企业另设新企业继续经营。\n\n"
            "二、识别线索。立案后即通过网络查控调取被执行人名下财产及近两年变动记录，重点比对生效法律文书"
            "送达前后的交易；对个体经营户调取收款码、第三方支付流水；结合申请执行人提供的线索开展现场调查。\n\n"
            "三、分层应对。对拒不报告、虚假报告财产的，先行罚款、拘留并纳入失信名单；对转移财产的，"
            "指导申请执行人提起撤销权诉讼或追加变更被执行人；罚款、拘留后仍拒不履行、情节严重的，"
            "及时移送公安机关或引导申请执行人提起自诉。\n\n"
            "四、留痕。每一项调查、约谈和处罚均在系统中记录，为终本合格性审查和拒执罪证据固定打好基础。"
        ),
        tags=["规避执行", "财产调查", "拒执"],
        citations=[
            "《中华人民共和国民事诉讼法》第一百一十四条",
            "《最高人民法院关于民事执行中财产调查若干问题的规定》",
        ],
    ),
    Seed(
        court="浙0603",
        author_role="assistant",
        publisher_role=Role.BUREAU_CHIEF,
        kind="rule_note",
        title="终本案件合格性自查要点",
        summary="终结本次执行程序前逐项自查：执行通知与报告财产令、限制消费与失信、财产调查穷尽、立案满三个月、约谈申请执行人。",
        body=(
            "一、程序性条件。已向被执行人发出执行通知、责令其报告财产；已发出限制消费令，符合条件的已纳入失信被执行人名单。\n\n"
            "二、财产调查穷尽。已通过网络执行查控系统查询存款、车辆、不动产、证券、网络资金等；"
            "对申请执行人或者其他人提供的财产线索逐一核查；网络查询无法覆盖的，已现场调查；必要时已搜查、悬赏或审计。\n\n"
            "三、期限。自立案之日起已超过三个月。\n\n"
            "四、约谈与确认。已将案件执行情况、采取的措施、财产调查结果和终本的法律后果告知申请执行人并听取意见，记录入卷；"
            "终本裁定须经申请执行人签字确认，或经合议庭审查并由院长批准。\n\n"
            "五、终本之后。被执行人仍负履行义务，已采取的措施继续有效；五年内每六个月通过网络查控系统查询一次财产，"
            "发现财产的及时恢复执行。"
        ),
        tags=["终本", "合格率", "自查"],
        citations=[
            "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第一条",
            "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十七条",
        ],
    ),
    Seed(
        court="浙06",
        author_role=Role.COMMAND_OPERATOR,
        publisher_role=Role.COMMAND_OPERATOR,
        kind="rule_note",
        title="拒执罪移送的证据标准",
        summary="移送追究拒不执行判决、裁定罪时，围绕有能力执行、拒不执行和情节严重三方面固定证据。",
        body=(
            "一、有能力执行。调取判决生效后被执行人的收入、财产及处分记录，扣除必要生活费用后仍有能力履行全部或部分义务。\n\n"
            "二、拒不执行的行为。执行通知、报告财产令、限制消费令的送达凭证；拒不报告、虚假报告财产或违反限制消费令的事实；"
            "此前已予罚款、拘留的决定书及送达记录。\n\n"
            "三、情节严重。对照司法解释列举的情形逐项说明，如罚款、拘留后仍拒不报告财产、违反限制消费令，"
            "或者隐藏、转移、毁损财产致使判决、裁定无法执行。\n\n"
            "四、移送与自诉。移送材料由执行法官整理、执行局长审核后移送公安机关；公安机关、检察机关不予追究的，"
            "告知申请执行人可以依法提起自诉。"
        ),
        tags=["拒执", "刑事移送", "证据"],
        citations=[
            "《中华人民共和国刑法》第三百一十三条",
            "《最高人民法院、最高人民检察院关于办理拒不执行判决、裁定刑事案件适用法律若干问题的解释》（法释〔2024〕13号）",
        ],
    ),
    Seed(
        court="浙0681",
        author_role="judge",
        publisher_role=Role.BUREAU_CHIEF,
        kind="practice_note",
        title="网络司法拍卖前联合审查",
        summary="拍卖公告发布前由合议庭对起拍价、瑕疵披露、优先购买权人通知和保证金等事项联合审查，减少流拍和撤拍。",
        body=(
            "一、审查主体。起拍价、降价幅度、保证金数额、优先购买权人及其顺序由合议庭评议决定。\n\n"
            "二、审查清单。参考价确定方式是否合法；起拍价是否不低于参考价的百分之七十；"
            "标的物现状、权利负担、占有使用情况及已知瑕疵是否如实披露；"
            "当事人及已知优先购买权人是否已在公告前三日通知；保证金是否在起拍价的百分之五至百分之二十之间。\n\n"
            "三、公告期。动产拍卖十五日前、不动产及其他财产权三十日前公告。\n\n"
            "四、效果。联合审查后，撤回拍卖和因公告瑕疵引发的执行异议明显减少。"
        ),
        tags=["网络司法拍卖", "财产处置", "合议庭"],
        citations=[
            "《最高人民法院关于人民法院网络司法拍卖若干问题的规定》第十条",
            "《最高人民法院关于人民法院网络司法拍卖若干问题的规定》第十二条",
            "《最高人民法院关于人民法院网络司法拍卖若干问题的规定》第十七条",
        ],
    ),
    Seed(
        court="浙0604",
        author_role="judge",
        publisher_role=Role.BUREAU_CHIEF,
        kind="typical_case",
        title="善意文明执行与信用修复：一起小微企业执行案",
        summary="对主动履行意愿强、暂时困难的小微企业给予宽限期、暂缓公布失信信息，履行完毕后及时删除，企业恢复经营。",
        body=(
            "【基本案情】某小微企业因拖欠货款被申请执行，账户被冻结后经营陷入停顿，企业负责人主动到院说明情况并提出分期履行方案。\n\n"
            "【执行情况】承办法官组织双方和解，在申请执行人同意后对部分账户解除冻结以保障工资发放；"
            "对企业给予两个月宽限期，暂缓公布失信信息。企业按期履行完毕后，法院在三个工作日内删除失信信息并解除限制消费。\n\n"
            "【典型意义】在依法保障胜诉当事人权益的同时，坚持善意文明执行理念，兼顾被执行企业的生存发展，"
            "以信用修复激励主动履行。"
        ),
        tags=["善意文明执行", "信用修复", "小微企业", "执行和解"],
        citations=[
            "《最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见》（法发〔2019〕35号）",
        ],
    ),
    Seed(
        court="浙06",
        author_role=Role.COMMAND_OPERATOR,
        publisher_role=Role.COMMAND_OPERATOR,
        kind="practice_note",
        title="诉源治理“三位一体”：执行前端的源头减量经验",
        summary="总结全市法院诉源治理实践：诉前调解、自动履行激励和基层网格协同“三位一体”，从源头减少进入强制执行的案件。",
        body=(
            "一、诉前调解与履行条款。调解协议写明履行期限、方式和违约责任，能够当场履行的当场履行，减少申请执行。\n\n"
            "二、自动履行激励。对判决后主动履行的当事人出具履行证明，向合作单位推送正面信用信息；"
            "执行立案前向被执行人发送履行提醒，告知不履行的法律后果。\n\n"
            "三、基层网格协同。依托乡镇（街道）综治中心和网格员协助查找被执行人、送达文书、核实财产线索，"
            "把矛盾化解在基层。\n\n"
            "四、数据回看。指挥中心按月统计诉前调解案件的自动履行率、进入执行的比例，向各基层法院通报。"
        ),
        tags=["诉源治理", "自动履行", "网格协同", "指挥中心"],
        citations=["《人民法院在线调解规则》"],
    ),
]


def _staff(court: str, role: str) -> User | None:
    return (
        User.objects.filter(court__court_code=court, role=role, is_active=True)
        .order_by("team__name", "username")
        .first()
    )


def knowledge_seed() -> int:
    """Returns the number of items created (0 on a second run)."""
    made = 0
    for s in SEEDS:
        if KnowledgeItem.objects.filter(title=s.title).exists():
            continue
        author = _staff(s.court, s.author_role)
        publisher = _staff(s.court, s.publisher_role)
        if author is None or publisher is None:
            continue
        item = services.knowledge_item_create(
            actor=author,
            kind=s.kind,
            title=s.title,
            summary=s.summary,
            body=s.body,
            tags=s.tags,
            citations=s.citations,
        )
        services.knowledge_item_publish(actor=publisher, item_id=item.pk)
        made += 1
    _link_closed_case()
    return made


def _link_closed_case() -> None:
    """The 终本 self-check, linked by its judge to a demo case closed for now."""
    from zhixing.cases.models import EnforcementCase

    item = KnowledgeItem.objects.filter(title=SEEDS[1].title, status=KnowledgeItem.Status.PUBLISHED).first()
    case = (
        EnforcementCase.objects.filter(closing_mode="no_assets_closure", judge__isnull=False)
        .order_by("pk")
        .first()
    )
    if item is None or case is None or case.judge is None:
        return
    if KnowledgeLink.objects.filter(item=item, case=case).exists():
        return
    services.knowledge_link_case(
        actor=case.judge, item_id=item.pk, case_id=case.pk, note="结案前按要点逐项自查"
    )
