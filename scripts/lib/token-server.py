#!/usr/bin/env python3
"""A Docker token service for the test registries: the bearer-token flow that GHCR, Docker Hub
and Harbor use, in front of Debian's docker-registry (`auth: token`).

    token-server.py --port PORT --key KEY.pem --cert CERT.pem --users FILE --access-log FILE
                    [--service NAME] [--issuer NAME]

- GET /token?service=S&scope=repository:NAME:pull with Basic auth, or anonymous; and POST /token
  (the OAuth2 form containerd tries first: grant_type=password or refresh_token).
- Known users with the right password get the actions they asked for; anonymous callers get a
  token with no access (the registry then answers 401 insufficient_scope, as GHCR does); a wrong
  password gets 401 with a registry-style error body.
- Tokens are RS256 JWTs whose `x5c` header carries CERT, which the registry trusts through its
  `rootcertbundle`. openssl signs them, so this needs nothing beyond Python and openssl.
- FILE holds `user:sha256(password)` lines, never a password. Each answer is one line in the
  access log: `user=NAME result=granted|anonymous|denied scope=...`, never a password or token.
"""

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TOKEN_LIFETIME = 300


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def load_users(path):
    users = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and ":" in line:
                user, digest = line.split(":", 1)
                users[user] = digest
    return users


class Issuer:
    def __init__(self, key, cert, service, issuer):
        self.key = key
        der = subprocess.run(
            ["openssl", "x509", "-in", cert, "-outform", "DER"],
            check=True, capture_output=True,
        ).stdout
        self.x5c = base64.b64encode(der).decode()
        self.service = service
        self.issuer = issuer

    def token(self, subject, access):
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        claims = {
            "iss": self.issuer, "sub": subject, "aud": self.service,
            "exp": now + TOKEN_LIFETIME, "nbf": now - 10, "iat": now,
            "jti": secrets.token_hex(12), "access": access,
        }
        signing_input = (b64url(json.dumps(header).encode()) + "."
                         + b64url(json.dumps(claims).encode())).encode()
        signature = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", self.key],
            input=signing_input, check=True, capture_output=True,
        ).stdout
        return signing_input.decode() + "." + b64url(signature)


def requested_access(scopes):
    access = []
    for scope in scopes:
        for one in scope.split(" "):
            parts = one.split(":")
            if len(parts) >= 3:
                kind, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1]
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
    return access


class Handler(BaseHTTPRequestHandler):
    server_version = "regcred-test-token-server"

    def log_message(self, fmt, *args):  # the access log below is the only log
        pass

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/token":
            return self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": "no such endpoint"}]})
        query = parse_qs(url.query)
        user, password = None, None
        header = self.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip()).decode()
                user, password = decoded.split(":", 1)
            except (ValueError, UnicodeDecodeError):
                return self.reply(400, {"errors": [{"code": "UNSUPPORTED", "message": "bad Basic header"}]})
        self.answer(user, password, query.get("scope", []), oauth=False)

    def do_POST(self):
        url = urlparse(self.path)
        if url.path != "/token":
            return self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": "no such endpoint"}]})
        length = int(self.headers.get("Content-Length", "0") or 0)
        form = parse_qs(self.rfile.read(min(length, 65536)).decode(errors="replace"))
        grant = form.get("grant_type", [""])[0]
        if grant == "password":
            user, password = form.get("username", [""])[0], form.get("password", [""])[0]
        elif grant == "refresh_token":
            # Refresh tokens are not issued here; an identity token is treated as a password
            # of the empty user, which no account has.
            user, password = "", form.get("refresh_token", [""])[0]
        else:
            return self.reply(400, {"error": "unsupported_grant_type"})
        self.answer(user, password, form.get("scope", []), oauth=True)

    def answer(self, user, password, scopes, oauth):
        server = self.server
        if user is None:
            subject, access, result = "", [], "anonymous"
        else:
            digest = hashlib.sha256(password.encode()).hexdigest()
            known = server.users.get(user)
            if known is None or not hmac.compare_digest(known, digest):
                server.log_access(user, "denied", scopes)
                return self.reply(401, {"errors": [{"code": "UNAUTHORIZED",
                                                    "message": "authentication required"}]},
                                  challenge=True)
            subject, access, result = user, requested_access(scopes), "granted"
        server.log_access(user or "", result, scopes)
        token = server.issuer.token(subject, access)
        body = {"token": token, "access_token": token, "expires_in": TOKEN_LIFETIME,
                "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if oauth:
            body = {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "Bearer"}
        self.reply(200, body)

    def reply(self, status, body, challenge=False):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if challenge:
            self.send_header("WWW-Authenticate", 'Basic realm="regcred-test-token-server"')
        self.end_headers()
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, users, issuer, access_log):
        super().__init__(address, Handler)
        self.users = users
        self.issuer = issuer
        self.access_log_path = access_log
        self.lock = threading.Lock()

    def log_access(self, user, result, scopes):
        line = f"user={user} result={result} scope={' '.join(scopes)}\n"
        with self.lock, open(self.access_log_path, "a", encoding="utf-8") as f:
            f.write(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--access-log", required=True)
    parser.add_argument("--service", default="regcred-test-registry")
    parser.add_argument("--issuer", default="regcred-test-token-server")
    args = parser.parse_args()
    issuer = Issuer(args.key, args.cert, args.service, args.issuer)
    server = Server(("127.0.0.1", args.port), load_users(args.users), issuer, args.access_log)
    print(f"token server on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
