#!/usr/bin/env python3
"""A small shop written for the flow tests: it issues a token on POST /login
and accepts it on GET /cart exactly once; it logs every request it serves,
one line each, to --log:

  login TOKEN USER     POST /login (body {"user": "..."}), 200 {"token": ...}
  cart TOKEN STATUS    GET /cart with "Authorization: Bearer TOKEN": 200 the
                       first time, 403 for a reused or unknown token
  item ID              GET /item/ID
  other PATH STATUS    anything else

Also: GET /slow (200 after 300 ms), GET /nofield (200 {"other": 1}),
GET /status/CODE (that status). Loopback only: --port on 127.0.0.1.
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
ISSUED = {}
USED = set()
COUNTER = [0]
LOG = None


def log(line):
    with LOCK:
        LOG.write(line + "\n")
        LOG.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_POST(self):
        raw = self.body()
        if self.path == "/login":
            try:
                user = json.loads(raw or b"{}").get("user", "")
            except ValueError:
                user = ""
            with LOCK:
                COUNTER[0] += 1
                token = "t%d" % COUNTER[0]
                ISSUED[token] = user
            log("login %s %s" % (token, user or "-"))
            self.reply(200, json.dumps({"token": token, "user": user}),
                       [("X-Id", token), ("Set-Cookie", "session=s-%s; Path=/" % token)])
            return
        log("other %s 404" % self.path)
        self.reply(404, "{}")

    def do_GET(self):
        self.body()
        path = self.path
        if path == "/cart":
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
            with LOCK:
                ok = token in ISSUED and token not in USED
                if ok:
                    USED.add(token)
            status = 200 if ok else 403
            cookie = self.headers.get("Cookie", "")
            log("cart %s %d %s" % (token or "-", status, cookie or "-"))
            self.reply(status, json.dumps({"items": [{"id": 1}], "status": "ok"}) if ok else "{}")
        elif path.startswith("/item/"):
            log("item %s" % path[len("/item/"):])
            self.reply(200, json.dumps({"id": path[len("/item/"):]}))
        elif path == "/slow":
            time.sleep(0.3)
            log("other /slow 200")
            self.reply(200, '{"status": "ok"}')
        elif path == "/nofield":
            log("other /nofield 200")
            self.reply(200, '{"other": 1}')
        elif path.startswith("/status/"):
            code = int(path[len("/status/"):])
            log("other %s %d" % (path, code))
            self.reply(code, "{}")
        else:
            log("other %s 200" % path)
            self.reply(200, '{"status": "ok"}')


def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    LOG = open(args.log, "a")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
