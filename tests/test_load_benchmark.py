"""The province load benchmark (issue 23) tells time in the app from time spent waiting.

It reads the access log of ``zugong serve`` (``serve.ACCESS_LOG_FORMAT``, which ends with
the milliseconds the app took) and matches each line to the page kind that made it, so its
report can set the app's own time beside the latency the simulated users saw.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from zugong.core.management.commands import serve

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import load_province  # noqa: E402 - bench/ is not a package

AT = dt.datetime(2026, 12, 7, 8, 15, 48, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _line(method, uri, ms, at=AT):
    """One line as ``zugong serve`` logs it (its logger, its format)."""
    cfg = Config()
    cfg.set("access_log_format", serve.ACCESS_LOG_FORMAT)
    logger = serve.MaskingAccessLogger(cfg)
    logger.now = lambda: at.strftime("[%d/%b/%Y:%H:%M:%S %z]")
    path_info, _, query = uri.partition("?")
    environ = {"REQUEST_METHOD": method, "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": path_info, "QUERY_STRING": query, "REMOTE_ADDR": "127.0.0.1",
               "HTTP_USER_AGENT": "zugong-bench"}
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ,
                         dt.timedelta(milliseconds=ms))
    return cfg.access_log_format % logger.atoms_wrapper_class(atoms)


def test_each_logged_request_counts_for_the_page_kind_that_made_it(tmp_path):
    lines = [
        _line("GET", "/learning/", 12),
        _line("GET", "/learning/records/", 30),
        _line("GET", "/learning/records/?status=pending", 40),
        _line("GET", "/learning/records/?kind=study&status=pending", 50),
        _line("POST", "/learning/records/review/", 60),
        _line("POST", "/assessment/plans/17/score/head/", 70),
        _line("GET", "/", 80),
        _line("GET", "/static/zugong/app.css", 1),  # not a page of the load
        _line("GET", "/learning/", 999, at=AT + dt.timedelta(seconds=5)),  # after the window
    ]
    log = tmp_path / "serve.log"
    log.write_text("[INFO] Booting worker\n" + "\n".join(lines) + "\n", encoding="utf-8")
    start = AT.timestamp()
    times = load_province.app_times(log, start, start + 1)
    assert times == {
        "learning: my progress": [0.012],
        "learning: my records": [0.03],
        "learning: records to confirm": [0.04],
        "learning: confirm records": [0.05, 0.06],
        "assessment: score sheet and save": [0.07],
        "workbench": [0.08],
    }
