"""Pages of the learning area: my progress, records and their confirmation, compliance,
the regime, 第一议题, the reading list and materials, copy flags."""

from .files import (  # noqa: F401 - urls.py names them here
    material_file_view,
    note_photo_view,
    writing_file_view,
)
from .records import (  # noqa: F401 - urls.py names them here
    home_view,
    person_tab_view,
    record_add_view,
    record_delete_view,
    record_detail_view,
    record_export_view,
    record_list_view,
    record_review_view,
)
from .regime import (  # noqa: F401 - urls.py names them here
    calendar_view,
    compliance_export_view,
    compliance_view,
    exemption_add_view,
    regime_create_view,
    regime_settings_view,
    regime_view,
    rule_add_view,
    rule_change_view,
    rule_retire_view,
)
from .resources import (  # noqa: F401 - urls.py names them here
    copy_detail_view,
    copy_list_view,
    copy_review_view,
    first_topic_view,
    material_list_view,
    reading_list_view,
)
