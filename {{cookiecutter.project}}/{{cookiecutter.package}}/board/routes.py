import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Message, Permission, User, utcnow
from ..page_cache import cached_page
from ..pagination import find_message, paginate, with_replies
from ..redirects import is_safe_next
from . import bp
from .forms import EditMessageForm, MessageForm, ProfileForm, ReplyForm


def board_page():
    """The page of messages on the board (replies are under them), asked for in ?before=..."""
    return with_replies(paginate("board"))


@bp.get("/")
@cached_page
def index():
    form = MessageForm() if current_user.can(Permission.WRITE) else None
    return render_template("board/index.html", page=board_page(), form=form)


@bp.post("/messages")
@login_required
def post_message():
    if not current_user.can(Permission.WRITE):
        abort(403)
    form = MessageForm()
    if form.validate_on_submit():
        db.session.add(Message(body=form.body.data, author_id=current_user.id))
        db.session.commit()
        flash(_("Your message is posted."), "success")
        return redirect(url_for(".index"))
    # Show the board again, with the errors next to what the user typed.
    return render_template("board/index.html", page=board_page(), form=form)


@bp.get("/messages/<int:message_id>")
@cached_page
def message(message_id):
    """A message and its replies, newest first, paged as the board is."""
    head = find_message(message_id)
    if head.parent_id is not None:  # a reply: show it in its conversation
        return redirect(url_for(".message", message_id=head.parent_id))
    form = ReplyForm() if current_user.can(Permission.WRITE) else None
    return show_conversation(head, form)


def show_conversation(head, form):
    page = paginate("replies", of=head.id)
    return render_template("board/message.html", head=head, page=page, form=form)


@bp.post("/messages/<int:message_id>/replies")
@login_required
def post_reply(message_id):
    if not current_user.can(Permission.WRITE):
        abort(403)
    parent = db.get_or_404(Message, message_id)
    form = ReplyForm()
    if form.validate_on_submit():
        reply = Message(
            body=form.body.data, author_id=current_user.id, parent_id=parent.conversation_id
        )
        db.session.add(reply)
        db.session.commit()
        flash(_("Your reply is posted."), "success")
        return redirect(url_for(".message", message_id=reply.parent_id))
    # The conversation again, with the errors next to what the user typed.
    return show_conversation(find_message(parent.conversation_id), form)


@bp.post("/messages/<int:message_id>/delete")
@login_required
def delete_message(message_id):
    message = db.get_or_404(Message, message_id)
    if not current_user.can_delete(message):
        abort(403)
    db.session.delete(message)
    db.session.commit()
    flash(_("The message is deleted."), "success")
    # Back to the page the button was on (the board or a user's page).
    next_url = request.form.get("next")
    return redirect(next_url if is_safe_next(next_url) else url_for(".index"))


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
@login_required
def edit_message(message_id):
    message = db.get_or_404(Message, message_id)
    next_url = request.values.get("next")
    back = next_url if is_safe_next(next_url) else url_for(".index")
    if not current_user.can_edit(message):
        # Only an author who may still write is told about the window; anyone else: 403.
        if message.author_id != current_user.id or not current_user.can(Permission.WRITE):
            abort(403)
        minutes = current_app.config["MESSAGE_EDIT_MINUTES"]
        flash(
            _("A message can be edited for %(minutes)d minutes after posting.", minutes=minutes),
            "warning",
        )
        return redirect(back)
    form = EditMessageForm(obj=message)
    if form.validate_on_submit():
        message.body = form.body.data
        message.edited_at = utcnow()
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(back)
    # The form again, with the errors next to what the user typed.
    return render_template("board/edit.html", form=form, message=message, next=back)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.about = form.about.data or None
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".user", username=current_user.username))
    return render_template("board/profile.html", form=form)


@bp.get("/u/<username>")
@cached_page
def user(username):
    author = db.first_or_404(sa.select(User).filter_by(username=username))
    # Their messages and their replies; under each message its reply count only.
    page = with_replies(paginate("author", of=author.id), shown=0)
    return render_template("board/user.html", author=author, page=page)
