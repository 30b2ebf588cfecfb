import sqlalchemy as sa
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Regexp,
    ValidationError,
)

from ..extensions import db
from ..models import User

# bcrypt only reads the first 72 bytes of a password (and bcrypt 5 refuses longer ones).
MAX_PASSWORD_BYTES = 72


def normalize_email(value):
    return value.strip().lower() if value else value


class RegistrationForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            DataRequired(),
            Length(3, 64),
            Regexp(
                r"^[A-Za-z0-9_.-]+$",
                message="Use only letters, digits, underscores, hyphens and dots.",
            ),
        ],
        render_kw={"autocomplete": "username"},
    )
    email = EmailField(
        "Email",
        validators=[DataRequired(), Length(max=191), Email()],
        filters=[normalize_email],
        render_kw={"autocomplete": "email"},
    )
    # No composition rules (NIST SP 800-63B): length is what makes a password strong.
    # InputRequired, not DataRequired: a password may contain (or start with) spaces.
    password = PasswordField(
        "Password", validators=[InputRequired()], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[InputRequired(), EqualTo("password", message="The passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Register")

    def validate_username(self, field):
        # Case-insensitive: "Alice" and "alice" would be confused on the page (and are
        # the same value under MySQL's default collation).
        taken = db.session.scalar(
            sa.select(User.id).where(sa.func.lower(User.username) == field.data.lower())
        )
        if taken:
            raise ValidationError("That username is taken.")

    def validate_email(self, field):
        if db.session.scalar(sa.select(User.id).filter_by(email=field.data)):
            raise ValidationError("That email is already registered.")

    def validate_password(self, field):
        min_length = current_app.config.get("PASSWORD_MIN_LENGTH", 15)
        if len(field.data) < min_length:
            raise ValidationError(f"Use at least {min_length} characters.")
        if len(field.data.encode()) > MAX_PASSWORD_BYTES:
            raise ValidationError(
                f"Use at most {MAX_PASSWORD_BYTES} bytes "
                "(accented letters and emoji take 2 to 4 bytes each)."
            )


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired()],
        filters=[normalize_email],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password", validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField("Keep me logged in")
    submit = SubmitField("Log in")
