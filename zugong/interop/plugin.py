"""Import and export's part of the whole: its URLs and API (it uses the people app's
capabilities, and its buttons sit on the people pages)."""

from zugong.core.registry import Plugin

PLUGIN = Plugin(
    urls=(("interop/", "zugong.interop.urls"),),
    api="zugong.interop.api:router",
)
