"""The learning area's stored files: each is served only with the record that owns it."""

from django.contrib.auth.decorators import login_required

from zugong.core.files import file_response

from .. import selectors


@login_required
def note_photo_view(request, pk, photo_pk):
    return file_response(selectors.note_photo_get_for_user(request.user, pk, photo_pk).image)


@login_required
def writing_file_view(request, pk):
    return file_response(selectors.writing_file_get_for_user(request.user, pk))


@login_required
def material_file_view(request, pk):
    return file_response(selectors.material_get_for_user(request.user, pk).file)
