"""Evidence files of the learning area: note photos, writing files and study materials are
checked by size and content on the way in, and served only with the record that owns them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import yesterday
from zugong.learning import services
from zugong.learning.models import CopyFlag, StudyMaterial, StudyNote, Writing

PDF = b"%PDF-1.4\n%writing\n"
HTML = b"<html><body><script>fetch('/api/v1/people')</script></body></html>"


def _writing_form(**extra):
    return {"kind": "reflection", "on": yesterday().isoformat(), "title": "学习心得",
            "text": "", **extra}


def _post_writing(client, upload):
    return client.post(reverse("learning:record_add", args=["writing"]),
                       _writing_form(file=upload))


def test_a_60_mb_writing_file_is_refused_on_the_page_and_nothing_is_saved(cast, client_for):
    big = SimpleUploadedFile("调研报告.pdf", PDF + b"\0" * (60 * 1024 * 1024))
    response = _post_writing(client_for(cast["cadre"]), big)
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件大小为 60.0\xa0MB，最大允许 20.0\xa0MB" in page
    assert not Writing.objects.exists()


def test_an_html_page_as_a_writing_file_is_refused_whatever_its_name(cast, client_for):
    client = client_for(cast["cadre"])
    for name in ("心得.html", "心得.pdf"):
        response = _post_writing(client, SimpleUploadedFile(name, HTML,
                                                            content_type="application/pdf"))
        assert response.status_code == 200
        assert "此处不能上传此类文件" in response.content.decode()
    assert not Writing.objects.exists()


def _writing(cast):
    return services.record_create(by=cast["cadre"], kind="writing", person=cast.people["cadre"],
                                  data={"on": yesterday(), "kind": "reflection",
                                        "title": "学习心得", "text": "学习党章的体会"})


def test_the_api_refuses_a_bad_file_with_422_and_attaches_a_good_one(cast, client_for):
    writing = _writing(cast)
    client = client_for(cast["cadre"])
    url = f"/api/v1/learning/records/writing/{writing.pk}/file"
    refused = client.post(url, {"version": writing.version,
                                "file": SimpleUploadedFile("a.pdf", HTML)})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["file"][0].startswith("此处不能上传此类文件")
    writing.refresh_from_db()
    assert not writing.file
    accepted = client.post(url, {"version": writing.version,
                                 "file": SimpleUploadedFile("我的心得.html", PDF)})
    assert accepted.status_code == 200 and accepted.json()["has_file"] is True
    writing.refresh_from_db()
    # Stored under the extension of what it is, not of what it was called.
    assert writing.file.name.endswith(".pdf") and "我的心得" in writing.file.name
    # Someone out of scope learns nothing, not even that the writing exists.
    assert client_for(cast["outsider"]).post(url, {"version": writing.version}).status_code \
        == 404


def test_an_attached_writing_file_opens_for_those_who_see_the_writing_only(cast, client_for):
    writing = _writing(cast)
    services.record_update(by=cast["cadre"], record=writing, version=writing.version,
                           data={"file": SimpleUploadedFile("学习心得.pdf", PDF)})
    page = client_for(cast["chief"]).get(reverse("learning:record", args=["writing", writing.pk]))
    url = reverse("learning:writing_file", args=[writing.pk])
    assert url in page.content.decode()
    response = client_for(cast["chief"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "utf-8''%E5%AD%A6%E4%B9%A0%E5%BF%83%E5%BE%97.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    for outside in ("cadre2", "outsider"):
        assert client_for(cast[outside]).get(url).status_code == 404


def _jpeg() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "JPEG")
    buf.seek(0)
    buf.name = "page.jpg"
    return buf


def test_note_photos_are_shown_on_the_note_and_to_nobody_outside_its_scope(cast, client_for):
    client = client_for(cast["cadre"])
    response = client.post(reverse("learning:record_add", args=["note"]), {
        "on": yesterday().isoformat(), "title": "手写笔记", "is_paper": "on",
        "char_count": "3200", "photos": [_jpeg()]})
    assert response.status_code == 302
    note = StudyNote.objects.get()
    photo = note.photos.get()
    url = reverse("learning:note_photo", args=[note.pk, photo.pk])
    page = client_for(cast["chief"]).get(reverse("learning:record", args=["note", note.pk]))
    assert f'src="{url}"' in page.content.decode()
    shown = client_for(cast["chief"]).get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["Content-Disposition"].startswith("inline;")
    assert client_for(cast["outsider"]).get(url).status_code == 404
    # A photo id under another note is not found either.
    other = StudyNote.objects.create(person=cast.people["chief"], on=yesterday(), title="x",
                                     char_count=1)
    assert client_for(cast["chief"]).get(
        reverse("learning:note_photo", args=[other.pk, photo.pk])).status_code == 404


def test_a_note_photo_that_is_no_image_is_refused(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.record_create(by=cast["cadre"], kind="note", person=cast.people["cadre"],
                               data={"on": yesterday(), "title": "手写笔记", "is_paper": True,
                                     "char_count": 100},
                               photos=[SimpleUploadedFile("page.jpg", PDF)])
    assert "photos" in exc.value.message_dict
    assert not StudyNote.objects.exists()


def test_study_materials_are_checked_and_served_to_their_department(cast, client_for):
    client = client_for(cast["chief"])
    url = f"{reverse('learning:materials')}?dept={cast.dept.pk}"
    refused = client.post(url, {"title": "学习资料", "file": SimpleUploadedFile("a.pdf", HTML)})
    assert refused.status_code == 200 and "此处不能上传此类文件" in refused.content.decode()
    assert not StudyMaterial.objects.exists()
    assert client.post(url, {"title": "学习资料",
                             "file": SimpleUploadedFile("资料.pdf", PDF)}).status_code == 302
    material = StudyMaterial.objects.get()
    file_url = reverse("learning:material_file", args=[material.pk])
    assert file_url in client.get(url).content.decode()
    assert client_for(cast["cadre2"]).get(file_url).status_code == 200
    assert client_for(cast["outsider"]).get(file_url).status_code == 404


# ---------------------------------------------------------------- copy checks and scope


def test_the_copy_check_names_no_colleague_outside_the_readers_scope(cast, client_for):
    other = services.record_create(by=cast["cadre2"], kind="writing",
                                   person=cast.people["cadre2"],
                                   data={"on": yesterday(), "kind": "reflection",
                                         "title": "王磊的调研心得", "text": "原文"})
    mine = _writing(cast)
    flag = CopyFlag.objects.create(person=cast.people["cadre"], source_kind="writing",
                                   source_id=mine.pk, other_kind="writing", other_id=other.pk,
                                   other_person=cast.people["cadre2"], score=0.9,
                                   passages=[["相同的段落", "相同的段落"]])
    outsider_name = cast.people["cadre2"].name
    # The chief reviews the organization section; the other writer is in the cadre section.
    chief = client_for(cast["chief"])
    for page in (chief.get(reverse("learning:copy", args=[flag.pk])),
                 chief.get(reverse("learning:copies"))):
        text = page.content.decode()
        assert page.status_code == 200 and cast.people["cadre"].name in text
        assert outsider_name not in text and "王磊的调研心得" not in text
        assert "其他人员" in text
    # The head's scope covers both sections: both writers are named.
    head = client_for(cast["head"]).get(reverse("learning:copy", args=[flag.pk]))
    assert outsider_name in head.content.decode()
    assert "王磊的调研心得" in head.content.decode()
