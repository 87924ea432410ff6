"""Fetching one object for a user: the single rule every app's ``thing_get_for_user`` uses.

Missing and out-of-scope answer the same empty 404, so a user cannot learn by probing
ids which records exist in another county. Visible but not writable answers 403: the
user already sees the record, so saying "you may not change it" reveals nothing.
Which rows are visible is the app's selector's business (a queryset filtered by
``scope_q``); this function only applies the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_for_user(visible: models.QuerySet[M], pk, *, write: bool = False,
                 may_write: bool | Callable[[M], bool] = False) -> M:
    """The object ``pk`` among ``visible``; 404 if absent or unparsable, 403 if ``write``
    is asked and ``may_write`` (a flag, or a test of the object) says no.

    Example::

        def talk_get_for_user(user, pk, *, write=False) -> Talk:
            return get_for_user(talk_list(user=user, filters={}), pk, write=write,
                                may_write=lambda talk: has_cap(user, Cap.TALK_WRITE,
                                                               unit=talk.person.unit))
    """
    try:
        key = visible.model._meta.pk.to_python(pk)
    except ValidationError:
        # "abc" or "1.5" in a URL is a page that does not exist, not a server error.
        raise Http404 from None
    if key is None:
        raise Http404
    # Http404 carries no text in both cases: the answer must not differ between them.
    obj = visible.filter(pk=key).first()
    if obj is None:
        raise Http404
    if write and not (may_write(obj) if callable(may_write) else may_write):
        raise PermissionDenied
    return obj
