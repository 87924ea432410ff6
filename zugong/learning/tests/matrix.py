"""Permission-matrix rows of the learning pages and endpoints.

Same shape as ``MATRIX`` in tests/test_permission_matrix.py, which collects them."""

import datetime as dt
import io

from django.core.files.base import ContentFile

from tests.permissions import BUSINESS, expect, only
from zugong.learning import services
from zugong.learning.models import (
    CopyFlag,
    NotePhoto,
    Regime,
    ReviewStatus,
    StudyMaterial,
    StudyNote,
    StudySession,
    Writing,
)

DAY = dt.date(2026, 3, 2)
REVIEWERS = ("head", "deputy", "chief", "outsider")


def _regime(cast):
    regime = Regime.objects.filter(department=cast.dept, is_active=True).first()
    return regime or services.regime_create(by=cast["head"], department=cast.dept, name="",
                                            preset="luxi", valid_from=dt.date(2026, 1, 1))


def _with_regime(cast):
    _regime(cast)
    return []


def _rule(cast):
    return [_regime(cast).rules.filter(valid_to__isnull=True).order_by("series").first().pk]


def _study(cast):
    """A pending study record of the cadre (one per test, reused by every cast member)."""
    record = StudySession.objects.filter(person=cast.people["cadre"]).first()
    if record is None:
        record = StudySession.objects.create(person=cast.people["cadre"], on=DAY, hours=1,
                                             topic="自学", status=ReviewStatus.PENDING)
    return record


def _flag(cast):
    other = cast.people["cadre2"]
    flag = CopyFlag.objects.first() or CopyFlag.objects.create(
        person=cast.people["cadre"], source_kind="writing", source_id=1, other_kind="writing",
        other_id=2, other_person=other, score=0.9, passages=[["甲", "甲"]])
    return [flag.pk]


PDF = b"%PDF-1.4 writing"


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    return buf.getvalue()


def _note_photo(cast):
    """A paper note of the cadre with one photo: the note's and the photo's ids."""
    photo = NotePhoto.objects.filter(note__person=cast.people["cadre"]).first()
    if photo is None:
        note = StudyNote.objects.create(person=cast.people["cadre"], on=DAY, title="笔记",
                                        is_paper=True, char_count=300,
                                        status=ReviewStatus.PENDING)
        photo = NotePhoto.objects.create(note=note, image=ContentFile(_png(), name="页.png"))
    return [photo.note_id, photo.pk]


def _writing(cast):
    """A writing of the cadre with a file attached."""
    writing = Writing.objects.filter(person=cast.people["cadre"]).first()
    if writing is None:
        writing = Writing.objects.create(person=cast.people["cadre"], on=DAY, kind="reflection",
                                         title="心得", status=ReviewStatus.PENDING,
                                         file=ContentFile(PDF, name="心得.pdf"))
    return writing


def _material(cast):
    material = StudyMaterial.objects.filter(department=cast.dept).first() or \
        StudyMaterial.objects.create(department=cast.dept, title="学习资料",
                                     file=ContentFile(PDF, name="资料.pdf"))
    return [material.pk]


def _review_body(cast):
    return {"records": f"study:{_study(cast).pk}", "decision": "confirm"}


REGIME_WRITE = expect(403, head=302, outsider=404)
# The owner and the reviewers in scope delete; supervision and assessment see but may not.
DELETE_RECORD = expect(403, head=302, deputy=302, chief=302, cadre=302, cadre2=404,
                       outsider=404)
SEE_RECORD = expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404, outsider=404,
                    supervisor=200, assessor=200)

ROWS = {
    "learning:home": ("get", None, None, only(200, BUSINESS)),
    "learning:records": ("get", None, None, only(200, BUSINESS)),
    "learning:records_export": ("get", None, None, only(200, BUSINESS)),
    "learning:record_add": ("get", lambda c: ["study"], None, only(200, BUSINESS)),
    "learning:record": ("get", lambda c: ["study", _study(c).pk], None, SEE_RECORD),
    "learning:record_delete": ("post", lambda c: ["study", _study(c).pk], None, DELETE_RECORD),
    "learning:record_review": ("post", None, _review_body,
                               expect(403, head=302, deputy=302, chief=302, outsider=404)),
    "learning:note_photo": ("get", _note_photo, None, SEE_RECORD),
    "learning:writing_file": ("get", lambda c: [_writing(c).pk], None, SEE_RECORD),
    "learning:material_file": ("get", _material, None, {**only(200, BUSINESS), "outsider": 404}),
    "learning:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE_RECORD),
    "learning:compliance": ("get", _with_regime, None, only(200, BUSINESS)),
    "learning:compliance_export": ("get", _with_regime, None,
                                   {**only(200, BUSINESS), "outsider": 302}),
    "learning:regime": ("get", _with_regime, None, only(200, BUSINESS)),
    "learning:regime_create": ("post", None,
                               lambda c: {"dept": c.dept.pk, "preset": "luxi",
                                          "valid_from": "2026-01-01"}, REGIME_WRITE),
    "learning:regime_settings": ("post", _with_regime,
                                 lambda c: {"dept": c.dept.pk, "version": _regime(c).version,
                                            "remind_days": 5, "copy_threshold": "0.5"},
                                 REGIME_WRITE),
    "learning:rule_add": ("post", _with_regime,
                          lambda c: {"dept": c.dept.pk, "metric": "learning.articles",
                                     "threshold": "2", "period": "year",
                                     "valid_from": "2026-01-01"}, REGIME_WRITE),
    "learning:rule_change": ("post", _rule,
                             lambda c: {"dept": c.dept.pk, "effective": "2026-07-01",
                                        "threshold": "2"}, REGIME_WRITE),
    "learning:rule_retire": ("post", _rule,
                             lambda c: {"dept": c.dept.pk, "last_day": "2026-12-31"},
                             REGIME_WRITE),
    "learning:calendar": ("post", None,
                          lambda c: {"day": "2030-01-01", "is_workday": "", "note": "元旦"},
                          expect(403, head=302, outsider=302)),
    "learning:exemption_add": ("post", _with_regime,
                               lambda c: {"dept": c.dept.pk, "person": c.people["cadre"].pk,
                                          "kind": "leave", "start": "2026-02-01",
                                          "end": "2026-02-10", "reason": "年休假"},
                               REGIME_WRITE),
    "learning:first_topics": ("get", None, None, only(200, BUSINESS)),
    "learning:reading": ("get", None, None, only(200, BUSINESS)),
    "learning:materials": ("get", None, None, only(200, BUSINESS)),
    "learning:copies": ("get", None, None, only(200, REVIEWERS)),
    "learning:copy": ("get", _flag, None, expect(403, head=200, deputy=200, chief=200,
                                                 outsider=404)),
    "learning:copy_review": ("post", _flag, lambda c: {"decision": "dismiss"},
                             expect(403, head=302, deputy=302, chief=302, outsider=404)),
    "api:list_metrics": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:list_records": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_record": ("get", lambda c: ["study", _study(c).pk], None,
                       {**SEE_RECORD, None: 401}),
    "api:create_record": ("post", None,
                          lambda c: {"kind": "study", "on": "2026-03-03", "hours": "1",
                                     "topic": "学习党章"},
                          only(201, BUSINESS, anonymous=401)),
    "api:update_record": ("patch", lambda c: ["study", _study(c).pk],
                          lambda c: {"version": StudySession.objects.get(
                              pk=_study(c).pk).version, "topic": "学习党章"},
                          expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404,
                                 outsider=404, anonymous=401)),
    "api:delete_record": ("delete", lambda c: ["study", _study(c).pk], None,
                          {**DELETE_RECORD, "head": 204, "deputy": 204, "chief": 204,
                           "cadre": 204, None: 401}),
    # Scope first (404/403), then the body: the matrix sends none, so who may attach gets 422.
    "api:attach_writing_file": ("post", lambda c: [_writing(c).pk], None,
                                expect(403, head=422, deputy=422, chief=422, cadre=422,
                                       cadre2=404, outsider=404, anonymous=401)),
    "api:review_records": ("post", None,
                           lambda c: {"records": [{"kind": "study", "id": _study(c).pk}],
                                      "decision": "confirm"},
                           expect(403, head=200, deputy=200, chief=200, cadre2=404,
                                  outsider=404, anonymous=401)),
    "api:get_regime": ("get", lambda c: [_regime(c).department_id], None,
                       {**only(200, BUSINESS, anonymous=401), "outsider": 404}),
    "api:add_rule": ("post", lambda c: [_regime(c).department_id],
                     lambda c: {"metric": "learning.articles", "threshold": "2",
                                "period": "year", "valid_from": "2026-01-01"},
                     expect(403, head=201, outsider=404, anonymous=401)),
    "api:get_compliance": ("get", _with_regime, None, only(200, BUSINESS, anonymous=401)),
}
