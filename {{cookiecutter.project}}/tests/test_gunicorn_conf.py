"""gunicorn.conf.py: workers, threads and address come from the environment."""

import runpy
from pathlib import Path

GUNICORN_CONF = Path(__file__).parents[1] / "gunicorn.conf.py"


def settings():
    return runpy.run_path(str(GUNICORN_CONF))


def test_defaults_scale_with_the_cpus_and_log_to_stdout(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT", "BIND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 4)
    conf = settings()
    assert (conf["workers"], conf["threads"], conf["bind"]) == (9, 4, "127.0.0.1:8000")
    assert conf["worker_class"] == "gthread"  # a slow client holds a thread, not a worker
    assert conf["accesslog"] == conf["errorlog"] == "-"


def test_the_environment_sets_workers_threads_and_port(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("PORT", "5000")
    monkeypatch.delenv("BIND", raising=False)
    conf = settings()
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 8, "127.0.0.1:5000")
    monkeypatch.setenv("BIND", "0.0.0.0:8000")
    assert settings()["bind"] == "0.0.0.0:8000"
