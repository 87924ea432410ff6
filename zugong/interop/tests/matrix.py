"""Permission-matrix rows of the import/export pages and endpoints (see tests/permissions.py).

Importers hold people.change (head, deputy, section chief, and the other county's head);
exporters hold people.export. A batch belongs to whoever uploaded it: another importer gets
404, a role that cannot import gets 403.
"""

from pathlib import Path

from tests.permissions import BUSINESS, expect, only

IMPORTERS = ("head", "deputy", "chief", "outsider")
EXPORTERS = ("head", "deputy", "chief", "outsider", "supervisor", "assessor")
FILE = Path(__file__).parent / "files" / "basic.lrmx"


def _target(cast):
    return cast.people["cadre"]


def _heads_batch(cast):
    from zugong.interop import services

    batch, _report = services.batch_prepare(by=cast["head"], files=[("a.lrmx", FILE.read_bytes())],
                                            unit=cast.county_unit)
    return [batch.pk]


# Someone else's batch is not found; roles that cannot import are forbidden.
BATCH = expect(403, head=200, deputy=404, chief=404, outsider=404)
BATCH_POST = expect(403, head=302, deputy=404, chief=404, outsider=404)
# The exported person is the cadre: out of scope for cadre2 and the other county (404);
# the cadre sees themself but may not export (403).
PERSON_EXPORT = expect(403, head=200, deputy=200, chief=200, supervisor=200, assessor=200,
                       cadre2=404, outsider=404)

ROWS = {
    "interop:lrmx_import": ("get", None, None, only(200, IMPORTERS)),
    "interop:workbook_import": ("get", None, None, only(200, IMPORTERS)),
    "interop:preview": ("get", _heads_batch, None, BATCH),
    "interop:confirm": ("post", _heads_batch, None, BATCH_POST),
    "interop:discard": ("post", _heads_batch, None, BATCH_POST),
    "interop:person_lrmx": ("get", lambda c: [_target(c).pk], None, PERSON_EXPORT),
    "interop:form_pdf": ("get", lambda c: [_target(c).pk], None, PERSON_EXPORT),
    "interop:form_docx": ("get", lambda c: [_target(c).pk], None, PERSON_EXPORT),
    "interop:people_lrmx": ("get", None, None, only(200, EXPORTERS)),
    "interop:workbook_export": ("get", None, None, only(200, EXPORTERS)),
    "interop:workbook_template": ("get", None, None, only(200, EXPORTERS)),
    # The matrix posts JSON; the endpoint takes multipart files, so every signed-in caller
    # is told what is missing (422) — the permission itself is tested in test_pages.py.
    "api:create_batch": ("post", None, None, expect(422, anonymous=401)),
    "api:get_batch": ("get", _heads_batch, None,
                      expect(403, head=200, deputy=404, chief=404, outsider=404,
                             anonymous=401)),
    "api:confirm_batch": ("post", _heads_batch, lambda c: {"apply": None},
                          expect(403, head=200, deputy=404, chief=404, outsider=404,
                                 anonymous=401)),
    "api:person_lrmx": ("get", lambda c: [_target(c).pk], None,
                        {**PERSON_EXPORT, None: 401}),
    "api:person_form_pdf": ("get", lambda c: [_target(c).pk], None,
                            {**PERSON_EXPORT, None: 401}),
}
assert set(BUSINESS) >= set(IMPORTERS)
