"""A static-files finder for the npm packages that serves only the files pages use.

A package's ``dist`` folder holds every build variant (ECharts: 46 MB in 22 files);
collectstatic would hash and compress all of them for nothing, which took minutes.
"""

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage


class VendorFinder(FileSystemFinder):
    """``settings.ZUGONG_VENDOR_FILES``: {prefix: (folder, [files or folders to publish])}."""

    def __init__(self, app_names=None, *args, **kwargs):
        self.vendor = {prefix: (folder, tuple(wanted))
                       for prefix, (folder, wanted) in settings.ZUGONG_VENDOR_FILES.items()
                       if folder.exists()}
        super().__init__(app_names, *args, **kwargs)
        self.locations = [(prefix, str(folder)) for prefix, (folder, _w) in self.vendor.items()]
        self.storages = {}
        for prefix, root in self.locations:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            self.storages[root] = storage

    def check(self, **kwargs):
        return []

    def _published(self, prefix: str, path: str) -> bool:
        wanted = self.vendor[prefix][1]
        return any(path == w or path.startswith(w.rstrip("/") + "/") for w in wanted)

    def find_location(self, root, path, prefix=None):
        if prefix and path.startswith(prefix + "/") and \
                not self._published(prefix, path[len(prefix) + 1:]):
            return None
        return super().find_location(root, path, prefix)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if self._published(storage.prefix, path):
                yield path, storage
