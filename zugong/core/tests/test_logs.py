"""Logs carry no ID number or phone, refusals are one line, errors show a generic page."""

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import include, path
from gunicorn.config import Config

from zugong.core.management.commands import serve
from zugong.core.management.commands.serve import MaskingAccessLogger

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"
SECRET = f"boom {ID_NUMBER}"


def _forbidden(request):
    raise PermissionDenied


def _missing(request):
    raise Http404


def _broken(request):
    raise RuntimeError(SECRET)


urlpatterns = [
    path("forbidden/", _forbidden),
    path("missing/", _missing),
    path("broken/", _broken),
    path("", include("zugong.config.urls")),  # the error pages link to the product's pages
]


def _access_line(uri, referer="-", took=dt.timedelta(seconds=0)):
    cfg = Config()
    cfg.set("access_log_format", serve.ACCESS_LOG_FORMAT)
    logger = MaskingAccessLogger(cfg)
    path_info, _, query = uri.partition("?")
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": path_info, "QUERY_STRING": query, "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": referer, "HTTP_USER_AGENT": "test"}
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", referer)])
    atoms = logger.atoms(resp, req, environ, took)
    return cfg.access_log_format % logger.atoms_wrapper_class(atoms)


def test_the_access_log_masks_query_values_and_id_numbers():
    line = _access_line(f"/people/?id_number={ID_NUMBER}&phone={PHONE}&q=%E7%8E%8B",
                        referer=f"https://zg.example/people/?q={ID_NUMBER}")
    assert ID_NUMBER not in line and ID_NUMBER[:14] not in line
    assert PHONE not in line
    assert "%E7%8E%8B" not in line  # a name searched for
    assert "GET /people/?id_number=***&phone=***&q=*** HTTP/1.1" in line


def test_an_id_number_in_a_path_is_masked_too():
    line = _access_line(f"/api/people/by-id/{ID_NUMBER}/")
    assert ID_NUMBER not in line
    assert "/api/people/by-id/******************/" in line


def test_the_access_log_ends_with_the_milliseconds_the_app_took():
    line = _access_line("/people/", took=dt.timedelta(milliseconds=1500))
    assert line.endswith('"test" 1500ms')


def test_zugong_serve_runs_gunicorn_with_the_masking_logger(monkeypatch):
    options = {}
    monkeypatch.setattr(serve.subprocess, "run", lambda *a, **k: None)
    monkeypatch.setattr(serve._Gunicorn, "run", lambda self: options.update(self.options))
    serve.Command().handle(addrport="127.0.0.1:0", workers=1, threads=1)
    assert options["logger_class"] is MaskingAccessLogger
    assert options["access_log_format"] == serve.ACCESS_LOG_FORMAT


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url, status", [("/forbidden/", 403), ("/missing/", 404)])
def test_a_refusal_is_logged_as_one_line_without_a_traceback(cast, client, caplog, url,
                                                             status):
    client.force_login(cast["cadre"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(url).status_code == status
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    assert all(r.exc_info is None and "Traceback" not in caplog.text for r in records)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_error_keeps_its_traceback_in_the_log_and_shows_a_generic_page(cast, client,
                                                                           caplog):
    client.raise_request_exception = False
    client.force_login(cast["cadre"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert SECRET not in page and "Traceback" not in page and "RuntimeError" not in page
    assert any(r.exc_info for r in caplog.records if r.name == "django.request")
