from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.cases.models import CLOSING_MODES, STAGES, TITLE_KINDS, EnforcementCase
from zhixing.core.models import Party

JURISDICTION = [
    ("first_instance", _("第一审人民法院")),
    ("property_location", _("被执行财产所在地")),
    ("debtor_domicile", _("被执行人住所地")),
]
MATERIALS = [
    ("application", _("申请执行书")),
    ("title", _("生效法律文书副本")),
    ("identity", _("身份证明")),
    ("effectiveness_certificate", _("生效证明")),
]


class FilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=[("", _("未结案件")), *STAGES], required=False)
    track = forms.ChoiceField(
        label=_("繁简"), choices=[("", _("全部")), *EnforcementCase.Track.choices], required=False
    )
    min_age_days = forms.IntegerField(label=_("立案满（日）"), min_value=0, required=False)
    min_amount = forms.DecimalField(label=_("标的额不低于"), min_value=0, decimal_places=2, required=False)
    max_amount = forms.DecimalField(label=_("标的额不高于"), min_value=0, decimal_places=2, required=False)
    q = forms.CharField(label=_("案号"), required=False)


class CounterApplicationForm(forms.Form):
    """窗口登记：one applicant, one debtor (more through the API)."""

    title_kind = forms.ChoiceField(label=_("执行依据类型"), choices=TITLE_KINDS)
    issuing_body = forms.CharField(label=_("作出机关"), max_length=128)
    issuing_court_code = forms.CharField(label=_("作出法院代字（法院作出时）"), max_length=16, required=False)
    document_number = forms.CharField(label=_("文书编号"), max_length=64)
    effective_on = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    performance_deadline = forms.DateField(
        label=_("履行期限届满日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    principal = forms.DecimalField(label=_("本金（元）"), min_value=0, decimal_places=2)
    costs = forms.DecimalField(label=_("诉讼费等（元）"), min_value=0, decimal_places=2, required=False)
    interest_terms = forms.CharField(label=_("利息"), required=False)
    applicant_kind = forms.ChoiceField(label=_("申请执行人类型"), choices=Party.Kind.choices)
    applicant_name = forms.CharField(label=_("申请执行人"), max_length=128)
    applicant_id = forms.CharField(label=_("申请执行人证件号"), max_length=32)
    debtor_kind = forms.ChoiceField(label=_("被执行人类型"), choices=Party.Kind.choices)
    debtor_name = forms.CharField(label=_("被执行人"), max_length=128)
    debtor_id = forms.CharField(label=_("被执行人证件号"), max_length=32)
    debtor_address = forms.CharField(label=_("被执行人送达地址"), max_length=255, required=False)
    jurisdiction_basis = forms.ChoiceField(label=_("管辖依据"), choices=JURISDICTION)
    materials = forms.MultipleChoiceField(
        label=_("已交材料"), choices=MATERIALS, widget=forms.CheckboxSelectMultiple, required=False
    )


class RejectForm(forms.Form):
    reasons = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ActForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    mode = forms.ChoiceField(label=_("结案方式"), choices=CLOSING_MODES[:6])
    ground = forms.CharField(label=_("事由代码（终结、销案、不予执行、驳回时）"), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    applicant_consents = forms.BooleanField(label=_("申请执行人已签字确认"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(forms.Form):
    ground = forms.CharField(label=_("中止事由"))
    note = forms.CharField(label=_("说明"), required=False)


class SettlementForm(forms.Form):
    agreed_on = forms.DateField(label=_("达成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    terms = forms.CharField(label=_("和解内容"), widget=forms.Textarea(attrs={"rows": 2}))
    instalments = forms.CharField(
        label=_("分期（每行：日期 金额）"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2027-01-10 5000\n2027-02-10 5000"}),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("履行日期"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, decimal_places=2)


class LeadForm(forms.Form):
    description = forms.CharField(label=_("财产线索"), widget=forms.Textarea(attrs={"rows": 2}))
    urgent = forms.BooleanField(label=_("情况紧急"), required=False)


class LeadVerifyForm(forms.Form):
    ref = forms.CharField(widget=forms.HiddenInput)
    result = forms.CharField(label=_("核查结果"))


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            ("act_objection", _("执行行为异议")),
            ("third_party_objection", _("案外人异议")),
            ("review", _("执行复议")),
        ],
    )
    objector = forms.IntegerField(label=_("异议人（当事人编号）"))
    grounds = forms.CharField(label=_("请求与理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    team = forms.IntegerField(label=_("团队"))
    reason = forms.CharField(label=_("理由"))


class TrackForm(forms.Form):
    track = forms.ChoiceField(label=_("繁简"), choices=EnforcementCase.Track.choices)
    reason = forms.CharField(label=_("理由"))


class DelegateForm(forms.Form):
    to_court = forms.CharField(label=_("受托法院代字"))
    reason = forms.CharField(label=_("理由"))


class DistributionForm(forms.Form):
    applicant_account = forms.CharField(label=_("申请执行人收款账号"), max_length=40)
    extra_claims = forms.CharField(
        label=_("参与分配（每行：债权人,性质,金额,账号；性质为 ordinary/secured/priority）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanForm(forms.Form):
    plan_id = forms.IntegerField(widget=forms.HiddenInput)
