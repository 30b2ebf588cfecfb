import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from ..extensions import db
from ..models import ApiToken, User, normalize_email, normalize_username, username_key
from ..passwords import password_problem, password_rule

# The one answer whichever of the two is taken: no telling which emails have accounts.
UNAVAILABLE = _l("That username or email cannot be used.")


def strip(value):
    return value.strip() if value else value


def follows_password_rules(form, field):
    # The account's own name and email count as easy guesses (zxcvbn's user inputs): the
    # ones typed into this form, or the logged-in user's.
    if current_user.is_authenticated:
        user_inputs = [current_user.username, current_user.email]
    else:
        user_inputs = [getattr(form, name).data for name in ("username", "email") if name in form]
    if problem := password_problem(field.data, user_inputs):
        raise ValidationError(problem)


def username_rule(form, field):
    if not User.USERNAME_PATTERN.fullmatch(field.data):
        raise ValidationError(_("Use only %(rule)s.", rule=User.USERNAME_RULE))


class PasswordRule:
    """A field description read when the form is drawn: the rule follows the config."""

    def __str__(self):
        return password_rule()


def email_field(label):
    """An address to mail: checked, within the column's length, normalised like every
    lookup (models.normalize_email)."""
    return EmailField(
        label,
        validators=[DataRequired(), Length(max=User.EMAIL_MAX_LENGTH), Email()],
        filters=[normalize_email],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields(label, repeat_label):
    """A new password and the same typed again, checked by the rules in passwords.py.

    No composition rules (NIST SP 800-63B): length is what makes a password strong.
    InputRequired, not DataRequired: a password may contain (or start with) spaces.
    """
    password = PasswordField(
        label,
        validators=[InputRequired(), follows_password_rules],
        description=PasswordRule(),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        repeat_label,
        validators=[
            InputRequired(),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class RegistrationForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(User.USERNAME_MIN_LENGTH, User.USERNAME_MAX_LENGTH),
            username_rule,
        ],
        filters=[normalize_username],
        render_kw={"autocomplete": "username"},
    )
    email = email_field(_l("Email"))
    password, confirm = new_password_fields(_l("Password"), _l("Repeat password"))
    submit = SubmitField(_l("Register"))

    def validate(self, extra_validators=None):
        # Checked last, and as one error for the whole form: a field error would show
        # (by its place on the page) whether the username or the email is taken.
        if not super().validate(extra_validators):
            return False
        if self.is_taken():
            self.form_errors.append(UNAVAILABLE)
            return False
        return True

    def is_taken(self):
        # Usernames case-insensitively: "Alice" and "alice" would be confused on the page.
        return bool(
            db.session.scalar(
                sa.select(User.id)
                .where(
                    sa.or_(
                        User.username_key == username_key(self.username.data),
                        User.email == self.email.data,
                    )
                )
                .limit(1)
            )
        )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired()],
        filters=[normalize_email],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields(_l("New password"), _l("Repeat new password"))
    submit = SubmitField(_l("Change password"))


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=ApiToken.NAME_MAX_LENGTH)],
        filters=[strip],
        description=_l("Where you will use it, such as laptop or backup script."),
    )
    submit = SubmitField(_l("Create token"))

    def validate_name(self, field):
        if ApiToken.named(current_user, field.data):
            raise ValidationError(_("You already have a token with that name."))


class PasswordResetRequestForm(FlaskForm):
    email = email_field(_l("Email"))
    submit = SubmitField(_l("Send me a link"))


class PasswordResetForm(FlaskForm):
    password, confirm = new_password_fields(_l("New password"), _l("Repeat new password"))
    submit = SubmitField(_l("Set password"))


class EmailChangeForm(FlaskForm):
    email = email_field(_l("New email"))
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Change email"))

    def validate_email(self, field):
        if field.data == current_user.email:
            raise ValidationError(_("That is your email already."))
