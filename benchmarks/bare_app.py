"""The ceiling for the throughput benchmark: a bare Flask route, no database, no template.
Served by gunicorn with the generated project's settings (`bare_app:app`)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
