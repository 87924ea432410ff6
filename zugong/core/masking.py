"""Masking of sensitive values in pages, exports and audit entries."""

# Keys masked wherever a record is copied into logs (the audit log included).
SENSITIVE_FIELDS = frozenset({"id_number", "phone", "password", "work_unit_and_post"})


def mask_id_number(value: str | None) -> str:
    """4301**********123X: keep the province/prefecture and the last four characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_value(field: str, value):
    if value in (None, ""):
        return value
    if field == "id_number":
        return mask_id_number(str(value))
    if field == "phone":
        return mask_phone(str(value))
    return "******"


def mask_dict(data: dict | None) -> dict | None:
    if data is None:
        return None
    return {k: mask_value(k, v) if k in SENSITIVE_FIELDS else v for k, v in data.items()}
