"""Second factor (TOTP): what a session still needs, and the QR code of a new device.

A session's state (``SecondFactorMiddleware.STATE``) is decided when it signs in: the
login signal is the only hook inside ``django.contrib.auth.login`` (the same reason the
login audit uses it), and it also covers ``Client.force_login`` in tests. Deciding once
keeps the per-request cost of the middleware at zero queries.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.signals import user_logged_in
from django.utils.safestring import mark_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from .access import second_factor_required
from .middleware import SecondFactorMiddleware as MW
from .selectors import second_factor_device

# Wrong codes in a row in this pending login (the verify view ends it after a few).
FAILURES = "_zg_2fa_failures"


def state_for(user) -> str:
    """What a fresh sign-in of ``user`` still needs: the code, an enrolment, or nothing."""
    if second_factor_device(user) is not None:
        return MW.PENDING
    if second_factor_required(user):
        return MW.ENROL
    return MW.NONE


def on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    # A new sign-in starts unverified, whatever the session held before.
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.pop(FAILURES, None)
    session[MW.STATE] = state_for(user)


def connect():
    user_logged_in.connect(on_login, dispatch_uid="zugong.people.twofactor")


def session_state(request) -> str | None:
    return request.session.get(MW.STATE)


def mark_verified(request, device) -> None:
    """The code was right (or a device was just enrolled): this session is verified."""
    # A new session key, as at any change of privilege (same reason as at login).
    request.session.cycle_key()
    otp_login(request, device)
    request.session[MW.STATE] = MW.VERIFIED
    request.session.pop(FAILURES, None)


def mark_pending(request) -> None:
    """A session opened before the user enrolled: ask it for the code too."""
    request.session[MW.STATE] = MW.PENDING


def mark_removed(request) -> None:
    """The user removed their own device: this session goes on without one."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[MW.STATE] = MW.NONE


def secret_text(device) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(device) -> str:
    """The provisioning URI as an inline SVG QR code, drawn on the server. segno writes
    presentation attributes, no ``style``, so the CSP (style-src 'self') accepts it."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(scale=5, border=3, svgclass="zg-qr", dark="#000", light="#fff")
    # The SVG is generated here from the device's own URI; nothing user-typed is in it.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
