"""Rules for new passwords: length (NIST SP 800-63B) and a blocklist of common ones."""

from flask import current_app

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


def password_problem(password):
    """What is wrong with `password` as a new password, or None."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        return f"Use at least {min_length} characters."
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        return (
            f"Use at most {MAX_PASSWORD_BYTES} bytes "
            "(accented letters and emoji take 2 to 4 bytes each)."
        )
    if password.lower() in COMMON_PASSWORDS:
        return "That password is one of the most common ones: choose another."
    return None
