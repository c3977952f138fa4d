"""What the framework leaves to the application: a content security policy (every script
and style from this server, nothing inline), pages never stored by a browser, and the
optional sign-in through a trusted reverse proxy's header, which Django's own RemoteUser
classes carry out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import RemoteUserBackend
from django.contrib.auth.middleware import PersistentRemoteUserMiddleware
from django.utils.cache import add_never_cache_headers

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response


class NeverStoredMiddleware:
    """Every page and file the workspace answers (a person's rows, a list, an export) is
    marked `Cache-Control: no-store, private`: a browser keeps none on disk nor in its
    back-forward cache, so that after "Déconnexion" on a shared workstation the Back
    button shows nothing of a person, and every view goes through the server and its
    views log. (Static files are served before this middleware, cached as WhiteNoise
    says.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class TrustedHeaderMiddleware(PersistentRemoteUserMiddleware):
    """Signs in the account named by the header the prefecture's single sign-on proxy sets
    (RECONCILE_WORKSPACE_TRUSTED_HEADER). Only ever enabled when that proxy is the sole
    way in: anyone reaching the workspace directly could otherwise set the header."""

    def __init__(self, get_response):
        name = settings.RECONCILE_TRUSTED_HEADER.upper().replace("-", "_")
        self.header = name if name.startswith("HTTP_") else f"HTTP_{name}"
        super().__init__(get_response)


class TrustedHeaderBackend(RemoteUserBackend):
    """Only accounts created with `reconcile users add`, and active, may sign in this way."""

    create_unknown_user = False
