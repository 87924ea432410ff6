from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    path("lrmx/", views.lrmx_import_view, name="lrmx_import"),
    path("workbook/", views.workbook_import_view, name="workbook_import"),
    path("batches/<int:pk>/", views.preview_view, name="preview"),
    path("batches/<int:pk>/confirm/", views.confirm_view, name="confirm"),
    path("batches/<int:pk>/discard/", views.discard_view, name="discard"),
    path("people/<int:pk>/lrmx/", views.person_lrmx_view, name="person_lrmx"),
    path("people/<int:pk>/form.pdf", views.form_pdf_view, name="form_pdf"),
    path("people/<int:pk>/form.docx", views.form_docx_view, name="form_docx"),
    path("people/lrmx.zip", views.people_lrmx_view, name="people_lrmx"),
    path("people/workbook.xlsx", views.workbook_export_view, name="workbook_export"),
    path("workbook/template.xlsx", views.workbook_template_view, name="workbook_template"),
]
