"""The people registry: validation of bad input, scope of lists, query counts, export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from PIL import Image

from conftest import make_person
from zugong.people import idnumber, selectors, services
from zugong.people.models import AnnualAssessment, Person, ResumeEntry
from zugong.people.selectors import PersonFilters

pytestmark = pytest.mark.django_db


def _form_data(cast, **overrides):
    data = {
        "category": "org_cadre", "name": "石磊", "sex": "1", "birth_date": "1990-01-15",
        "unit": cast.sec_org.pk, "id_number": idnumber.make("433122", dt.date(1990, 1, 15), 11),
        "phone": "13800001111", "ethnicity": "01",
    }
    data.update(overrides)
    return data


def _post_new(client, cast, **overrides):
    client.force_login(cast["head"])
    return client.post("/people/new/", _form_data(cast, **overrides))


def test_the_id_number_check_follows_gb_11643():
    assert idnumber.problems("11010519491231002X", birth_date=dt.date(1949, 12, 31),
                             sex_code="2") == []
    assert idnumber.problems("440524188001010014", birth_date=None, sex_code="1") == []
    assert idnumber.problems("110101199001011234", birth_date=None, sex_code=None)
    assert idnumber.problems("11010519491231002x", birth_date=None, sex_code=None) == []


def test_a_valid_person_is_created_from_the_page(cast, client):
    response = _post_new(client, cast)
    assert response.status_code == 302
    person = Person.objects.get(name="石磊")
    assert person.unit_path == cast.sec_org.path
    assert person.id_number.endswith(person.id_number[-4:])


@pytest.mark.parametrize("overrides, field, message", [
    ({"id_number": "110101199001011234"}, "id_number", "校验码"),
    ({"id_number": "433122199001151234"}, "id_number", "校验码"),
    ({"birth_date": "1990-02-15"}, "id_number", "出生日期"),
    ({"sex": "2"}, "id_number", "性别"),
    ({"ethnicity": "77"}, "ethnicity", "有效"),
    ({"id_number": "12345"}, "id_number", "18"),
    ({"birth_date": "2999-01-01"}, "birth_date", ""),
])
def test_bad_input_gets_a_chinese_message_beside_the_field_and_saves_nothing(
        cast, client, overrides, field, message):
    before = Person.objects.count()
    response = _post_new(client, cast, **overrides)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Person.objects.count() == before
    assert "没有保存" in response.content.decode()


def test_a_duplicate_id_number_is_refused(cast, client):
    existing = cast.people["cadre"]
    response = _post_new(client, cast, id_number=existing.id_number, sex="2",
                         birth_date=existing.birth_date.isoformat())
    assert response.status_code == 400
    assert "已登记" in " ".join(response.context["form"].errors["id_number"])


def test_an_unknown_code_value_is_refused_by_the_service(cast):
    with pytest.raises(ValidationError) as exc:
        services.person_create(by=None, data={
            "category": "org_cadre", "name": "甲", "sex": "9", "birth_date": dt.date(1990, 1, 1),
            "unit": cast.sec_org})
    assert "sex" in exc.value.message_dict


def _image_upload(size_px=(60, 80), pad_bytes=0, fmt="JPEG", name="p.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", size_px, "white").save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue() + b"\0" * pad_bytes,
                              content_type="image/jpeg")


def test_an_oversized_photo_is_refused_and_the_record_is_unchanged(cast, client, settings):
    person = cast.people["cadre"]
    client.force_login(cast["head"])
    data = {**{k: v for k, v in _form_data(cast).items() if k != "id_number"},
            "name": "李小红改", "sex": "2", "birth_date": person.birth_date.isoformat(),
            "id_number": person.id_number, "version": person.version,
            "photo": _image_upload(pad_bytes=settings.ZUGONG_PHOTO_MAX_BYTES)}
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 400
    assert "MB" in " ".join(response.context["form"].errors["photo"])
    person.refresh_from_db()
    assert person.name == "李小红" and not person.photo


def test_a_file_that_is_not_an_image_is_refused(cast):
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.person_update(by=None, person=cast.people["cadre"], data={}, photo=fake)
    assert "photo" in exc.value.message_dict


def test_a_png_photo_named_jpg_is_served_as_png_inline_and_never_sniffed(cast, client):
    person = cast.people["cadre"]
    services.person_update(by=None, person=person, data={},
                           photo=_image_upload(fmt="PNG", name="照片.jpg"))
    client.force_login(cast["head"])
    response = client.get(f"/people/{person.pk}/photo/")
    # The type comes from the stored bytes (core.files), not from the name.
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(cast["outsider"])
    assert client.get(f"/people/{person.pk}/photo/").status_code == 404


def test_a_stale_edit_is_refused_not_silently_overwritten(cast):
    person = cast.people["cadre"]
    services.person_update(by=None, person=person, data={"current_post": "A"},
                           version=person.version)
    with pytest.raises(services.ConflictError):
        services.person_update(by=None, person=person, data={"current_post": "B"},
                               version=person.version)
    person.refresh_from_db()
    assert person.current_post == "A"


def test_subrecords_are_added_and_validated(cast, client):
    person = cast.people["cadre"]
    client.force_login(cast["chief"])
    ok = client.post(f"/people/{person.pk}/resume/add/",
                     {"start": "2016-07-01", "end": "2019-12-01", "text": "泸溪县白沙镇科员"})
    assert ok.status_code == 302
    assert ResumeEntry.objects.filter(person=person).count() == 1
    bad = client.post(f"/people/{person.pk}/resume/add/",
                      {"start": "2020-07-01", "end": "2019-12-01", "text": "倒置"})
    assert bad.status_code == 400
    assert ResumeEntry.objects.filter(person=person).count() == 1
    client.post(f"/people/{person.pk}/assessments/add/", {"year": 2024, "result": "1"})
    dup = client.post(f"/people/{person.pk}/assessments/add/", {"year": 2024, "result": "2"})
    assert dup.status_code == 400
    assert AnnualAssessment.objects.get(person=person, year=2024).result.name == "优秀"
    family = client.post(f"/people/{person.pk}/family/add/",
                         {"kind": "family", "relation": "ZZ", "name": "李父"})
    assert family.status_code == 400


def test_each_scope_sees_exactly_its_people(cast):
    def names(user):
        return {p.name for p in selectors.person_list(user=cast[user])}

    assert names("cadre") == {"李小红"}
    assert names("chief") == {"张建国", "李小红"}
    assert names("deputy") == {"张建国", "李小红", "田志强"}
    assert "龙海" not in names("head") and len(names("head")) == 8
    assert names("outsider") == {"龙海"}
    assert names("supervisor") == names("head") == names("assessor")


def test_filters_work_together(cast):
    f = PersonFilters.from_params({"category": "managed"})
    assert [p.name for p in selectors.person_list(user=cast["head"], filters=f)] == ["田志强"]
    f = PersonFilters.from_params({"sex": "2", "unit": str(cast.sec_org.pk)})
    assert [p.name for p in selectors.person_list(user=cast["head"], filters=f)] == ["李小红"]
    f = PersonFilters.from_params({"q": cast.people["cadre2"].id_number})
    assert [p.name for p in selectors.person_list(user=cast["head"], filters=f)] == ["王磊"]
    f = PersonFilters.from_params({"age_min": "40"})
    assert "向明远" in {p.name for p in selectors.person_list(user=cast["head"], filters=f)}
    assert "李小红" not in {p.name for p in selectors.person_list(user=cast["head"], filters=f)}
    assert PersonFilters.from_params({"age_min": "abc"}).errors


def test_keyset_paging_visits_every_person_once(cast):
    for i in range(7):
        make_person(cast.county_unit, f"干部{i}", category="managed")
    qs = selectors.person_list(user=cast["head"])
    seen, cursor = [], None
    while True:
        page = selectors.person_page(qs, cursor=cursor, limit=3)
        cursor = page.next
        seen.extend(p.pk for p in page.items)
        if not cursor:
            break
    assert seen == list(qs.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 15


# On PostgreSQL each request first reads the account's row versions (people.backends); in
# a test's transaction the account is then loaded as well, as nothing there is kept.
ACCOUNT_VERSIONS = 1 if connection.vendor == "postgresql" else 0


def _page_queries(client, user, url="/people/"):
    client.force_login(user)
    client.get(url)  # the first request of a session also records its start
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _list_queries(client, user):
    return len(_page_queries(client, user))


def test_people_list_query_count_does_not_grow_with_the_number_of_people(cast, client):
    few = _list_queries(client, cast["head"])
    for i in range(40):
        make_person(cast.county_unit, f"管理干部{i}", category="managed")
    many = _list_queries(client, cast["head"])
    assert many == few
    # Session, account with person, role assignments, the page of people and the unit
    # filter (the unread notices were counted by the first visit and are kept,
    # core.memo): sensitive values need no query of their own when every viewing role of
    # the user is entitled to them (a head).
    assert few == 5 + ACCOUNT_VERSIONS


def test_the_text_search_matches_the_text_not_just_its_characters(cast):
    make_person(cast.county_unit, "张伟", category="managed")
    make_person(cast.county_unit, "张伟明", category="managed")
    make_person(cast.county_unit, "张明伟", category="managed")  # same characters, not the text
    make_person(cast.county_unit, "李四", category="managed", post="张伟工作室主任")
    names = {p.name for p in selectors.person_list(user=cast["head"],
                                                   filters=PersonFilters(q="张伟"))}
    assert names == {"张伟", "张伟明", "李四"}
    assert not selectors.person_list(user=cast["head"], filters=PersonFilters(q="伟张")).exists()
    assert selectors.person_list(user=cast["head"], filters=PersonFilters(q="%")).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL character indexes")
def test_a_name_search_on_postgresql_is_answered_by_the_character_indexes(cast):
    """Without them a short name matched with LIKE '%…%' read every row in scope. (On the
    benchmark's 80,000 people the planner picks them by itself; these tables are tiny.)"""
    qs = Person.objects.filter(selectors.text_search_q("张伟"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "person_name_chars" in plan and "person_post_chars" in plan


def test_the_pages_own_links_keep_the_filters(cast, client):
    """Next page, first page and the export buttons carry the filters as a query string
    (they once carried the Python repr of a dict, so paging dropped the search)."""
    import html
    import re

    for i in range(25):
        make_person(cast.county_unit, f"张{i}号", category="managed")
        make_person(cast.county_unit, f"李{i}号", category="managed")
    client.force_login(cast["head"])
    page = client.get("/people/", {"q": "张", "category": "managed"}).content.decode()
    nxt = html.unescape(re.search(r'id="next-page" href="([^"]+)"', page).group(1))
    assert "q=%E5%BC%A0" in nxt and "category=managed" in nxt and "%7B" not in nxt
    second = client.get("/people/" + nxt).content.decode()
    assert "张" in second and "李" not in second
    first = html.unescape(re.search(r'href="(\?[^"]*)">第一页', second).group(1))
    assert "q=%E5%BC%A0" in first and "after=" not in first
    for name in ("people/export.xlsx", "interop/people/lrmx.zip", "interop/people/workbook.xlsx"):
        hrefs = [html.unescape(h) for h in re.findall(rf'href="(/{name}[^"]*)"', page)]
        assert hrefs and all("q=%E5%BC%A0" in h for h in hrefs), (name, hrefs)


def test_export_is_filtered_masked_for_the_viewer_and_audited(cast, client):
    from zugong.core.models import AuditEntry

    client.force_login(cast["chief"])
    response = client.get("/people/export.xlsx", {"sex": "2"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert [r[0] for r in rows[1:]] == ["李小红"]
    assert "*" in rows[1][7] and rows[1][7] != cast.people["cadre"].id_number
    assert AuditEntry.objects.filter(action="people.person.export", actor_username="chief").exists()
    client.force_login(cast["head"])
    response = client.get("/people/export.xlsx", {"sex": "2", "unit": cast.sec_org.pk})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(ws.iter_rows(values_only=True))[1][7] == cast.people["cadre"].id_number


def test_sensitive_values_are_masked_on_pages_unless_allowed(cast, client):
    target = cast.people["cadre"]
    client.force_login(cast["chief"])
    page = client.get(f"/people/{target.pk}/").content.decode()
    assert target.id_number not in page and target.phone not in page
    client.force_login(cast["cadre"])
    assert target.id_number in client.get(f"/people/{target.pk}/").content.decode()
    client.force_login(cast["supervisor"])
    assert target.id_number in client.get(f"/people/{target.pk}/").content.decode()


def test_a_second_role_without_entitlement_does_not_widen_sensitive_values(cast, client):
    """The query-saving shortcut (every viewing role entitled) must not apply when one
    role sees more people than the entitled role: the chief who is also supervision
    officer of their own section sees full values there, and masked values elsewhere."""
    from zugong.people import services
    from zugong.people.models import Role, Scope

    chief = cast["chief"]
    services.role_grant(by=None, user=chief, role=Role.SUPERVISION, scope=Scope.OWN_UNIT)
    # The chief's section-chief scope widens to the whole department...
    services.role_revoke(by=None, assignment=chief.roles.get(role=Role.SECTION_CHIEF))
    services.role_grant(by=None, user=chief, role=Role.SECTION_CHIEF,
                        scope=Scope.OWN_UNIT_AND_BELOW, unit=cast.dept)
    inside, outside = cast.people["cadre"], cast.people["cadre2"]
    assert inside.unit_id == chief.person.unit_id != outside.unit_id
    client.force_login(chief)
    page = client.get("/people/", {"size": 100}).content.decode()
    assert inside.id_number in page
    assert outside.id_number not in page and outside.phone not in page
    assert outside.id_number not in client.get(f"/people/{outside.pk}/").content.decode()
    # ...and may change either (both roles lead), with no extra check needed.
    assert client.get(f"/people/{outside.pk}/edit/").status_code == 200


def test_an_editor_who_may_not_see_the_id_number_keeps_it_by_leaving_it_empty(cast, client):
    target = cast.people["cadre"]
    client.force_login(cast["chief"])
    form = client.get(f"/people/{target.pk}/edit/").context["form"]
    assert form.initial["id_number"] == ""
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(unit=target.unit_id, birth_date=target.birth_date.isoformat(),
                current_post="副科长", id_number="", phone="")
    data = {k: v for k, v in data.items() if k not in ("party_join_date", "work_start_date")
            or v}
    response = client.post(f"/people/{target.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    target.refresh_from_db()
    assert target.current_post == "副科长"
    assert target.id_number == cast.people["cadre"].id_number


def test_the_person_page_has_a_tab_for_each_installed_area_and_no_placeholder(cast, client):
    """The tabs of other areas come from the plug-in registry, each one shown only with its
    capability: the head sees supervision's, a section chief does not."""
    client.force_login(cast["head"])
    page = client.get(f"/people/{cast.people['cadre'].pk}/").content.decode()
    for tab in ("学习", "考核", "任务", "谈心谈话", "简历", "家庭成员"):
        assert tab in page
    for key in ("learning", "assessment", "tasks", "talks", "supervision"):
        assert f'id="tab-{key}"' in page
    client.force_login(cast["chief"])
    page = client.get(f"/people/{cast.people['cadre'].pk}/").content.decode()
    assert 'id="tab-talks"' in page and 'id="tab-supervision"' not in page


def test_the_person_page_costs_a_fixed_number_of_queries(cast, client):
    """A head may write and see the sensitive values of everyone they can see, so neither
    needs a query of its own."""
    url = f"/people/{cast.people['cadre'].pk}/"
    head = _page_queries(client, cast["head"], url)
    # session, account, assignments, the person, four sub-record lists (the unread
    # notices are kept from the first visit, core.memo)
    assert len(head) == 8 + ACCOUNT_VERSIONS, head
    assert len(_page_queries(client, cast["cadre"], url)) == 8 + ACCOUNT_VERSIONS


def test_the_unit_tree_is_one_prefix_query_on_the_materialised_path(cast):
    from zugong.people.models import OrgUnit

    with CaptureQueriesContext(connection) as ctx:
        below = list(OrgUnit.objects.filter(path__startswith=cast.dept.path))
    assert len(ctx.captured_queries) == 1
    assert {u.name for u in below} >= {"泸溪县委组织部", "组织室", "县教育局"}
    assert "凤凰县委组织部" not in {u.name for u in below}
    assert cast.sec_org.department_id == cast.dept.pk


def test_units_are_created_and_renamed_with_checks(cast, client):
    from zugong.people.models import OrgUnit

    client.force_login(cast["head"])
    response = client.post("/people/units/new/", {
        "parent": cast.dept.pk, "name": "县司法局", "kind": "county_unit",
        "code": "433122-U09", "position": 5})
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="433122-U09")
    assert unit.path.startswith(cast.dept.path) and unit.department_id == cast.dept.pk
    duplicate = client.post("/people/units/new/", {
        "parent": cast.dept.pk, "name": "重复", "kind": "county_unit",
        "code": "433122-U09", "position": 0})
    assert duplicate.status_code == 400
    assert "已存在" in " ".join(duplicate.context["form"].errors["code"])
    outside = client.post("/people/units/new/", {
        "parent": cast.other_dept.pk, "name": "越权", "kind": "town", "code": "X1",
        "position": 0})
    assert outside.status_code == 400 and not OrgUnit.objects.filter(code="X1").exists()
    renamed = client.post(f"/people/units/{unit.pk}/edit/", {
        "name": "县司法局（改）", "code": "433122-U09", "position": 6})
    assert renamed.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "县司法局（改）"


ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(st.text(ALPHABET, min_size=1, max_size=8), st.text(ALPHABET, max_size=12))
def test_a_subtree_range_holds_exactly_the_paths_with_that_prefix(prefix, other):
    from zugong.people.access import path_upper_bound

    bound = path_upper_bound(prefix)
    in_range = prefix <= other and (bound is None or other < bound)
    assert in_range == other.startswith(prefix)
    extended = prefix + other
    assert prefix <= extended and (bound is None or extended < bound)


def test_the_filter_offers_the_top_of_the_tree_and_keeps_a_deeper_selection(cast):
    from zugong.people.services import unit_create

    town_group = unit_create(by=None, parent=cast.dept, name="乡镇", kind="group",
                             code="433122-G2")
    town = unit_create(by=None, parent=town_group, name="浦市镇", kind="town", code="433122-T1")
    deep = unit_create(by=None, parent=town, name="某村", kind="other", code="433122-T1-1")
    names = {u.name for u in selectors.unit_filter_choices(user=cast["head"])}
    assert {"泸溪县委组织部", "组织室", "乡镇", "浦市镇"} <= names and "某村" not in names
    names = {u.name for u in selectors.unit_filter_choices(user=cast["head"], selected=deep.pk)}
    assert "某村" in names


def test_the_add_forms_load_on_demand_for_writers_only(cast, client):
    person = cast.people["cadre"]
    client.force_login(cast["chief"])
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f'hx-get="/people/{person.pk}/family/add/"' in page
    partial = client.get(f"/people/{person.pk}/family/add/")
    assert partial.status_code == 200 and 'name="relation"' in partial.content.decode()
    client.force_login(cast["cadre"])
    assert client.get(f"/people/{person.pk}/family/add/").status_code == 403


def test_a_new_unit_that_sorts_before_its_siblings_keeps_every_persons_scope_path(cast,
                                                                                 client_for):
    from zugong.people import services
    from zugong.people.models import OrgUnit, Person, UnitKind

    before = {p.pk: p.unit_id for p in Person.objects.all()}
    # "433122-01" sorts before the existing sections: treebeard renumbers their paths.
    services.unit_create(by=None, parent=cast.dept, name="办公室", kind=UnitKind.SECTION,
                         code="433122-01")
    for person in Person.objects.select_related("unit"):
        assert person.unit_path == person.unit.path, person.name
        assert person.unit_id == before.get(person.pk, person.unit_id)
    office = OrgUnit.objects.get(code="433122-01")
    assert not Person.objects.filter(unit_path__startswith=office.path).exists()
    # The chief still sees exactly the people of their own section.
    page = client_for(cast["chief"]).get("/people/").content.decode()
    assert "李小红" in page and "田志强" not in page
