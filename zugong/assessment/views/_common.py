"""Helpers the assessment pages share."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..access import department_to_manage


def _error_messages(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


def _dept(request, user):
    return department_to_manage(user, request.POST.get("dept") or request.GET.get("dept"))


