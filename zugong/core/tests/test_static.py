"""Production static files: every asset a page names is collected into the manifest."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from zugong.core.staticstorage import StaticStorage


def test_collectstatic_puts_every_asset_the_layout_uses_into_the_manifest(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZUGONG_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    env["ZUGONG_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c",
         "import sys; sys.modules.pop('pytest', None); from zugong.cli import main; "
         "main(['zugong', 'collectstatic', '--noinput', '-v', '0'])"],
        env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    templates = Path(settings.BASE_DIR).glob("**/templates/**/*.html")
    used = {name for t in templates
            for name in re.findall(r"{% static '([^']+)' %}", t.read_text())}
    assert {"vendor/echarts/echarts.min.js", "vendor/htmx/htmx.min.js"} <= used
    assert used <= set(manifest), used - set(manifest)
    # Only what pages use is published from the npm packages, not every build variant.
    vendor = {p for p in manifest if p.startswith("vendor/")}
    assert "vendor/echarts/echarts.js" not in vendor
    assert len(vendor) <= 6, sorted(vendor)


def test_each_static_address_is_computed_once_per_process(tmp_path, settings):
    """``core.staticstorage``: the manifest's address of a name is kept after the first
    call; DEBUG (unhashed names), ``force`` and a name missing from the manifest are not
    kept."""
    (tmp_path / "staticfiles.json").write_text(json.dumps({
        "version": "1.1", "hash": "h", "paths": {"zugong/app.css": "zugong/app.0a1b2c.css"}}))
    settings.DEBUG = False
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    looked_up = []
    stored_name = storage.stored_name
    storage.stored_name = lambda name: looked_up.append(name) or stored_name(name)
    assert storage.url("zugong/app.css") == "/static/zugong/app.0a1b2c.css"
    assert storage.url("zugong/app.css") == "/static/zugong/app.0a1b2c.css"
    assert looked_up == ["zugong/app.css"]
    storage.url("zugong/app.css", force=True)
    assert len(looked_up) == 2
    with pytest.raises(ValueError):
        storage.url("zugong/missing.css")
    assert "zugong/missing.css" not in storage._addresses
    settings.DEBUG = True
    assert storage.url("zugong/app.css") == "/static/zugong/app.css"
