"""Who may import and export: interop uses the people app's capabilities and scope."""

from zugong.people.access import Cap

__all__ = ["Cap"]
