"""The daily screens of issue 16, point 5: one test per fixed screen."""

import io
import re
from pathlib import Path
from urllib.parse import unquote

from django.urls import reverse
from openpyxl import load_workbook

import zugong

CSS = re.sub(r"/\*.*?\*/", "", (Path(zugong.__file__).parent / "static" / "zugong" /
                                "app.css").read_text(), flags=re.S)


def _subnav_active(page: str) -> list[str]:
    navs = re.findall(r'<ul class="nav nav-pills zg-subnav.*?</ul>', page, re.S)
    assert len(navs) == 1
    return re.findall(r'class="nav-link active" href="([^"]+)" aria-current="page"', navs[0])


def _rules(selector_part: str) -> list[str]:
    """The bodies of the stylesheet's rules whose selector names ``selector_part``."""
    return [body for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS)
            if re.search(rf"{re.escape(selector_part)}(?![\w-])", selector)]


def test_the_fixed_height_progress_class_styles_only_bare_progress_bars(cast, client_for):
    # .zg-progress has a fixed height: a block of text under it overlapped the next rule.
    for body in _rules(".zg-progress"):
        assert "height" in body
    selectors = [sel.strip() for sel, _b in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS)
                 if ".zg-progress" in sel]
    assert selectors and all(sel.startswith("progress.") for sel in selectors)
    page = client_for(cast["cadre"]).get(reverse("learning:home")).content.decode()
    assert not re.search(r'<div class="zg-progress\b', page)


def test_the_notices_list_no_longer_takes_the_printable_notice_style():
    # The result notice (assessment) is centred with large red headings; the list is not.
    for body in _rules(".zg-notice-title") + _rules(".zg-notice"):
        assert "text-align: center" not in body and "1.5rem" not in body
    assert any("text-align: center" in body for body in _rules(".zg-result-notice-title"))
    # A date in the list's meta line stays on one line.
    assert any("nowrap" in body for body in _rules(".zg-notice-meta span"))


def test_a_page_without_its_own_subnavigation_shows_its_section_marked(cast, client_for):
    # The new-talk form's template draws no sub-navigation; the base template does.
    page = client_for(cast["cadre"]).get(reverse("talks:talk_add")).content.decode()
    assert _subnav_active(page) == [reverse("talks:home")]


def test_a_page_with_its_own_subnavigation_draws_it_once(cast, client_for):
    page = client_for(cast["chief"]).get(reverse("tasks:inquiries")).content.decode()
    assert _subnav_active(page) == [reverse("tasks:inquiries")]


def test_the_deputy_head_opens_her_own_record_from_my_record(cast, client_for):
    # Her custom scope is 组织室 and 县教育局; she sits in the department's own unit.
    client = client_for(cast["deputy"])
    own = cast.people["deputy"]
    response = client.get(reverse("people:detail", args=[own.pk]))
    assert response.status_code == 200 and "杨秀英" in response.content.decode()
    # The head's record is still out of her scope.
    assert client.get(reverse("people:detail", args=[cast.people["head"].pk])).status_code == 404


def test_an_export_has_a_chinese_name_a_frozen_header_and_a_filter(cast, client_for):
    response = client_for(cast["head"]).get(reverse("people:export"))
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert "干部名册-" in disposition and disposition.endswith('.xlsx')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width >= 8
