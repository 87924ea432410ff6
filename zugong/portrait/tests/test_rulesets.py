"""Per-department rule sets and five-type mappings (docs/portrait.md, "Rule sets per
department"): each department scores its people by its own set, copied from the set in
force on its first edit; the nearest set above, else the defaults, otherwise; nobody edits
another department's set; only the installation's top department changes the defaults."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import PASSWORD, make_person
from zugong.core.models import AuditEntry
from zugong.people import services as people_services
from zugong.people.models import Role, Scope, UnitKind
from zugong.portrait import access, selectors, services
from zugong.portrait.models import SourceRule, TypeRule
from zugong.portrait.tests.test_portrait import YEAR, worked_example_records


def _default(source):
    return SourceRule.objects.get(department=None, source=source)


def _style(portrait):
    return next(d for d in portrait.dimensions if d.key == "style").score


def _score(user, person):
    return _style(selectors.portrait(user=user, person=person, year=YEAR))


def _form(rule, **changes):
    """The rule form as the page posts it, with ``changes``."""
    data = {"dimension": rule.dimension, "source": rule.source, "weight": str(rule.weight),
            "target": str(rule.target), "direction": rule.direction, "order": rule.order,
            "detail_cap": rule.detail_cap, "version": rule.version}
    data.update({k: "on" for k in ("absent_is_zero", "sensitive", "active")
                 if getattr(rule, k)})
    data.update(changes)
    return data


@pytest.fixture
def province_head(cast):
    """The head of the province department: the root of the unit tree, so the
    installation's top department."""
    person = make_person(cast.province, "周正", post="部长")
    user, _pw = people_services.account_create(by=None, username="province", person=person,
                                               password=PASSWORD, must_change=False)
    people_services.role_grant(by=None, user=user, role=Role.HEAD,
                               scope=Scope.OWN_UNIT_AND_BELOW, unit=cast.province)
    return user


def test_two_departments_with_different_weights_score_the_same_records_differently(
        cast, client):
    luxi = worked_example_records(cast.people["managed"])
    fenghuang = worked_example_records(cast.people["outsider"], village="凤凰村")
    visits = _default("service.visits")
    # 泸溪 doubles the weight of service visits (30 → 60); 凤凰 keeps the defaults.
    services.rule_update(by=cast["head"], department=cast.dept, rule=visits,
                         version=visits.version, weight=D(60))
    both = selectors.portraits(user=cast["head"], people=[luxi, fenghuang], year=YEAR)
    # 泸溪: (60 × 75 + 30 × 50 + 40 × 66.67) / 130 = 8,666.67 / 130 = 66.67 → 66.7
    # 凤凰: (30 × 75 + 30 × 50 + 40 × 66.67) / 100 = 64.17 → 64.2 (the worked example)
    assert [_style(p) for p in both] == [D("66.7"), D("64.2")]
    assert [p.rules_owner for p in both] == [cast.dept, None]
    weights = {line.source: line.weight for d in both[0].dimensions for line in d.lines}
    assert weights["service.visits"] == D(60)
    # The defaults are untouched; the copy is audited with where it came from.
    visits.refresh_from_db()
    assert (visits.weight, visits.version) == (D(30), 1)
    assert SourceRule.objects.filter(department=cast.dept).count() == \
        SourceRule.objects.filter(department=None).count()
    copy = AuditEntry.objects.get(action="portrait.ruleset.copy", object_id=str(cast.dept.pk))
    assert copy.actor_id == cast["head"].pk
    # Each head reads its own cadre's portrait in the API, with the set that scored it.
    client.force_login(cast["outsider"])
    data = client.get(f"/api/v1/portrait/people/{fenghuang.pk}", {"year": YEAR}).json()
    assert data["rules_department_id"] is None
    client.force_login(cast["head"])
    data = client.get(f"/api/v1/portrait/people/{luxi.pk}", {"year": YEAR}).json()
    assert data["rules_department_id"] == cast.dept.pk
    assert cast.dept.name in data["rules"]


def test_a_head_cannot_edit_another_departments_set(cast, client):
    visits = _default("service.visits")
    client.force_login(cast["outsider"])  # the head of 凤凰
    for name, args, body in (
            ("portrait:ruleset", [cast.dept.pk], None),
            ("portrait:rule_edit", [cast.dept.pk, visits.pk], _form(visits, weight="60")),
            ("portrait:rule_add", [cast.dept.pk], _form(visits)),
            ("portrait:type_edit", [cast.dept.pk, "service"],
             {"metric_keys": ["service.visits"], "version": 1})):
        url = reverse(name, args=args)
        answer = client.post(url, body) if body else client.get(url)
        assert answer.status_code == 404, name
        assert cast.dept.name not in answer.content.decode()
    assert not SourceRule.objects.filter(department=cast.dept).exists()
    assert not TypeRule.objects.filter(department=cast.dept).exists()
    with pytest.raises(PermissionDenied):
        services.rule_update(by=cast["outsider"], department=cast.dept, rule=visits,
                             version=visits.version, weight=D(60))
    # Once 泸溪 has its own set, 凤凰 can neither reset it nor reach its rows through its
    # own department's pages.
    services.rule_update(by=cast["head"], department=cast.dept, rule=visits,
                         version=visits.version, weight=D(60))
    own = SourceRule.objects.get(department=cast.dept, source="service.visits")
    assert client.post(reverse("portrait:ruleset_reset", args=[cast.dept.pk])).status_code == 404
    answer = client.get(reverse("portrait:rule_edit", args=[cast.other_dept.pk, own.pk]))
    assert answer.status_code == 404
    own.refresh_from_db()
    assert own.weight == D(60)
    # A department head reads the defaults but does not change them (403).
    client.force_login(cast["head"])
    answer = client.post(reverse("portrait:default_rule_edit", args=[visits.pk]),
                         _form(visits, weight="60"))
    assert answer.status_code == 403
    visits.refresh_from_db()
    assert visits.weight == D(30)
    assert client.get(reverse("portrait:rules_default")).status_code == 200


def test_a_department_without_its_own_set_uses_the_nearest_set_above_then_the_defaults(
        cast, client, province_head):
    person = worked_example_records(cast.people["managed"])
    visits = _default("service.visits")
    assert _score(cast["head"], person) == D("64.2")  # the defaults
    # The province keeps its own set: 9 visits a year earn full marks.
    services.rule_update(by=province_head, department=cast.province, rule=visits,
                         version=visits.version, target=D(9))
    # 泸溪 has no set: the province's is nearest. (30 × 100 + 30 × 50 + 40 × 66.67) / 100
    # = 71.67 → 71.7
    portrait = selectors.portrait(user=cast["head"], person=person, year=YEAR)
    assert (_style(portrait), portrait.rules_owner) == (D("71.7"), cast.province)
    client.force_login(cast["head"])
    page = client.get(reverse("portrait:ruleset", args=[cast.dept.pk])).content.decode()
    assert 'id="set-inherited"' in page and cast.province.name in page
    # 泸溪's first edit copies the set in force (the province's, with the target of 9), not
    # the defaults: measures weigh 20. (30 × 100 + 30 × 50 + 20 × 66.67) / 80 = 72.92 → 72.9
    measures = SourceRule.objects.get(department=cast.province, source="supervision.measures")
    services.rule_update(by=cast["head"], department=cast.dept, rule=measures,
                         version=measures.version, weight=D(20))
    assert _score(cast["head"], person) == D("72.9")
    copy = AuditEntry.objects.get(action="portrait.ruleset.copy", object_id=str(cast.dept.pk))
    assert copy.actor_id == cast["head"].pk
    page = client.get(reverse("portrait:ruleset", args=[cast.dept.pk])).content.decode()
    assert 'id="set-own"' in page and 'id="reset-form"' in page
    # Reset: the province's set again, then (the province resets too) the defaults.
    answer = client.post(reverse("portrait:ruleset_reset", args=[cast.dept.pk]))
    assert answer.status_code == 302
    assert not SourceRule.objects.filter(department=cast.dept).exists()
    assert AuditEntry.objects.filter(action="portrait.ruleset.reset",
                                     object_id=str(cast.dept.pk)).exists()
    assert _score(cast["head"], person) == D("71.7")
    assert services.ruleset_reset(by=province_head, department=cast.province) == 16
    portrait = selectors.portrait(user=cast["head"], person=person, year=YEAR)
    assert (_style(portrait), portrait.rules_owner) == (D("64.2"), None)
    page = client.get(reverse("portrait:ruleset", args=[cast.dept.pk])).content.decode()
    assert 'id="set-default"' in page


def test_only_the_installations_top_department_changes_the_defaults(
        cast, client, province_head):
    person = worked_example_records(cast.people["managed"])
    assert not access.may_edit_defaults(cast["head"])
    assert not access.may_edit_defaults(cast["sysadmin"])
    assert access.may_edit_defaults(province_head)
    visits = _default("service.visits")
    client.force_login(province_head)
    answer = client.post(reverse("portrait:default_rule_edit", args=[visits.pk]),
                         _form(visits, weight="60"))
    assert answer.status_code == 302
    visits.refresh_from_db()
    assert (visits.weight, visits.version) == (D(60), 2)
    assert not SourceRule.objects.filter(department__isnull=False).exists()
    # Every department without its own set scores by the changed default: 66.7 as above.
    assert _score(cast["head"], person) == D("66.7")
    # A second root (an independent department on the same server): nobody is above all
    # roots any more, so the defaults stay as they are.
    people_services.unit_create(by=None, parent=None, name="贵州省委组织部",
                                kind=UnitKind.ORG_DEPT, code="52")
    assert not access.may_edit_defaults(province_head)
    answer = client.post(reverse("portrait:default_rule_edit", args=[visits.pk]),
                         _form(visits, weight="10"))
    assert answer.status_code == 403
    visits.refresh_from_db()
    assert visits.weight == D(60)


def test_a_stale_first_edit_of_an_inherited_rule_is_refused(cast, client, province_head):
    visits = _default("service.visits")
    client.force_login(cast["head"])
    url = reverse("portrait:rule_edit", args=[cast.dept.pk, visits.pk])
    form = _form(visits, weight="60")
    # The top department changes the default after 泸溪's head opened the form.
    services.rule_update(by=province_head, rule=visits, version=visits.version, weight=D(45))
    answer = client.post(url, form)
    assert answer.status_code == 400 and 'id="rule-form"' in answer.content.decode()
    assert not SourceRule.objects.filter(department=cast.dept).exists()


def test_the_compare_page_says_which_set_scored_each_cadre(cast, client):
    visits = _default("service.visits")
    services.rule_update(by=cast["head"], department=cast.dept, rule=visits,
                         version=visits.version, weight=D(60))
    client.force_login(cast["head"])
    page = client.get(reverse("portrait:compare"),
                      {"people": [cast.people["managed"].pk], "year": YEAR}).content.decode()
    assert 'id="compare-rules"' in page and cast.dept.name in page


# ---------------------------------------------------------------- 五型机关 mapping


def test_the_default_five_type_mapping_is_the_one_the_page_had(db):
    rows = selectors.type_rules_of(selectors.typeset_in_force(None))
    assert [(r.kind, r.metric_keys) for r in rows] == [
        ("learning", ["learning.study_hours"]),
        ("clean", ["supervision.package_items_done"]),
        ("service", ["service.problems_solved"]),
        ("innovative", ["projects.declared"]),
        ("harmonious", ["care.participations"])]


def test_a_department_counts_a_type_by_its_own_figures(cast, client):
    worked_example_records(cast.people["managed"])  # 2 problems raised, 1 solved
    client.force_login(cast["head"])
    url = reverse("portrait:type_edit", args=[cast.dept.pk, "service"])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"metric_keys": ["service.problems_raised",
                                               "service.problems_solved"], "version": 1})
    assert answer.status_code == 302
    # The mapping was copied (audited) and the copy changed; the default stays.
    assert TypeRule.objects.filter(department=cast.dept).count() == 5
    assert AuditEntry.objects.filter(action="portrait.typeset.copy",
                                     object_id=str(cast.dept.pk)).exists()
    assert TypeRule.objects.get(department=None, kind="service").metric_keys == [
        "service.problems_solved"]
    figures = selectors.department_figures(user=cast["head"], department=cast.dept,
                                           year=YEAR)
    service = next(f for f in figures if f.key == "service")
    assert service.value == 3  # 2 raised + 1 solved
    assert [(p.metric_key, p.value) for p in service.parts] == [
        ("service.problems_raised", 2), ("service.problems_solved", 1)]
    page = client.get(reverse("portrait:department"), {"year": YEAR}).content.decode()
    assert 'id="type-service-1"' in page and 'id="type-service-2"' in page
    for part in service.parts:
        assert client.get(part.url).status_code == 200
    # 凤凰 still counts by the default mapping.
    assert selectors.typeset_in_force(cast.other_dept).owner is None
    # Reset: the default mapping is in force for 泸溪 again.
    assert client.post(reverse("portrait:typeset_reset",
                               args=[cast.dept.pk])).status_code == 302
    figures = selectors.department_figures(user=cast["head"], department=cast.dept,
                                           year=YEAR)
    assert next(f for f in figures if f.key == "service").value == 1


def test_five_type_figures_are_checked_against_the_registered_metrics(cast, client):
    rule = selectors.type_rule_get_for_user(cast["head"], "learning",
                                            selectors.typeset_for_user(cast["head"],
                                                                       cast.dept.pk))
    for keys, fragment in ((["nothing.here"], "nothing.here"),
                           (["learning.study_hours", "learning.books"], "、"),
                           ([], None)):
        with pytest.raises(ValidationError) as caught:
            services.type_rule_update(by=cast["head"], department=cast.dept, rule=rule,
                                      version=1, metric_keys=keys)
        message = " ".join(caught.value.message_dict["metric_keys"])
        assert fragment is None or fragment in message
    assert not TypeRule.objects.filter(department=cast.dept).exists()
    # On the page: an unregistered key is a form error beside the field, not a 500.
    client.force_login(cast["head"])
    answer = client.post(reverse("portrait:type_edit", args=[cast.dept.pk, "learning"]),
                         {"metric_keys": ["nothing.here"], "version": 1})
    assert answer.status_code == 400 and "invalid-feedback" in answer.content.decode()
    answer = client.post(reverse("portrait:type_edit", args=[cast.dept.pk, "learning"]),
                         {"metric_keys": ["learning.study_hours", "learning.books"],
                          "version": 1})
    assert answer.status_code == 400 and "invalid-feedback" in answer.content.decode()
    assert client.get(reverse("portrait:type_edit",
                              args=[cast.dept.pk, "nosuchtype"])).status_code == 404
