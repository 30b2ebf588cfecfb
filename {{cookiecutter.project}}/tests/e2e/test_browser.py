"""End-to-end tests in a real browser: Playwright drives a headless Chromium against the
app served on 127.0.0.1, on a temporary SQLite file, with CSRF protection on.

    pip install -e ".[e2e]"     # Playwright; it never downloads a browser here
    pytest -m e2e               # CHROMIUM_PATH names the browser (default /usr/bin/chromium)

Without Playwright or the browser these tests skip, except in CI (CI=true), where they
fail. E2E_SCREENSHOT=path/to/board.png saves a screenshot of the board there, and
board-phone.png, board-zh.png and api-docs.png beside it.
"""

import os
import re
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import Message, User
from {{ cookiecutter.package }}.templating import RELATIVE_DAYS

from ..helpers import NEW_PASSWORD, PASSWORD, add_messages, add_user, link_in

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    sync_playwright = None

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless, and nothing that reaches out to the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A phone, a tablet, the narrowest window with the whole navbar (Bootstrap's lg), a desktop.
WIDTHS = [PHONE, {"width": 768, "height": 1024}, {"width": 992, "height": 800}, DESKTOP]


def missing_requirement():
    if sync_playwright is None:
        return 'Playwright is not installed (pip install -e ".[e2e]")'
    if not os.access(CHROMIUM, os.X_OK):
        return f"no browser at {CHROMIUM} (install chromium, or set CHROMIUM_PATH)"
    return None


@pytest.fixture(scope="module")
def browser():
    problem = missing_requirement()
    if problem and os.environ.get("CI") == "true":
        pytest.fail(f"{problem}: the browser tests may not skip in CI", pytrace=False)
    if problem:
        pytest.skip(problem)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_app(make_app, tmp_path, smtp):
    """The app on a fresh SQLite file, served on a free loopback port in a thread, sending
    mail to a real SMTP server on loopback (app.config["E2E_SMTP"] has its inbox)."""
    app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'e2e.db'}",
        WTF_CSRF_ENABLED=True,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_SEND_IN_BACKGROUND=True,
    )
    app.config["E2E_SMTP"] = smtp
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["E2E_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join()


@pytest.fixture
def new_page(browser, live_app):
    """new_page(**context options) -> a page in a fresh browser context (its own cookies),
    closed after the test. A script error, or anything the CSP refuses, fails the test."""
    contexts, errors = [], []

    def note_refusal(message):
        if "Content Security Policy" in message.text:
            errors.append(message.text)

    def new_page(**options):
        options.setdefault("viewport", {"width": 1100, "height": 900})
        context = browser.new_context(base_url=live_app.config["E2E_URL"], **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", note_refusal)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert errors == []


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    expect(page.locator("nav").get_by_role("link", name="Log in")).to_be_visible()


def save_screenshot(page, name=None, **options):
    """With E2E_SCREENSHOT=path/to/board.png: the page, at that path or as `name` beside it."""
    if path := os.environ.get("E2E_SCREENSHOT"):
        screenshot = Path(path) if name is None else Path(path).with_name(name)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), **options)


def messages(page):
    return page.locator("li.list-group-item")


def test_register_post_page_delete_log_out(page, live_app):
    per_page = live_app.config["MESSAGES_PER_PAGE"]
    seeder = add_user(live_app, "grace")
    add_messages(
        live_app, seeder, bodies=[f"Older message number {n}" for n in range(per_page + 5)]
    )

    # Register (which logs in), log out, log in again.
    page.goto("/")
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Logged in as")).to_contain_text("ada")
    log_out(page)
    log_in(page, "ada@example.com")

    # Post: the message is first on the board, and only it has a Delete button.
    page.get_by_label("Message").fill("Hello from a real browser!")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text("Your message is posted.")).to_be_visible()
    expect(messages(page)).to_have_count(per_page)
    expect(messages(page).first).to_contain_text("Hello from a real browser!")
    expect(messages(page).first).to_contain_text("ada")
    expect(messages(page).first.locator("time")).to_have_text("just now")  # relative_time.js
    expect(page.get_by_role("button", name="Delete")).to_have_count(1)
    save_screenshot(page)
    page.set_viewport_size(PHONE)
    save_screenshot(page, "board-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    # Page to the older messages, and back.
    page.get_by_role("link", name="Older").click()
    expect(messages(page)).to_have_count(6)
    expect(messages(page).last).to_contain_text("Older message number 0")
    expect(page.get_by_text("Hello from a real browser!")).to_have_count(0)
    page.get_by_role("link", name="Newer").click()
    expect(messages(page).first).to_contain_text("Hello from a real browser!")

    # Delete it (a POST with the page's CSRF token), then log out.
    messages(page).first.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("The message is deleted.")).to_be_visible()
    expect(page.get_by_text("Hello from a real browser!")).to_have_count(0)
    expect(messages(page).first).to_contain_text(f"Older message number {per_page + 4}")
    log_out(page)
    expect(page.get_by_label("Message")).to_have_count(0)
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == per_page + 5


def test_a_reply_in_a_conversation_shows_under_its_message(page, live_app):
    grace = add_user(live_app, "grace")
    add_messages(live_app, grace, bodies=["Lunch at noon, anyone?", "The printer is fixed."])
    add_user(live_app, "ada")
    log_in(page, "ada@example.com")
    question = messages(page).filter(has_text="Lunch at noon, anyone?")
    question.get_by_role("link", name="Reply").click()
    expect(page.get_by_role("heading", name="Message by grace")).to_be_visible()
    page.get_by_label("Your reply").fill("Count me in: **12:00** at the usual place.")
    page.get_by_role("button", name="Reply").click()
    expect(page.get_by_text("Your reply is posted.")).to_be_visible()
    expect(page.locator(".message-body strong")).to_have_text("12:00")

    page.goto("/")
    question = page.locator("li#m1")
    expect(question.get_by_role("link", name="1 reply")).to_be_visible()
    expect(question.locator(".replies li")).to_contain_text("Count me in")
    save_screenshot(page, "board-replies.png")
    # Ada may delete her reply, not grace's message: one Delete button, under it.
    delete = question.get_by_role("button", name="Delete")
    expect(delete).to_have_count(1)
    delete.click()
    expect(page.get_by_text("The message is deleted.")).to_be_visible()
    expect(page.locator("li#m1").get_by_role("link", name="1 reply")).to_have_count(0)


def test_moderator_deletes_another_users_message(page, live_app):
    alice = add_user(live_app, "alice")
    add_messages(live_app, alice, bodies=["A fine message", "Buy cheap watches here"])
    add_user(live_app, "mo", role="Moderator")

    log_in(page, "mo@example.com")
    spam = messages(page).filter(has_text="Buy cheap watches here")
    expect(spam).to_contain_text("alice")
    spam.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("The message is deleted.")).to_be_visible()
    expect(page.get_by_text("Buy cheap watches here")).to_have_count(0)
    expect(messages(page)).to_have_count(1)
    expect(messages(page).first).to_contain_text("A fine message")


def test_forgotten_password_reset_by_mail(page, live_app):
    add_user(live_app, "alice")
    page.goto("/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    page.goto(link_in(live_app.config["E2E_SMTP"].inbox.wait_for(1)))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set. Log in with it.")).to_be_visible()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_chinese_reader_registers_posts_and_switches_language(new_page, live_app):
    add_messages(live_app, add_user(live_app, "grace"), bodies=["你好，留言板！", "Hello, board!"])
    page = new_page(locale="zh-CN")  # the browser sends Accept-Language: zh-CN
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="注册").click()
    page.get_by_label("用户名").fill("mei")
    page.get_by_label("邮箱").fill("mei@example.com")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("欢迎，mei！你已登录。")).to_be_visible()

    field = page.get_by_label("留言")
    field.fill("第一条留言")
    expect(page.locator(".length-counter")).to_have_text(f"5 / {Message.MAX_LENGTH} 个字符")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("你的留言已发布。")).to_be_visible()
    expect(messages(page).first).to_contain_text("第一条留言")
    expect(messages(page).first.locator("time")).to_have_text("刚刚")  # relative_time.js
    save_screenshot(page, "board-zh.png")
    page.set_viewport_size(PHONE)
    assert sideways_scroll(page) == 0

    # The footer's choice wins over the browser's language, on this page and the next.
    # Logged in, the choice is a button (a POST that saves it on the account too).
    page.set_viewport_size(DESKTOP)
    page.locator("footer").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Post")).to_be_visible()
    page.goto("/auth/password")
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    page.locator("footer").get_by_role("button", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/auth/password$"))
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()


@pytest.mark.parametrize(
    ("locale", "exact", "five_minutes", "six_minutes"),
    [
        ("en-US", "Nov 21, 2026, 12:51:00\u202fAM UTC", "5 minutes ago", "6 minutes ago"),
        ("zh-CN", "2026年11月21日 00:51:00 UTC", "5分钟前", "6分钟前"),
    ],
)
def test_times_read_as_relative_in_the_readers_language(
    new_page, live_app, locale, exact, five_minutes, six_minutes
):
    """relative_time.js turns the exact time the server wrote into a relative one, by the
    browser's clock (set here to five minutes after the message), every minute; after
    RELATIVE_DAYS the exact time again. The exact time stays as the title."""
    add_messages(live_app, add_user(live_app, "grace"), bodies=["Lunch at noon, anyone?"])
    page = new_page(locale=locale)
    page.clock.install(time=datetime(2026, 11, 21, 0, 56, tzinfo=timezone.utc))
    page.goto("/")
    time = messages(page).first.locator("time")
    expect(time).to_have_text(five_minutes)
    expect(time).to_have_attribute("title", exact)
    page.clock.fast_forward("01:00")
    expect(time).to_have_text(six_minutes)
    page.clock.fast_forward(RELATIVE_DAYS * 24 * 3600 * 1000)
    expect(time).to_have_text(exact)


def test_no_chinese_page_scrolls_sideways(new_page, live_app):
    name = "an_administrator_with_a_name_as_long_as_the_form_allows_it_to_be"
    admin = add_user(live_app, name, role="Administrator")
    add_messages(live_app, admin, bodies=["长" * 300])
    page = new_page(locale="zh-CN")
    public = ["/", f"/u/{name}", "/auth/login", "/auth/register", "/auth/reset"]
    assert overflowing_pages(page, public) == []
    page.set_viewport_size(DESKTOP)
    page.goto("/auth/login")
    page.get_by_label("邮箱").fill(admin.email)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    private = ["/auth/password", "/auth/tokens", "/auth/email", "/admin/users", "/profile"]
    assert overflowing_pages(page, private) == []


def sideways_scroll(page):
    """How many pixels wider than the window the page is (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def overflowing_pages(page, paths):
    """Each of `paths` that scrolls sideways at one of the WIDTHS, with by how much."""
    found = []
    for viewport in WIDTHS:
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(path)
            if overflow := sideways_scroll(page):
                found.append(f"{path} at {viewport['width']} px: {overflow} px too wide")
    return found


def test_no_page_scrolls_sideways_on_a_phone_or_a_desktop(page, live_app):
    # The longest names the forms allow, and words that do not break by themselves.
    name = "an_administrator_with_a_name_as_long_as_the_form_allows_it_to_be"
    assert len(name) == User.USERNAME_MAX_LENGTH
    email = f"{name}@{'long-domain.' * 8}example.com"
    admin = add_user(live_app, name, email=email, role="Administrator")
    add_messages(live_app, admin, bodies=["x" * 300, "https://example.com/" + "a/" * 100])
    add_messages(live_app, admin, bodies=["y" * 300], parent_id=1)  # a reply, indented
    for number in range(3):
        add_user(live_app, f"user{number}", email=f"some.long.address.number.{number}@example.com")
    public = ["/", f"/u/{name}", "/messages/1", "/auth/login", "/auth/register", "/auth/reset"]
    assert overflowing_pages(page, public) == []

    page.set_viewport_size(DESKTOP)
    log_in(page, admin.email)
    private = ["/auth/password", "/auth/tokens", "/auth/email", "/admin/users", "/profile"]
    assert overflowing_pages(page, public[:3] + private) == []


def test_every_page_is_headed_and_long_text_keeps_a_readable_measure(page, live_app):
    alice = add_user(live_app, "alice", role="Administrator")
    add_messages(live_app, alice, bodies=["A long sentence that goes on and on. " * 40])
    page.set_viewport_size(DESKTOP)
    log_in(page, alice.email)
    for path in ["/", "/u/alice", "/messages/1", "/auth/password", "/auth/tokens", "/admin/users"]:
        page.goto(path)
        assert page.locator("h1").count() == 1, f"{path} has no single page heading"
    for path in ["/", "/u/alice"]:
        page.goto(path)
        # The message's lines, in characters of its own font ("0" is 0.5 to 0.6 em wide).
        characters = page.locator(".message-body").first.evaluate(
            "e => e.clientWidth / (parseFloat(getComputedStyle(e).fontSize) * 0.55)"
        )
        assert 45 <= characters <= 90, f"{path}: lines of about {characters:.0f} characters"


def test_the_phone_menu_folds_and_opens(new_page, live_app):
    add_user(live_app, "alice", role="Administrator")
    page = new_page()
    log_in(page, "alice@example.com")
    page.set_viewport_size(PHONE)
    menu = page.get_by_role("button", name="Menu")
    log_out_button = page.get_by_role("button", name="Log out", exact=True)
    expect(log_out_button).to_be_hidden()
    menu.click()  # Bootstrap's collapse, from its JS bundle in the app's static files
    expect(log_out_button).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    assert sideways_scroll(page) == 0
    page.get_by_role("link", name="Password").click()
    expect(page).to_have_url(re.compile(r"/auth/password$"))

    page.set_viewport_size(DESKTOP)  # wide enough: no toggler, every link in the bar
    expect(menu).to_be_hidden()
    expect(log_out_button).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system(new_page, scheme):
    page = new_page(color_scheme=scheme)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", scheme)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == {"light": "rgb(255, 255, 255)", "dark": "rgb(33, 37, 41)"}[scheme]


def test_keyboard_focus_is_visible(page):
    page.goto("/auth/login")
    page.get_by_label("Email").focus()
    for _ in range(3):  # the email field, the password field, the remember-me box
        focused = page.evaluate(
            "(({outlineStyle, outlineWidth}) => [outlineStyle, outlineWidth])"
            "(getComputedStyle(document.activeElement))"
        )
        assert focused == ["solid", "3px"]
        page.keyboard.press("Tab")


def test_the_message_form_counts_as_people_type(page, live_app):
    limit = Message.MAX_LENGTH
    add_user(live_app, "alice")
    log_in(page, "alice@example.com")
    field = page.get_by_label("Message")
    counter = page.locator(".length-counter")
    expect(counter).to_have_text(f"0 / {limit} characters")
    field.fill("🚀" * 10)  # one character each, as the server counts
    expect(counter).to_have_text(f"10 / {limit} characters")
    expect(counter).not_to_have_class(re.compile("over-limit"))

    # A long paste is kept whole, and the counter says by how much it is too long.
    field.fill("x" * 2 * limit)
    assert len(field.input_value()) == 2 * limit
    expect(counter).to_have_text(f"{2 * limit} / {limit} characters: {limit} too many")
    expect(counter).to_have_class(re.compile("over-limit"))

    # Posting it anyway: refused with a reason, the text still there to shorten.
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text(f"A message can be at most {limit} characters.")).to_be_visible()
    expect(page.get_by_text("Your message is posted.")).to_have_count(0)
    assert len(page.get_by_label("Message").input_value()) == 2 * limit
    expect(counter).to_have_class(re.compile("over-limit"))
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_api_docs_run_under_the_content_security_policy(page, live_app):
    """Swagger UI, from the app's own static files, shows the document and calls the API;
    the page fixture fails the test on anything the CSP refuses, or a script error."""
    add_messages(live_app, add_user(live_app, "alice"), bodies=["Read through the docs"])

    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Message board API")).to_be_visible()
    operation = page.locator("#operations-messages-listMessages")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table")
    expect(answer.locator("tbody .response-col_status")).to_have_text("200")
    expect(answer).to_contain_text("Read through the docs")
    save_screenshot(page, "api-docs.png", full_page=True)
