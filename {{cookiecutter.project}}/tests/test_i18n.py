"""Two languages: how each request's is chosen, the Chinese pages, and a catalogue that
keeps up with the code (every message translated, the shipped .mo compiled from the .po)."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import User

from .helpers import NEW_PASSWORD, add_messages, log_in, register

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "{{ cookiecutter.package }}" / "translations" / "zh_Hans" / "LC_MESSAGES"
# The README's `pybabel extract -k _l -k lazy_gettext`: Babel's keywords and the lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


def html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


def test_accept_language_chinese_gets_the_chinese_page(client):
    response = client.get("/", headers=ZH)
    page = response.get_data(as_text=True)
    assert html_lang(response) == "zh-Hans"
    assert "还没有留言。" in page and ">登录</a>" in page
    assert "Accept-Language" in response.headers["Vary"]


def test_without_a_choice_or_header_the_page_is_in_the_default_language(make_app):
    assert html_lang(make_app().test_client().get("/")) == "en"
    client = make_app(BABEL_DEFAULT_LOCALE="zh_Hans").test_client()
    assert html_lang(client.get("/")) == "zh-Hans"
    # A language the site does not speak falls back to the default too.
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"})) == "zh-Hans"


def test_the_footer_choice_overrides_accept_language(client):
    page = client.get("/auth/login", headers=ZH).get_data(as_text=True)
    assert 'href="/language/en?next=/auth/login"' in page  # the switcher, back to this page
    response = client.get("/language/en?next=/auth/login")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    response = client.get("/auth/login", headers=ZH)
    assert html_lang(response) == "en" and '<h1 class="h3 mb-3">Log in</h1>' in response.text
    client.get("/language/zh_Hans")
    assert html_lang(client.get("/")) == "zh-Hans"


def test_a_logged_in_users_choice_is_saved_on_the_account(app, make_user):
    make_user("alice")
    client = app.test_client()
    log_in(client, "alice@example.com")
    page = client.get("/", headers=ZH).get_data(as_text=True)
    # Logged in, the switcher is a POST form (CSRF protected), not a link.
    assert 'action="/language/en"' in page and 'href="/language/en' not in page
    response = client.post("/language/zh_Hans", data={"next": "/u/alice"})
    assert response.status_code == 302 and response.headers["Location"] == "/u/alice"
    with app.app_context():
        assert db.session.scalar(sa.select(User.language).filter_by(username="alice")) == "zh_Hans"

    # Another browser, asking for English: the account's choice wins once logged in.
    other = app.test_client()
    english = {"Accept-Language": "en"}
    assert html_lang(other.get("/", headers=english)) == "en"
    log_in(other, "alice@example.com")
    assert html_lang(other.get("/", headers=english)) == "zh-Hans"


def test_a_visitors_link_changes_no_account(app, make_user, client):
    make_user("alice")
    client.get("/language/zh_Hans")
    log_in(client, "alice@example.com")
    with app.app_context():
        assert db.session.scalar(sa.select(User.language).filter_by(username="alice")) is None
    assert html_lang(client.get("/")) == "zh-Hans"  # the cookie still speaks for them


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/", None])
def test_the_switcher_only_goes_back_to_this_site(client, next_url):
    response = client.get("/language/zh_Hans", query_string={"next": next_url} if next_url else {})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_a_404_and_sets_nothing(client):
    response = client.get("/language/xx")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers


def test_a_form_error_and_a_flash_in_chinese(client, make_user):
    client.get("/language/zh_Hans")
    page = register(client, confirm=NEW_PASSWORD).get_data(as_text=True)
    assert "两次输入的密码不一致。" in page and "再次输入密码" in page
    make_user("alice")
    page = log_in(client, "alice@example.com", "wrong password").get_data(as_text=True)
    assert "邮箱或密码不正确。" in page


def test_error_pages_in_chinese(client):
    page = client.get("/no-such-page", headers=ZH).get_data(as_text=True)
    assert "找不到页面" in page and "返回留言板" in page


def test_the_api_answers_in_english_whatever_the_headers(client):
    response = client.get("/api/v1/messages/12345", headers=ZH)
    assert response.status_code == 404 and response.json["error"]["message"] == "No such message."


def test_times_in_the_readers_language(app, client, make_user):
    """The exact time in Chinese, and the words relative_time.js needs: "5分钟前" itself
    comes from the browser (Intl.RelativeTimeFormat, tests/e2e)."""
    add_messages(app, make_user(), 1)
    page = client.get("/", headers=ZH).get_data(as_text=True)
    assert 'datetime="2026-11-21T00:51:00Z">2026年11月21日 00:51:00 UTC</time>' in page
    assert 'data-just-now="刚刚"' in page


def test_an_unknown_default_language_stops_the_app():
    with pytest.raises(RuntimeError, match="BABEL_DEFAULT_LOCALE='fr'"):
        create_app("testing", BABEL_DEFAULT_LOCALE="fr")


def messages_in_the_code():
    """Every msgid the code has, extracted as `pybabel extract -F babel.cfg` does."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


def as_tuple(value):
    """A msgid or msgstr as a tuple: several for plural forms, else one."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def test_every_message_in_the_code_has_a_chinese_translation():
    with open(CATALOGUE / "messages.po", "rb") as file:
        catalogue = read_po(file)
    translated = {m.id for m in catalogue if m.id and not m.fuzzy and all(as_tuple(m.string))}
    in_code = messages_in_the_code()
    assert len(in_code) > 100  # the extraction found the app's text
    assert in_code - translated == set(), "run pybabel extract/update, then translate"
    assert {m.id for m in catalogue if m.id} - in_code == set(), "messages no longer used"
    assert not catalogue.obsolete, "obsolete (#~) entries: delete them"


def test_the_shipped_mo_is_compiled_from_the_po():
    with open(CATALOGUE / "messages.po", "rb") as po, open(CATALOGUE / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    def entries(catalogue):  # read_mo gives plural forms as lists, read_po as tuples
        return {as_tuple(m.id): as_tuple(m.string) for m in catalogue if m.id}

    assert entries(compiled) == entries(source), (
        "run pybabel compile -d {{ cookiecutter.package }}/translations"
    )
