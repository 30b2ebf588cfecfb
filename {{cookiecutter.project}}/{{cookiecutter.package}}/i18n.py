"""Languages: which one each request is answered in, and the footer's switcher.

Flask-Babel asks select_locale() once per request. The order: the reader's own choice,
then the browser's Accept-Language, then BABEL_DEFAULT_LOCALE (the project's `language`
answer). Catalogues live in translations/ (see the README, Translations).
"""

from flask import abort, current_app, has_request_context, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from .errors import is_api_request
from .extensions import babel, db
from .redirects import is_safe_next

# The locales the site speaks, each named in its own language for the switcher.
LANGUAGES = {"en": "English", "zh_Hans": "简体中文"}

# The reader's choice, kept in a cookie of its own: it outlives the session (logging out
# does not change the language) and works for visitors too. A logged-in user's choice is
# also saved on the account (User.language), so it follows them to every browser.
COOKIE_NAME = "language"
COOKIE_MAX_AGE = 365 * 24 * 3600


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.add_url_rule("/language/<code>", "set_language", set_language, methods=["GET", "POST"])
    app.context_processor(inject_languages)
    app.after_request(vary_on_language)


def select_locale():
    """The locale for this request; None means BABEL_DEFAULT_LOCALE."""
    # Commands (`flask users create`) speak English, like the rest of the command line.
    if not has_request_context():
        return "en"
    # The API answers in English whatever the client's headers: scripts match its messages.
    if is_api_request():
        return "en"
    return chosen_language() or browser_language()


def chosen_language():
    """The language the reader picked in the footer: their account's, else this browser's
    cookie; None when neither names a language the site speaks."""
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    choice = request.cookies.get(COOKIE_NAME)
    return choice if choice in LANGUAGES else None


def browser_language():
    """The first language of Accept-Language (best first) that the site speaks, by its
    primary tag: zh-CN and zh-TW get zh_Hans, en-GB gets en. (Werkzeug's best_match would
    prefer an exact "en;q=0.5" to a "zh-CN" the reader ranks first.)"""
    for value, _quality in request.accept_languages:
        primary = value.replace("_", "-").split("-")[0].lower()
        for code in LANGUAGES:
            if code.split("_")[0].lower() == primary:
                return code
    return None


def inject_languages():
    locale = str(get_locale())
    # <html lang> takes a BCP 47 tag: zh-Hans, not Babel's zh_Hans.
    return {"languages": LANGUAGES, "locale": locale, "html_lang": locale.replace("_", "-")}


def vary_on_language(response):
    # A shared cache must not hand one reader's language to another.
    if not is_api_request():
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def set_language(code):
    """The footer's switcher: store the choice and go back to the page it was on.

    For visitors, a GET: a plain link on every page, with no form, no session and no
    script, that changes nothing but this cookie (a link from another site can at most
    switch the reader's language). Logged-in users get a small POST form instead (CSRF
    protected, like every POST), which saves the choice on their account too. `next` may
    only lead back to this site.
    """
    if code not in LANGUAGES:
        abort(404)
    if request.method == "POST" and current_user.is_authenticated:
        current_user.language = code
        db.session.commit()
    next_url = request.values.get("next")
    response = redirect(next_url if is_safe_next(next_url) else url_for("board.index"))
    response.set_cookie(
        COOKIE_NAME,
        code,
        max_age=COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
