"""Fill English msgstr entries of zhixing/locale/en/LC_MESSAGES/django.po from a table.

Run after `manage.py makemessages -l en`; keeps existing translations, adds the ones below.
"""

import re
import sys
from pathlib import Path

EN = {
    "法院与角色": "Court and role", "安全": "Security", "居民身份证": "Resident ID card",
    "统一社会信用代码": "Unified social credit code", "高级人民法院": "High People's Court",
    "中级人民法院": "Intermediate People's Court", "基层人民法院": "Basic People's Court", "法院代字": "Court code",
    "名称": "Name", "简称": "Short name", "层级": "Level", "上级法院": "Upper court", "路径": "Path",
    "行政区划代码": "Division code", "法院": "Court", "执行局": "Enforcement bureau",
    "执行指挥中心": "Enforcement command center", "立案庭": "Filing division", "办公室": "Office", "类别": "Kind",
    "部门": "Department", "快执团队": "Fast-track team", "精执团队": "Complex-track team", "类型": "Type",
    "执行团队": "Enforcement teams", "姓名": "Name", "团队": "Team", "角色": "Role", "电话": "Phone",
    "连续登录失败次数": "Consecutive failed logins", "锁定至": "Locked until", "启用动态口令": "TOTP enabled",
    "用户": "User", "用途": "Purpose", "前缀": "Prefix", "摘要": "Digest", "创建时间": "Created",
    "过期时间": "Expires", "最近使用": "Last used", "吊销时间": "Revoked", "API 令牌": "API tokens",
    "自然人": "Natural person", "法人": "Legal person", "非法人组织": "Other organisation",
    "姓名/名称": "Name", "证件类型": "ID type", "出生日期": "Date of birth", "性别": "Sex",
    "法定代表人/负责人": "Legal representative", "送达地址": "Delivery address", "登记法院": "Registered by",
    "登记时间": "Registered at", "当事人": "Parties", "日志事件": "Journal event", "日志链头": "Journal head",
    "待审批": "Pending", "已批准": "Approved", "不予批准": "Reject", "已撤回": "Withdrawn",
    "审批事项": "Act", "标题": "Title", "申请人": "Requested by", "申请时间": "Requested at",
    "申请理由": "Reason", "状态": "Status", "审批人": "Decided by", "审批时间": "Decided at",
    "审批意见": "Decision note", "审批": "Approvals", "执行法官": "Enforcement judge", "法官助理": "Judge's assistant",
    "书记员": "Clerk", "执行员": "Enforcement officer", "执行局长": "Bureau chief",
    "指挥中心操作员": "Command-center operator", "监督员（上级法院）": "Supervisor (upper court)",
    "系统管理员": "Administrator", "本团队": "Own team", "本院": "Own court", "本院及辖区法院": "Own court and below",
    "工作进程心跳": "Worker heartbeats", "定时任务运行记录": "Scheduled runs",
    "用户名": "Username", "密码": "Password", "动态口令（如已启用）": "One-time code (if enabled)",
    "身份证号/统一社会信用代码": "ID number / credit code", "查看用途": "Purpose", "批准": "Approve",
    "意见": "Note", "动态口令": "One-time code", "令牌用途": "Token purpose", "后台管理": "Back office",
    "完整证件号": "Full ID number", "本次查看已记录在案": "this look-up is journaled",
    "查看完整证件号，用途": "Reveal the full ID number, purpose", "如：核对身份以发出执行通知书": "e.g. verify identity for a performance notice",
    "查看": "Reveal", "账号安全": "Account security", "动态口令（TOTP）": "One-time codes (TOTP)",
    "已启用。登录时需输入手机验证器上的 6 位动态口令。": "Enabled. Sign-in asks for the 6-digit code from your authenticator app.",
    "确认启用": "Confirm", "新令牌（只显示这一次，请妥善保存）：": "New token (shown only once, keep it safe):",
    "签发": "Issue", "过期": "Expires", "已吊销": "Revoked", "吊销": "Revoke", "待我审批": "Awaiting my approval",
    "意见（不予批准时必填）": "Note (required to reject)", "没有待审批事项。": "Nothing awaits your approval.",
    "全部审批": "All approvals", "事项": "Act", "暂无审批。": "No approvals yet.", "智执": "Zhixing",
    "智执执行平台": "Zhixing enforcement platform", "执行工作平台": "enforcement platform", "全部法院": "All courts",
    "退出": "Sign out", "导航": "Navigation", "下级法院": "Lower courts", "尚无团队。": "No teams yet.",
    "人员": "Staff", "法院与团队": "Courts and teams", "代字": "Code", "没有可查看的法院。": "No courts to show.",
    "返回工作台": "Back to the workbench", "工作台": "Workbench", "辖区法院": "Courts in my area",
    "我的团队": "My team", "本院执行团队": "Teams of my court", "人": "people", "最近动态": "Recent activity",
    "系统": "system", "暂无动态。": "No activity yet.", "登录": "Sign in", "登录智执": "Sign in to Zhixing",
    "法定代表人": "Legal representative", "记录": "Record", "按姓名/名称查找": "Search by name", "查找": "Search",
    "证件号": "ID number", "没有当事人。": "No parties.", "登记当事人": "Register a party", "登记": "Register",
    "法院不存在或无权查看": "No such court, or not yours to see", "已登记当事人：%(name)s": "Registered: %(name)s",
    "该证件号已登记为：%(name)s": "This ID number is already registered as %(name)s",
    "当事人不存在或无权查看": "No such party, or not yours to see", "请填写查看用途": "State the purpose",
    "完整证件号：%(n)s（本次查看已记录）": "Full ID number: %(n)s (journaled)", "请选择审批结果": "Choose a decision",
    "审批已记录": "Decision recorded", "动态口令已启用，下次登录时需要输入": "One-time codes enabled; you will need one at sign-in",
    "令牌已吊销": "Token revoked", "无权访问": "Forbidden",
    "您没有访问此页面的权限。如需办理，请联系本院执行局。": "You may not open this page. Ask your enforcement bureau if you need to.",
    "页面不存在": "Page not found", "页面不存在，或您无权查看该法院、团队的数据。": "This page does not exist, or its court's data is not yours to see.",
    "启用动态口令": "Enable one-time codes",
}


def main(path: Path) -> None:
    text = path.read_text(encoding="utf-8")

    def repl(m: re.Match[str]) -> str:
        msgid, msgstr = m.group(1), m.group(2)
        if msgstr or msgid not in EN:
            return m.group(0)
        return f'msgid "{msgid}"\nmsgstr "{EN[msgid]}"'

    text = re.sub(r'msgid "(.+)"\nmsgstr "(.*)"', repl, text)
    text = text.replace("#, fuzzy\n", "", 1)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "zhixing/locale/en/LC_MESSAGES/django.po"))
