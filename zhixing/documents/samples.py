"""样例数据：a full context for every template kind (previews, tests, the benchmark, the demo)."""

from __future__ import annotations

from typing import Any

SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "performance_notice": {
        "applicant_names": ["绍兴市某某纺织有限公司"],
        "debtor_names": ["张三"],
        "title_description": "本院（2025）浙0602民初1234号民事判决书",
        "obligations": "一、支付货款人民币120,000.00元；\n二、负担案件受理费2,700.00元。",
        "performance_deadline": "2026-03-16",
        "amount_due": "122700.00",
        "account_name": "绍兴市越城区人民法院",
        "account_number": "3301 0400 0000 0000 001",
        "bank_name": "中国工商银行绍兴分行",
        "filed_on": "2026-03-02",
    },
    "asset_report_order": {
        "debtor_names": ["张三"],
        "report_deadline": "2026-03-23",
        "notice_received_on": "2026-03-05",
        "report_address": "本院执行局二楼216室",
        "contact_phone": "0575-88000000",
    },
    "consumption_restriction_order": {
        "debtor_names": ["绍兴某某贸易有限公司"],
        "restricted_persons": ["法定代表人李四"],
        "debtor_kind": "legal_person",
        "reason": "经本院调查，被执行人有履行能力而拒不履行",
        "performance_deadline": "2026-03-16",
    },
    "dishonest_listing_decision": {
        "debtor_names": ["张三"],
        "applicant_names": ["绍兴市某某纺织有限公司"],
        "facts": "被执行人张三收到执行通知书后，将其名下车辆无偿转让给其亲属，逃避执行。",
        "ground": "以转移财产方式规避执行",
        "listing_term": "二年",
    },
    "assistance_notice": {
        "agency_name": "中国工商银行股份有限公司绍兴分行",
        "act": "freeze",
        "debtor_names": ["张三"],
        "property_description": "银行存款",
        "account_number": "6222 0000 0000 1234",
        "amount": "122700.00",
        "ruling_number": "（2026）浙0602执123号",
        "term_from": "2026-03-20",
        "term_to": "2027-03-19",
    },
    "no_assets_closure_ruling": {
        "applicant_names": ["绍兴市某某纺织有限公司"],
        "debtor_names": ["张三"],
        "title_description": "本院（2025）浙0602民初1234号民事判决书",
        "claim": "被执行人张三支付货款人民币120,000.00元及案件受理费。",
        "measures_taken": "发出执行通知书和报告财产令，通过网络执行查控系统查询存款、车辆、不动产、"
        "证券等财产，实地调查，限制消费并纳入失信被执行人名单。",
        "property_found": "被执行人名下无可供执行的财产。",
        "amount_realised": "3200.00",
        "amount_outstanding": "119500.00",
        "applicant_confirmed_on": "2026-07-01",
    },
    "distribution_plan": {
        "debtor_names": ["张三"],
        "proceeds": "200000.00",
        "method": "pro_rata",
        "lines": [
            {
                "creditor": "本院",
                "kind_label": "执行费用",
                "claimed": "2500.00",
                "allocated": "2500.00",
                "basis": "民诉法解释第508条",
            },
            {
                "creditor": "某银行",
                "kind_label": "抵押权",
                "claimed": "120000.00",
                "allocated": "120000.00",
                "basis": "民诉法解释第506条",
            },
            {
                "creditor": "李四",
                "kind_label": "普通债权",
                "claimed": "100000.00",
                "allocated": "77500.00",
                "basis": "按比例",
            },
        ],
        "surplus": "0.00",
        "objection_days": 15,
    },
    "settlement_record": {
        "applicant_names": ["绍兴市某某纺织有限公司"],
        "debtor_names": ["张三"],
        "terms": "一、被执行人于2026年5月起每月20日前支付人民币10,000.00元，至全部款项付清为止；\n"
        "二、被执行人按期履行的，申请执行人放弃迟延履行期间的债务利息。",
        "agreed_on": "2026-04-10",
        "performance_term": "2026年5月至2027年4月",
        "place": "本院执行局调解室",
    },
    "sale_confirmation_ruling": {
        "debtor_names": ["张三"],
        "buyer_name": "王五",
        "lot_description": "绍兴市越城区某某路1号101室房产",
        "auction_platform": "人民法院诉讼资产网",
        "auction_ended_on": "2026-06-18",
        "price": "1850000.00",
        "paid_on": "2026-06-25",
    },
    "restoration_notice": {
        "party_names": ["绍兴市某某纺织有限公司", "张三"],
        "original_case_number": "（2026）浙0602执123号",
        "reason": "申请执行人提供了被执行人新的财产线索",
        "restored_on": "2026-09-01",
        "new_case_number": "（2026）浙0602执恢45号",
    },
}

TITLES = {
    "performance_notice": "执行通知书",
    "asset_report_order": "报告财产令",
    "consumption_restriction_order": "限制消费令",
    "dishonest_listing_decision": "决定书",
    "assistance_notice": "协助执行通知书",
    "no_assets_closure_ruling": "执行裁定书",
    "settlement_record": "执行和解协议",
    "distribution_plan": "执行款分配方案",
    "sale_confirmation_ruling": "执行裁定书",
    "restoration_notice": "恢复执行通知书",
}
