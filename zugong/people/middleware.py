"""Account controls on every request: the second factor and the forced password change."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class SecondFactorMiddleware:
    """Keeps a signed-in user on the code page until their second factor is verified, and
    sends a user who must use one (``ZUGONG_2FA_REQUIRED``) but has none to enrolment.

    What a session still needs is decided when it signs in (``zugong.people.twofactor``,
    on the login signal) and kept in the session, so an ordinary request costs no query.
    Runs after django-otp's OTPMiddleware (``request.user.is_verified()``) and before
    PasswordChangeRequiredMiddleware: the code comes before anything else, even a forced
    password change; enrolment comes after the password change.
    """

    STATE = "_zg_2fa"
    VERIFIED = "verified"  # the code was entered (or a device enrolled) in this session
    PENDING = "pending"  # the user has a device; the code has not been entered yet
    ENROL = "enrol"  # the user must use a second factor and has none
    NONE = "none"  # nothing to ask
    ALLOWED = {PENDING: ("login_verify", "logout", "set_language"),
               ENROL: ("two_factor", "logout", "set_language")}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith("/static/"):
            return self.get_response(request)
        api = request.path.startswith("/api/")
        state = request.session.get(self.STATE)
        if state is None:
            # A session signed in before this middleware existed: decide once.
            from .twofactor import state_for

            state = self.VERIFIED if user.is_verified() else state_for(user)
            request.session[self.STATE] = state
        if state == self.VERIFIED and not user.is_verified():
            # The device that verified this session is gone: the security administrator
            # reset it, or the user removed it in another session. Sign in again.
            logout(request)
            if api:
                return self.get_response(request)
            messages.info(request, _("Your second factor was changed; please sign in again."))
            return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
        if state in self.ALLOWED:
            if api:
                # A session half-way through signing in is no credential for the API;
                # bearer tokens (created from a verified session) authenticate on their own.
                request.user = AnonymousUser()
                return self.get_response(request)
            request.zg_2fa_pending = True  # the navigation stays hidden meanwhile
            if state == self.ENROL and user.password_change_required():
                return self.get_response(request)  # the forced password change comes first
            allowed = {reverse(name) for name in self.ALLOWED[state]}
            if request.path not in allowed:
                url = reverse(self.ALLOWED[state][0])
                if request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Sends a user with an initial or expired password to the change page first."""

    # The code page: SecondFactorMiddleware keeps an unverified user there, before this.
    ALLOWED = ("password_change", "logout", "set_language", "login_verify")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(("/static/", "/api/"))
            and user.password_change_required()
        ):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed:
                return redirect("password_change")
        return self.get_response(request)
