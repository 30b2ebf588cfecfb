"""Flask extensions, created here without an app and bound in create_app()."""

from flask_babel import Babel, lazy_gettext
from flask_bcrypt import Bcrypt
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Every constraint gets a predictable name. Without names, Alembic cannot drop or
# alter constraints later (and batch migrations on SQLite fail with
# "Constraint must have a name"). The _N_ tokens name every column, so two constraints
# on (a, b) and (a, c) get two names; SQLAlchemy shortens names too long for a database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
bcrypt = Bcrypt()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please log in to access this page.")
login_manager.login_message_category = "info"
# "strong" would log out remember-me users on every new session; "basic" does not.
login_manager.session_protection = "basic"
# Sensitive pages (@fresh_login_required) ask again for the password when the session was
# restored from a remember-me cookie.
login_manager.refresh_view = "auth.login"
login_manager.needs_refresh_message = lazy_gettext("Please log in again to open this page.")
login_manager.needs_refresh_message_category = "info"
# Flask-Login flashes its messages through this: str() reads each lazy text in the
# language of the request that flashes it (a lazy text cannot go into the session).
login_manager.localize_callback = str
# Counts per client address (request.remote_addr: set PROXY_HOPS behind a proxy). The
# storage comes from RATELIMIT_STORAGE_URI; the limits are on the views.
limiter = Limiter(key_func=get_remote_address)
# The locale of each request: i18n.select_locale, bound in create_app().
babel = Babel()
# Visitors' pages and the API's list (page_cache.py), kept where CACHE_TYPE says (config.py).
cache = Cache()
