"""Post messages from many concurrent clients over HTTP and check that none is lost.

Start the app the way you deploy it, then point this script at it, from the project
folder (it reads .env to reach the same database):

    gunicorn -w 4 -b 127.0.0.1:8000 "{{ cookiecutter.package }}:create_app()" &
    python scripts/load_test.py http://127.0.0.1:8000 --clients 16 --posts 200

It creates the users load-1 ... load-N if they are missing, logs each client in, posts
the messages, and exits 1 unless exactly clients x posts new messages were stored with
no 5xx answer. Only point it at a server you run: it sends real traffic.
"""

import argparse
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar

import sqlalchemy as sa
from dotenv import load_dotenv

PASSWORD = "load-test-password-not-secret"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # count the 302 after a post; do not fetch the board each time


def ensure_users(count):
    from {{ cookiecutter.package }} import create_app
    from {{ cookiecutter.package }}.extensions import db
    from {{ cookiecutter.package }}.models import Message, User

    with create_app().app_context():
        for number in range(1, count + 1):
            email = f"load-{number}@example.com"
            if not db.session.scalar(sa.select(User).filter_by(email=email)):
                db.session.add(User(username=f"load-{number}", email=email, password=PASSWORD))
        db.session.commit()
        return db.session.scalar(sa.select(sa.func.count(Message.id)))


def count_messages():
    from {{ cookiecutter.package }} import create_app
    from {{ cookiecutter.package }}.extensions import db
    from {{ cookiecutter.package }}.models import Message

    with create_app().app_context():
        return db.session.scalar(sa.select(sa.func.count(Message.id)))


def client(base_url, number, posts, statuses):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
    )

    def send(path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with opener.open(base_url + path, data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def token(page):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]

    _, page = send("/auth/login")
    email = f"load-{number}@example.com"
    credentials = {"csrf_token": token(page), "email": email, "password": PASSWORD}
    status, _ = send("/auth/login", credentials)
    statuses[f"login {status}"] += 1
    _, page = send("/")
    csrf = token(page)
    for index in range(posts):
        status, _ = send("/messages", {"csrf_token": csrf, "body": f"load {number}.{index}"})
        statuses[status] += 1


def main():
    parser = argparse.ArgumentParser(description="Concurrent posting load test.")
    parser.add_argument("url", help="base URL of a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--posts", type=int, default=200, help="messages per client")
    args = parser.parse_args()
    load_dotenv()

    before = ensure_users(args.clients)
    statuses = Counter()
    threads = [
        threading.Thread(target=client, args=(args.url.rstrip("/"), n, args.posts, statuses))
        for n in range(1, args.clients + 1)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    stored = count_messages() - before
    expected = args.clients * args.posts
    rate = expected / elapsed
    print(f"{expected} posts in {elapsed:.1f} s ({rate:.0f}/s); answers {dict(statuses)}")
    print(f"new messages stored: {stored} (expected {expected})")
    server_errors = sum(n for status, n in statuses.items() if str(status).startswith("5"))
    ok = stored == expected and server_errors == 0 and statuses[302] == expected
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
