"""Production refuses the public demo keys and short keys, at start and in check --deploy."""

import os
import subprocess
import sys

import pytest

DEMO_SECRET = "zugong-demo-only-secret-key-not-for-production-use-0000000000"  # noqa: S105
GOOD_SECRET = "k" * 20 + "Zq8!vN3#pL0@xR5$wT7%yU2^bM9&cH4*"  # noqa: S105
GOOD_KEY = "v1:8f1e2d3c4b5a69788796a5b4c3d2e1f0"
DEMO_KEY = "v1:00112233445566778899aabbccddeeff"


def _zugong(tmp_path, env_extra, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "ZUGONG_FIELD_KEYS", "ZUGONG_KEY_FILE", "ZUGONG_TESTING",
                        "DJANGO_ALLOW_ASYNC_UNSAFE", "ZUGONG_ENV")}
    env.update(ZUGONG_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="zugong.example.gov.cn",
               **env_extra)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", *args], env=env, capture_output=True, text=True,
        timeout=120)


@pytest.mark.parametrize("secret, keys, message", [
    (DEMO_SECRET, GOOD_KEY, "SECRET_KEY is the public demo key"),
    ("short-but-set-0123456789", GOOD_KEY, "SECRET_KEY must be at least 50 characters"),
    (GOOD_SECRET, DEMO_KEY, "Field key 'v1' is the public demo key"),
    (GOOD_SECRET, f"{GOOD_KEY.replace('v1', 'v2')},{DEMO_KEY}",
     "Field key 'v1' is the public demo key"),
    (GOOD_SECRET, "v1:8f1e2d3c4b5a6978", "Field key 'v1' is shorter than 32 hex characters"),
])
def test_production_refuses_to_start_with_demo_or_short_keys(tmp_path, secret, keys, message):
    result = _zugong(tmp_path, {"ZUGONG_ENV": "production", "SECRET_KEY": secret,
                                "ZUGONG_FIELD_KEYS": keys}, "check", "--deploy")
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_fails_on_the_demo_keys(tmp_path):
    result = _zugong(tmp_path, {"ZUGONG_ENV": "demo"}, "check", "--deploy")
    assert result.returncode != 0
    assert "zugong.E001" in result.stderr and "zugong.E002" in result.stderr

