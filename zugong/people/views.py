"""Pages of people, units, accounts and the user's own settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zugong.core import registry
from zugong.core.files import file_response
from zugong.core.forms import apply_errors, submit
from zugong.core.jobs import run_export
from zugong.core.paging import parse_paging
from zugong.core.recycle import confirm_context

from . import selectors, services, twofactor
from .access import Cap, can_view_sensitive, has_cap, require_cap, sensitive_scope_ids
from .forms import (
    SUBRECORD_FORMS,
    AccountForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PersonForm,
    RoleGrantForm,
    SecondFactorCodeForm,
    TokenForm,
    UnitForm,
)
from .middleware import SecondFactorMiddleware
from .models import PersonCategory
from .selectors import PersonFilters

# ---------------------------------------------------------------- session


def _safe_next(request) -> str:
    """The ``next`` address if it is on this site (and not a sign-in step), else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        return reverse("home")
    steps = {reverse(name) for name in ("login", "logout", "login_verify", "two_factor")}
    if target.split("?", 1)[0] in steps:
        return reverse("home")
    return target


def login_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        # An enrolled user is sent on to the code page by SecondFactorMiddleware, which
        # keeps this address as its ``next``.
        auth_login(request, form.get_user())
        return HttpResponseRedirect(_safe_next(request))
    return render(request, "people/login.html", {"form": form,
                                                 "next": request.GET.get("next", "")})


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a username is locked (5 failures, 30 minutes)."""
    return render(request, "people/login.html", {
        "form": LoginForm(request, initial={"username": request.POST.get("username", "")}),
        "locked": True,
        "next": request.GET.get("next", ""),
    }, status=403)


@require_POST
def logout_view(request):
    auth_logout(request)
    return redirect("login")


@login_required
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user,
                                     new_password=form.cleaned_data["new_password"])
        except ValidationError as exc:
            form.add_error("new_password", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    return render(request, "people/password_change.html", {
        "form": form, "forced": request.user.password_change_required(),
    })


# Wrong codes in a row after which a pending sign-in is ended. Each code typed here comes
# after a correct password, so django-axes (which counts password failures) never sees
# them; left open, the code page would let someone who has the password go on guessing in
# one session. Ending it makes every round of guesses start with the password again (a new
# login.success in the audit log, and the per-username lockout if the password is guessed
# too), while django-otp's throttle, kept on the device across sessions, doubles the wait
# after every wrong code (1, 2, 4, 8 … seconds).
MAX_CODE_FAILURES = 5


@login_required
def login_verify_view(request):
    """The second step of signing in: the code from the authenticator, or a recovery code."""
    target = _safe_next(request)
    if twofactor.session_state(request) != SecondFactorMiddleware.PENDING:
        return HttpResponseRedirect(target)
    if selectors.second_factor_device(request.user) is None:
        # The security administrator reset the device while this sign-in waited: start
        # again (and enrol), rather than letting a password-only session enrol a device.
        auth_logout(request)
        messages.info(request, _("Your second factor was reset; please sign in again."))
        return redirect("login")
    form = SecondFactorCodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        check = services.twofactor_verify(user=request.user, code=form.cleaned_data["code"])
        if check.device is not None:
            twofactor.mark_verified(request, check.device)
            if check.method == "recovery":
                messages.warning(request, _(
                    "You signed in with a recovery code; %(n)d are left. Each code works "
                    "once: create new ones in Settings when few are left.")
                    % {"n": check.recovery_codes_left})
            return HttpResponseRedirect(target)
        if check.throttled:
            form.add_error("code", _(
                "Too many wrong codes: wait a moment, then enter the code your app shows now."))
        else:
            failures = request.session.get(twofactor.FAILURES, 0) + 1
            if failures >= MAX_CODE_FAILURES:
                auth_logout(request)
                messages.error(request, _(
                    "The code was wrong %(n)d times in a row, so this sign-in has been ended. "
                    "Sign in again with your password.") % {"n": failures})
                return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
            request.session[twofactor.FAILURES] = failures
            form.add_error("code", _(
                "The code is wrong or has expired. Enter the 6-digit code your authenticator "
                "app shows now, or one of your recovery codes (%(left)d tries left).")
                % {"left": MAX_CODE_FAILURES - failures})
    return render(request, "people/login_verify.html", {"form": form, "next": target})


def _ask_for_code_if_enrolled_elsewhere(request, device):
    """A session that signed in before the user enrolled (in another session) is asked
    for the code before it can manage the second factor."""
    if device is not None and not request.user.is_verified():
        twofactor.mark_pending(request)
        return redirect(f"{reverse('login_verify')}?{urlencode({'next': reverse('settings')})}")
    return None


@login_required
def settings_view(request):
    status = selectors.second_factor_status(request.user)
    bounce = _ask_for_code_if_enrolled_elsewhere(request, status.device)
    if bounce:
        return bounce
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user,
                                                  name=form.cleaned_data["name"])
        form = TokenForm()
    return render(request, "people/settings.html", {
        "form": form, "tokens": selectors.token_list(user=request.user), "new_token": new_token,
        "token_days": settings.ZUGONG_API_TOKEN_DAYS,
        "second_factor": status, "remove_form": PasswordConfirmForm(user=request.user),
    })


@login_required
def two_factor_view(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code,
    then keep the recovery codes that are shown once."""
    if selectors.second_factor_device(request.user) is not None:
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("settings")
    forced = twofactor.session_state(request) == SecondFactorMiddleware.ENROL
    device = services.twofactor_enrol_start(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST":
        codes = submit(form, lambda data: services.twofactor_enrol_confirm(
            user=request.user, device=device, code=data["code"]))
        if not form.errors:
            twofactor.mark_verified(request, selectors.second_factor_device(request.user))
            messages.success(request, _(
                "Two-factor authentication is on: from now on you sign in with your password "
                "and a code from the app."))
            return render(request, "people/recovery_codes.html", {
                "codes": codes, "next": _safe_next(request) if forced else reverse("settings"),
            })
    return render(request, "people/two_factor.html", {
        "form": form, "forced": forced, "next": _safe_next(request) if forced else "",
        "qr_svg": twofactor.qr_svg(device), "secret": twofactor.secret_text(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    })


@login_required
@require_POST
def two_factor_recovery_codes_view(request):
    device = selectors.second_factor_device_or_404(request.user)
    bounce = _ask_for_code_if_enrolled_elsewhere(request, device)
    if bounce:
        return bounce
    codes = services.recovery_codes_regenerate(user=request.user)
    return render(request, "people/recovery_codes.html", {
        "codes": codes, "next": reverse("settings"), "regenerated": True})


@login_required
@require_POST
def two_factor_remove_view(request):
    device = selectors.second_factor_device_or_404(request.user)
    bounce = _ask_for_code_if_enrolled_elsewhere(request, device)
    if bounce:
        return bounce
    form = PasswordConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The second factor was not removed: %(e)s")
                       % {"e": form.errors["password"][0]})
        return redirect("settings")
    try:
        services.twofactor_remove(user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        twofactor.mark_removed(request)
        messages.success(request, _("Two-factor authentication has been removed."))
    return redirect("settings")


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = selectors.token_get_for_user(request.user, pk)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("settings")


# ---------------------------------------------------------------- people

@login_required
def person_list_view(request):
    filters = PersonFilters.from_params(request.GET)
    qs = selectors.person_list(user=request.user, filters=filters)
    size = selectors.page_size(request.GET.get("size"))
    cursor, limit = parse_paging(request.GET, default_limit=size)
    page = selectors.person_page(qs, cursor=cursor, limit=limit)
    rows = page.items
    visible = sensitive_scope_ids(request.user, rows)
    params = filters.as_params()
    if size != settings.ZUGONG_PAGE_SIZE:
        params["size"] = str(size)
    return render(request, "people/person_list.html", {
        "rows": rows, "page": page, "filters": filters,
        "params": params, "sensitive_ids": visible, "size": size,
        "page_sizes": selectors.PAGE_SIZES,
        "units": [(u.pk, u.name) for u in
                  selectors.unit_filter_choices(user=request.user, selected=filters.unit)],
        "categories": PersonCategory.choices,
        "can_create": has_cap(request.user, Cap.PEOPLE_CHANGE),
        "can_export": has_cap(request.user, Cap.PEOPLE_EXPORT),
    })


@login_required
def person_export_view(request):
    require_cap(request.user, Cap.PEOPLE_EXPORT)
    filters = PersonFilters.from_params(request.GET)
    count = selectors.person_list(user=request.user, filters=filters).count()
    return run_export(request, name="people.export", builder="zugong.people.exports.people_export",
                      count=count, title=_("People list export"))


@login_required
def person_detail_view(request, pk):
    person = selectors.person_get_for_user(request.user, pk)
    return _person_page(request, person)


def _app_tabs(user, person) -> list[dict]:
    """The tabs other apps add to the person page (core.registry), loaded when shown."""
    return [{"key": tab.key, "label": tab.label, "url": reverse(tab.url_name, args=[person.pk])}
            for tab in registry.person_tabs() if has_cap(user, tab.cap)]


def _app_actions(user, person) -> list[dict]:
    """The toolbar buttons other apps add to the person page (core.registry)."""
    return [{"label": action.label, "url": reverse(action.url_name, args=[person.pk])}
            for action in registry.person_actions()
            if action.cap is None or has_cap(user, action.cap)]


def _person_page(request, person, *, failed_form=None, failed_kind=None, can_write=None):
    """The person page; after a failed sub-record form, that form is shown with its errors."""
    # Empty add-forms are fetched when opened (htmx): their code-table drop-downs were a
    # third of the page's cost. A form that failed validation is shown with its errors.
    forms = {failed_kind: failed_form} if failed_form is not None else {}
    if can_write is None:
        can_write = selectors.person_can_write(request.user, person)
    return render(request, "people/person_detail.html", {
        "person": person, "records": selectors.person_records(person),
        "show_sensitive": can_view_sensitive(request.user, person),
        "can_write": can_write, "forms": forms, "open_tab": failed_kind,
        "app_tabs": _app_tabs(request.user, person),
        "app_actions": _app_actions(request.user, person),
    }, status=400 if failed_form is not None else 200)


@login_required
def person_photo_view(request, pk):
    return file_response(selectors.person_get_for_user(request.user, pk).photo)


def _person_form_page(request, person=None):
    units = selectors.unit_choices(user=request.user, cap=Cap.PEOPLE_CHANGE)
    show_sensitive = person is None or can_view_sensitive(request.user, person)
    initial = PersonForm.initial_from(person) if person else {}
    if person and not show_sensitive:
        initial.update(id_number="", phone="")
    form = PersonForm(request.POST or None, request.FILES or None, initial=initial,
                      units=units, show_sensitive=show_sensitive)
    if request.method == "POST" and form.is_valid():
        data = form.service_data(keep_sensitive_when_empty=not show_sensitive)
        photo = form.cleaned_data.get("photo")
        try:
            if person is None:
                person = services.person_create(by=request.user, data=data, photo=photo)
                messages.success(request, _("The record has been created."))
            else:
                person = services.person_update(by=request.user, person=person, data=data,
                                                version=form.cleaned_data.get("version"),
                                                photo=photo)
                messages.success(request, _("The record has been saved."))
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("people:detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "people/person_form.html", {"form": form, "person": person},
                  status=status)


@login_required
def person_create_view(request):
    require_cap(request.user, Cap.PEOPLE_CHANGE)
    return _person_form_page(request)


@login_required
def person_edit_view(request, pk):
    person = selectors.person_get_for_user(request.user, pk, write=True)
    return _person_form_page(request, person)


@login_required
@require_http_methods(["GET", "POST"])
def subrecord_add_view(request, pk, kind):
    if kind not in SUBRECORD_FORMS:
        raise Http404
    person = selectors.person_get_for_user(request.user, pk, write=True)
    if request.method == "GET":
        return render(request, "people/_subform_body.html", {
            "person": person, "kind": kind, "form": SUBRECORD_FORMS[kind]()})
    form = SUBRECORD_FORMS[kind](request.POST)
    submit(form, lambda data: services.subrecord_add(by=request.user, person=person,
                                                     kind=kind, data=data))
    if form.errors:
        return _person_page(request, person, failed_form=form, failed_kind=kind, can_write=True)
    messages.success(request, _("The entry has been added."))
    return redirect(f"{reverse('people:detail', args=[person.pk])}#tab-{kind}")


@login_required
def person_delete_view(request, pk):
    """The confirm page (GET) and the delete into the recycle bin (POST) of a person
    entered by mistake; a refusal (an account, other areas' records) is shown on the page."""
    person = selectors.person_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.person_delete(by=request.user, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("people:detail", pk=person.pk)
        messages.success(request, _("The person is in the recycle bin."))
        return redirect("people:list")
    return render(request, "core/confirm_delete.html", confirm_context(
        what=f"{person.name} · {person.unit.name}",
        back=reverse("people:detail", args=[person.pk])))


@login_required
@require_POST
def subrecord_delete_view(request, pk, kind, item):
    if kind not in SUBRECORD_FORMS:
        raise Http404
    person = selectors.person_get_for_user(request.user, pk, write=True)
    try:
        services.subrecord_delete(by=request.user, person=person, kind=kind, pk=item)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("The entry has been removed."))
    return redirect(f"{reverse('people:detail', args=[person.pk])}#tab-{kind}")


# ---------------------------------------------------------------- units

@login_required
def unit_tree_view(request):
    units = list(selectors.unit_list(user=request.user))
    top = min((u.depth for u in units), default=1)
    return render(request, "people/unit_tree.html", {
        "units": units, "top_depth": top,
        "can_change": has_cap(request.user, Cap.UNITS_CHANGE),
    })


@login_required
def unit_create_view(request):
    require_cap(request.user, Cap.UNITS_CHANGE)
    parents = selectors.unit_choices(user=request.user, cap=Cap.UNITS_CHANGE)
    form = UnitForm(request.POST or None, parents=parents,
                    initial={"parent": request.GET.get("parent")})
    if request.method == "POST":
        submit(form, lambda data: services.unit_create(by=request.user, **data))
        if not form.errors:
            messages.success(request, _("The unit has been created."))
            return redirect("people:units")
    return render(request, "people/unit_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def unit_edit_view(request, pk):
    unit = selectors.unit_get_for_user(request.user, pk, write=True)
    form = UnitForm(request.POST or None, parents=None, editing=True, initial={
        "name": unit.name, "code": unit.code, "position": unit.position})
    if request.method == "POST":
        submit(form, lambda data: services.unit_update(by=request.user, unit=unit, **data))
        if not form.errors:
            messages.success(request, _("The unit has been saved."))
            return redirect("people:units")
    return render(request, "people/unit_form.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- accounts (三员)

@login_required
def account_list_view(request):
    accounts = selectors.account_list(user=request.user)
    form = None
    if has_cap(request.user, Cap.ACCOUNTS_CREATE):
        form = AccountForm(request.POST or None,
                           people=selectors.people_for_account_link(request.user))
        if request.method == "POST":
            made = submit(form, lambda data: services.account_create(
                by=request.user, username=data["username"], person=data.get("person")))
            if not form.errors:
                user, password = made
                messages.success(request, _(
                    "Account %(u)s created. Initial password: %(p)s — hand it over "
                    "in person; it must be changed at first login."
                ) % {"u": user.username, "p": password})
                return redirect("people:accounts")
    elif request.method == "POST":
        raise PermissionDenied
    accounts = list(accounts)
    return render(request, "people/account_list.html", {
        "accounts": accounts, "form": form,
        "can_grant": has_cap(request.user, Cap.ROLES_GRANT),
        "locked": selectors.locked_usernames(a.username for a in accounts),
    })


@login_required
def account_roles_view(request, pk):
    require_cap(request.user, Cap.ROLES_GRANT)
    account = selectors.account_get_for_user(request.user, pk)
    form = RoleGrantForm(request.POST or None, units=selectors.units_for_role_grant(request.user))
    if request.method == "POST":
        submit(form, lambda data: services.role_grant(
            by=request.user, user=account, role=data["role"], scope=data["scope"],
            unit=data.get("unit"), units=list(data.get("units") or [])))
        if not form.errors:
            messages.success(request, _("The role has been granted."))
            return redirect("people:account_roles", pk=account.pk)
    return render(request, "people/account_roles.html", {
        "account": account, "form": form,
        "assignments": account.roles.select_related("unit").prefetch_related("units"),
        "second_factor": selectors.second_factor_status(account),
        "can_reset_2fa": has_cap(request.user, Cap.ACCOUNTS_2FA_RESET),
        "tokens": (selectors.account_token_list(user=request.user, account=account)
                   if has_cap(request.user, Cap.TOKENS_REVOKE) else None),
    })


@login_required
@require_POST
def account_token_revoke_view(request, pk, token_pk):
    """The security administrator revokes another account's API token."""
    token = selectors.account_token_get(request.user, pk, token_pk)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("people:account_roles", pk=pk)


@login_required
@require_POST
def account_active_view(request, pk):
    """The system administrator disables (or re-enables) an account."""
    require_cap(request.user, Cap.ACCOUNTS_CREATE)
    account = selectors.account_get_for_user(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(by=request.user, user=account, active=active)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, (_("The account %(u)s is enabled.") if active else
                                   _("The account %(u)s is disabled; its API tokens are "
                                     "revoked.")) % {"u": account.username})
    return redirect("people:accounts")


@login_required
@require_POST
def role_revoke_view(request, pk):
    assignment = selectors.role_assignment_get_for_user(request.user, pk)
    services.role_revoke(by=request.user, assignment=assignment)
    messages.success(request, _("The role has been revoked."))
    return redirect("people:account_roles", pk=assignment.user_id)


@login_required
@require_POST
def account_2fa_reset_view(request, pk):
    """The security administrator deletes a user's second factor (a lost phone)."""
    require_cap(request.user, Cap.ACCOUNTS_2FA_RESET)
    account = selectors.account_get_for_user(request.user, pk)
    try:
        removed = services.twofactor_reset(by=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if removed:
            messages.success(request, _(
                "The second factor of %(u)s has been reset: they set up a new one at their "
                "next sign-in.") % {"u": account.username})
        else:
            messages.info(request, _("%(u)s had no second factor.") % {"u": account.username})
    return redirect("people:account_roles", pk=account.pk)


@login_required
@require_POST
def account_unlock_view(request, pk):
    require_cap(request.user, Cap.ACCOUNTS_UNLOCK)
    account = selectors.account_get_for_user(request.user, pk)
    services.account_unlock(by=request.user, user=account)
    messages.success(request, _("The account %(u)s has been unlocked.") % {"u": account.username})
    return redirect("people:accounts")

