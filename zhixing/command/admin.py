"""后台：alerts, instructions and reported figures are read-only here — they change only through the
services (journaled), on the command-center pages."""

from django.contrib import admin

from zhixing.command.models import Alert, Instruction, MonthlyFigure
from zhixing.core.admin import ReadOnlyAdmin


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["title", "rule", "court", "status", "assignee", "raised_on"]
    list_filter = ["rule", "status", "court"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "subject", "issuing_court", "target_court", "due_on", "status", "level"]
    list_filter = ["kind", "status"]


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(ReadOnlyAdmin):
    list_display = [
        "court",
        "month",
        "titles_with_payment",
        "mediations",
        "petitions_received",
        "petitions_concluded",
    ]
