"""The simplified-Chinese catalogue: complete, faithful to its placeholders, compiled, in use."""

import ast
import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
# The project catalogue (core, people, config, shared templates) and one per app that keeps
# its own (``zugong/<app>/locale``), so that apps built in parallel never edit one file.
CATALOGUES = sorted(PACKAGE.glob("locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
    PACKAGE.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))

# %(name)s / %(size).1f, bare %s / %d, and Django template variables {{ x }}.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifgeExXr]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifgeExXr]"
    r"|\{\{\s*[^}]*?\s*\}\}"
)


def parse_po(path):
    """Entries of a .po file as dicts: flags, msgid, msgid_plural, msgstr[n] (obsolete skipped)."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"flags": set(), "fields": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$',
                                   line):
                key = match.group(1)
                entry["fields"][key] = ast.literal_eval(match.group(2))
            elif line.startswith('"'):
                assert key, f"continuation line without a keyword in {path}: {line!r}"
                entry["fields"][key] += ast.literal_eval(line)
            elif line.strip():
                raise AssertionError(f"unparsed line in {path}: {line!r}")
        if not entry.get("obsolete") and "msgid" in entry["fields"]:
            entries.append(entry)
    return entries


def placeholders(text):
    return sorted(re.sub(r"\s+", "", p) for p in PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module", params=CATALOGUES,
                ids=lambda p: str(p.relative_to(PACKAGE).parts[0]))
def catalogue(request):
    return request.param


@pytest.fixture(scope="module")
def entries(catalogue):
    parsed = parse_po(catalogue)
    assert len(parsed) > 1, "the catalogue looks truncated"
    return parsed


def test_the_project_catalogue_is_there():
    assert CATALOGUES and CATALOGUES[0] == PACKAGE / "locale/zh_Hans/LC_MESSAGES/django.po"
    assert len(parse_po(CATALOGUES[0])) > 300, "the project catalogue looks truncated"


def _messages(entries):
    return [e for e in entries if e["fields"]["msgid"] != ""]


def test_the_header_declares_chinese_utf8_and_one_plural_form(entries):
    header = next(e for e in entries if e["fields"]["msgid"] == "")
    text = header["fields"]["msgstr"]
    assert "Language: zh_Hans\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text
    assert "fuzzy" not in header["flags"]


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    untranslated = [e["fields"]["msgid"] for e in _messages(entries)
                    if not all(v.strip() for k, v in e["fields"].items()
                               if k.startswith("msgstr"))]
    fuzzy = [e["fields"]["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_plural_entries_have_exactly_one_form(entries):
    for e in _messages(entries):
        if "msgid_plural" in e["fields"]:
            forms = sorted(k for k in e["fields"] if k.startswith("msgstr"))
            assert forms == ["msgstr[0]"], (e["fields"]["msgid"], forms)


def test_every_translation_keeps_the_placeholders_of_its_source(entries):
    problems = []
    for e in _messages(entries):
        fields = e["fields"]
        expected = placeholders(fields["msgid"])
        if "msgid_plural" in fields:
            # The single Chinese form stands for the plural; it must carry its placeholders.
            expected = sorted(set(expected) | set(placeholders(fields["msgid_plural"])))
            got = sorted(set(placeholders(fields["msgstr[0]"])))
        else:
            got = placeholders(fields["msgstr"])
        if got != expected:
            problems.append((fields["msgid"], expected, got))
    assert not problems, "placeholders differ:\n" + "\n".join(map(repr, problems))


def test_the_committed_mo_matches_the_po(tmp_path, catalogue):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (gettext) is required in CI to check the compiled catalogue")
        pytest.skip("msgfmt (gettext) is not installed")
    po, mo = catalogue, catalogue.with_suffix(".mo")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True,
                   capture_output=True)
    with mo.open("rb") as committed, fresh.open("rb") as compiled:
        old = gettext.GNUTranslations(committed)._catalog
        new = gettext.GNUTranslations(compiled)._catalog
    stale = sorted({str(k) for k in old.keys() ^ new.keys()}
                   | {str(k) for k in old.keys() & new.keys() if old[k] != new[k]})
    assert not stale, (f"{mo} is out of date; run ./dev messages. "
                       f"Differing keys: {stale[:10]}")


def test_gettext_uses_the_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
        assert translation.gettext("Not allowed") == "无权操作"
        assert translation.ngettext("%(n)s person", "%(n)s people", 3) % {"n": 3} == "3 人"


@pytest.mark.django_db
def test_the_login_page_is_chinese_by_default(client):
    with translation.override("zh-hans"):
        response = client.get("/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-CN"' in page
    assert "登录" in page
    assert "Sign in" not in page


@pytest.mark.django_db
def test_the_login_page_is_english_when_english_is_asked_for(client):
    # LocaleMiddleware picks the language per request, so the request asks for English too.
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
        response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page
    assert "登录" not in page
