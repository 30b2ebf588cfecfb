from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models import Message


def strip(value):
    return value.strip() if value else value


class MessageForm(FlaskForm):
    body = TextAreaField(
        "Message",
        validators=[DataRequired(), Length(max=Message.MAX_LENGTH)],
        filters=[strip],
        render_kw={"rows": 3, "maxlength": Message.MAX_LENGTH},
    )
    submit = SubmitField("Post")
