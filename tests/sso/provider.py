"""A real OpenID Connect provider on loopback for the tests: ``oidc-provider-mock`` (authlib and
Flask) in a thread, with a switch that spoils the ID tokens it issues (wrong audience, wrong
issuer, a signature by another key, expired) to show that the site refuses them."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from contextlib import contextmanager

import flask
import oidc_provider_mock
import requests
import werkzeug.serving
from authlib import jose

CLIENT_ID = "skills-tests"


def _b64json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


class SpoilingProvider:
    """WSGI wrapper around the provider: when ``spoil`` is set, the token endpoint's ID token is
    rewritten and signed again (by the provider's own key, or by another for "signature")."""

    def __init__(self, app: flask.Flask):
        self.app = app
        with app.test_request_context():
            app.preprocess_request()  # the provider keeps its key in flask.g, set before each request
            self.key = flask.g.oidc_provider_mock_storage.jwk
        self.other_key = jose.RSAKey.generate_key(is_private=True)
        self.spoil: str | None = None

    def __call__(self, environ, start_response):
        if self.spoil is None or environ.get("PATH_INFO") != "/oauth2/token":
            return self.app(environ, start_response)
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = json.loads(b"".join(self.app(environ, keep)))
        if "id_token" in body:
            body["id_token"] = self._spoiled(body["id_token"])
        content = json.dumps(body).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(content)))])
        return [content]

    def _spoiled(self, id_token: str) -> str:
        header_segment, payload_segment, _signature = id_token.split(".")
        header, claims = _b64json(header_segment), _b64json(payload_segment)
        key = self.key
        if self.spoil == "audience":
            claims["aud"] = "another-application"
        elif self.spoil == "issuer":
            claims["iss"] = "https://impostor.example"
        elif self.spoil == "expired":
            claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
        elif self.spoil == "signature":
            key = self.other_key
        token = jose.JsonWebToken([header["alg"]]).encode(header, claims, key)
        return token.decode() if isinstance(token, bytes) else token


class LoopbackProvider:
    def __init__(self, wrapper: SpoilingProvider, server):
        self.wrapper, self.server = wrapper, server
        self.url = f"http://127.0.0.1:{server.server_port}"

    def set_user(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider; returns where the provider sends the browser back."""
        assert authorize_url.startswith(self.url + "/oauth2/authorize"), authorize_url
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


@contextmanager
def loopback_provider():
    """Started for the tests that need it and stopped after them (bounded waits)."""
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http, on loopback only
    wrapper = SpoilingProvider(oidc_provider_mock.app(require_nonce=False))
    server = werkzeug.serving.make_server("127.0.0.1", 0, wrapper, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield LoopbackProvider(wrapper, server)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
