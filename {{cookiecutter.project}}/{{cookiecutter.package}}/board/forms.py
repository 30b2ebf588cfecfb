from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models import Message, User


def strip(value):
    return value.strip() if value else value


def unix_newlines(value):
    """Browsers send a textarea's line breaks as CRLF: count (and store) each as one
    character, as the live counter in the page does (static/length_counter.js)."""
    return value.replace("\r\n", "\n") if value else value


def counted(max_length, rows=3):
    """A textarea's attributes for the live length count (static/length_counter.js).

    No maxlength attribute (Length() would add one): it cuts a long paste silently. The
    page counts as people type instead, and the server refuses text that is too long.
    The counter's words are in the reader's language (%(length)s, %(max)s and %(over)s
    are filled in by the script).
    """
    return {
        "rows": rows,
        "maxlength": False,
        "data-max-length": max_length,
        "data-count-text": _l("%(length)s / %(max)s characters"),
        "data-over-text": _l("%(length)s / %(max)s characters: %(over)s too many"),
    }


def message_body(label, rows=3):
    """The textarea of a message or a reply: required, at most Message.MAX_LENGTH."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(),
            Length(
                max=Message.MAX_LENGTH,
                message=_l(
                    "A message can be at most %(max)d characters. Shorten it and post again."
                ),
            ),
        ],
        filters=[unix_newlines, strip],
        render_kw=counted(Message.MAX_LENGTH, rows),
    )


class MessageForm(FlaskForm):
    body = message_body(_l("Message"))
    submit = SubmitField(_l("Post"))


class ReplyForm(FlaskForm):
    body = message_body(_l("Your reply"), rows=2)
    submit = SubmitField(_l("Reply"))


class EditMessageForm(MessageForm):
    submit = SubmitField(_l("Save"))


class ProfileForm(FlaskForm):
    about = TextAreaField(
        _l("About you"),
        validators=[
            Length(
                max=User.ABOUT_MAX_LENGTH,
                message=_l("At most %(max)d characters. Shorten it and save again."),
            )
        ],
        filters=[unix_newlines, strip],
        description=_l("Shown on your page, as you write it. Leave it empty to show nothing."),
        render_kw=counted(User.ABOUT_MAX_LENGTH, rows=4),
    )
    submit = SubmitField(_l("Save"))
