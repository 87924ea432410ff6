"""Helpers the learning pages share."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from zugong.people.access import department_get_for_user, departments_for

from ..access import Cap


def _next_or(request, default: str) -> str:
    """Where to go after a form: the page's own ``next`` if it stays on this site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


def _dept(request, pk):
    """The department a page is about: the one asked for, else the user's own."""
    return department_get_for_user(request.user, pk, Cap.LEARNING_VIEW)


def _departments(request):
    return departments_for(request.user, Cap.LEARNING_VIEW)


def _kind_labels():
    return {"study": _("Study"), "note": _("Notes"), "book": _("Books"),
            "writing": _("Writings")}
