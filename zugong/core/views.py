"""The error pages (every app's 403, 404 and 500 look the same)."""

from django.shortcuts import render

# An error page shows no sub-navigation: "not found" must read the same whatever the
# address, and a refused page is no place to offer the app's other pages.
ERROR = {"zg_error_page": True}


def error_403(request, exception=None):
    return render(request, "403.html", ERROR, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", ERROR, status=404)


def error_500(request):
    return render(request, "500.html", status=500)
