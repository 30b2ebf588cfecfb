# Read by the `flask` command (python-dotenv). Safe to commit: no secrets here.
FLASK_APP={{ cookiecutter.package }}
