"""Rules for new passwords: length (NIST SP 800-63B), a blocklist of common ones, and
a strength estimate (zxcvbn) that catches repeats, keyboard rows and dictionary words."""

from flask import current_app
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

# bcrypt only reads the first 72 bytes of a password (and bcrypt 5 refuses longer ones).
MAX_PASSWORD_BYTES = 72

# Passwords that appear near the top of every leaked-password list, compared ignoring
# case. The long ones pass any length rule; the short ones matter when
# PASSWORD_MIN_LENGTH is lowered.
COMMON_PASSWORDS = frozenset(
    [
        "123456789012345",
        "1234567890123456",
        "12345678901234567890",
        "111111111111111",
        "000000000000000",
        "password1234567",
        "password12345678",
        "passwordpassword",
        "password123456789",
        "qwertyuiopasdfgh",
        "qwertyuiopasdfghjkl",
        "qwertyuiop123456",
        "1q2w3e4r5t6y7u8i",
        "1qaz2wsx3edc4rfv",
        "abcdefghijklmnop",
        "abc123abc123abc",
        "iloveyouiloveyou",
        "letmeinletmein1",
        "trustno1trustno1",
        "123456",
        "12345678",
        "123456789",
        "1234567890",
        "password",
        "password1",
        "qwerty",
        "qwerty123",
        "abc123",
        "111111",
        "iloveyou",
        "letmein",
        "admin",
        "welcome",
        "monkey",
        "dragon",
        "football",
        "baseball",
        "sunshine",
        "trustno1",
    ]
)


# zxcvbn scores 0 to 4; 3 is "safely unguessable" (about 10^8 guesses or more).
MIN_STRENGTH = 3

# What the forms show under a new password field, before anyone types: the limits that
# password_problem() checks.
PASSWORD_RULE = _l(
    "%(min_length)d to %(max_bytes)d characters (accented letters and emoji count as 2 to 4), "
    "and not easy to guess: no repeats, keyboard rows, common words or your own name. "
    "A few unrelated words make a good one."
)


def password_rule():
    return PASSWORD_RULE % {
        "min_length": current_app.config["PASSWORD_MIN_LENGTH"],
        "max_bytes": MAX_PASSWORD_BYTES,
    }


def password_problem(password, user_inputs=()):
    """What is wrong with `password` as a new password, or None.

    `user_inputs` are the account's own words (username, email): a password made of
    them is weak however long it is.
    """
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        return gettext("Use at least %(num)d characters.", num=min_length)
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        return gettext(
            "Use at most %(num)d bytes (accented letters and emoji take 2 to 4 bytes each).",
            num=MAX_PASSWORD_BYTES,
        )
    if password.lower() in COMMON_PASSWORDS:
        return gettext("That password is one of the most common ones: choose another.")
    return strength_problem(password, user_inputs)


def strength_problem(password, user_inputs):
    # zxcvbn's cost grows with the length; the byte rule above already bounds it at 72.
    words = [word for value in user_inputs if value for word in split_words(value)]
    estimate = zxcvbn(password, user_inputs=words)
    if estimate["score"] >= MIN_STRENGTH:
        return None
    easy = gettext("This password would be easy to guess.")
    if get_locale().language != "en":
        # zxcvbn's own hints exist in English only: the rule's last sentence instead.
        return " ".join([easy, gettext("A few unrelated words make a good one.")])
    feedback = estimate["feedback"]
    reason = feedback["warning"] or easy
    hints = " ".join(feedback["suggestions"])
    return f"{reason.rstrip('.')}. {hints}".strip()


def split_words(value):
    """The words of a username or email: alice.b@example.com gives the whole, alice.b,
    alice and example.com (zxcvbn finds them inside a password, in any case)."""
    local, _, domain = value.lower().partition("@")
    parts = [value.lower(), local, *local.replace("_", ".").replace("-", ".").split(".")]
    return [part for part in parts + ([domain] if domain else []) if len(part) >= 3]
