"""The container recipe (Dockerfile, .dockerignore, docker-compose.yml) agrees with settings.

No Docker engine is needed: docker-compose.yml is read with PyYAML, the Dockerfile is
split into instructions, and ``portal/settings.py`` is parsed with ``ast`` to learn
which environment variables it reads (every ``env_*`` call) and which production
requires (every ``env_required`` call). The production settings import itself is
exercised in a subprocess with the environment compose would give the containers.
"""

from __future__ import annotations

import ast
import json
import os
import re
import runpy
import shlex
import subprocess
import sys
from functools import cache
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_FILE = ROOT / "portal" / "settings.py"

ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_required"}
APP_SERVICES = ("web", "worker")
BACKING_SERVICES = ("postgres", "redis")
DUMMY_SECRET_KEY = "compose-test-dummy-secret-key"
SECRETS = ("SECRET_KEY", "AUDIT_HMAC_KEY", "STORAGE_SECRET_ACCESS_KEY")
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"

# What the containers run at start-up; the prints let the test check the mode it got.
SETTINGS_IMPORT = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.PORTAL_ENV, settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
)

# Compose interpolation: $$ (a literal $), ${NAME}, ${NAME:-default}, ${NAME-default},
# ${NAME:?error}, ${NAME?error} and bare $NAME.
_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingRequiredVariable(LookupError):
    """``${NAME:?message}`` met an unset variable: compose refuses to start."""


def interpolate(value: str, given: dict[str, str]) -> str:
    """Substitute ``value`` the way ``docker compose`` does, from ``given`` only."""

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        if match["bare"]:
            return given.get(match["bare"], "")
        name, op, arg = match["name"], match["op"], match["arg"]
        present = name in given and (given[name] != "" or not (op or "").startswith(":"))
        if op in {":?", "?"}:
            if not present:
                raise MissingRequiredVariable(f"{name}: {arg}")
            return given[name]
        if op in {":-", "-"}:
            return given[name] if present else arg
        return given.get(name, "")

    return _INTERPOLATION.sub(substitute, value)


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def services() -> dict[str, dict]:
    return compose()["services"]


def raw_environment(service: str) -> dict[str, str]:
    """A service's ``environment`` as name -> uninterpolated string (map or list form)."""
    env = services()[service].get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def app_environment(given: dict[str, str] | None = None) -> dict[str, str]:
    """The web/worker environment after interpolation; the secrets get dummies by default."""
    if given is None:
        given = dict.fromkeys(SECRETS, DUMMY_SECRET_KEY)
    return {name: interpolate(value, given) for name, value in raw_environment("web").items()}


@cache
def settings_env_calls() -> tuple[tuple[str, str], ...]:
    """(reader, variable name) for every ``env_*("NAME", ...)`` call in settings.py."""
    tree = ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"), filename=str(SETTINGS_FILE))
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        reader = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if reader not in ENV_READERS or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            calls.append((reader, first.value))
    return tuple(calls)


def variables_read_by_settings() -> set[str]:
    names = {name for _, name in settings_env_calls()}
    assert "PORTAL_ENV" in names, "could not find the env_* calls in portal/settings.py"
    return names


def variables_required_in_production() -> set[str]:
    names = {name for reader, name in settings_env_calls() if reader == "env_required"}
    assert names, "found no env_required(...) call in portal/settings.py"
    return names


def import_settings(variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter whose environment is only ``variables``."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **variables,
    }
    return subprocess.run(  # noqa: S603 - fixed argv, sys.executable
        [sys.executable, "-c", SETTINGS_IMPORT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@cache
def dockerfile_instructions() -> tuple[tuple[str, str], ...]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    instructions, pending = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a line continuation"
    return tuple(instructions)


def final_stage() -> list[tuple[str, str]]:
    """The instructions of the last build stage (the image that is shipped)."""
    instructions = list(dockerfile_instructions())
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return instructions[starts[-1] :]


def env_instruction_values(arguments: str) -> dict[str, str]:
    tokens = shlex.split(arguments)
    if all("=" in token for token in tokens):
        return dict(token.split("=", 1) for token in tokens)
    return {tokens[0]: " ".join(tokens[1:])}


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


# --- docker-compose.yml -------------------------------------------------------------


def test_compose_file_parses_and_declares_the_four_services():
    assert isinstance(compose(), dict)
    assert "version" not in compose(), "the Compose spec has no top-level version key"
    missing = {*APP_SERVICES, *BACKING_SERVICES} - set(services())
    assert not missing, f"docker-compose.yml lacks services: {sorted(missing)}"


def test_web_and_worker_share_one_environment():
    web, worker = raw_environment("web"), raw_environment("worker")
    assert web, "web has no environment"
    assert web == worker
    # Any other service built from the image (the one-shot migrate) gets the same block.
    for name, service in services().items():
        if "build" in service:
            assert raw_environment(name) == web, f"{name} has a different environment"


def test_web_and_worker_environment_is_read_by_settings():
    """A variable that settings.py never reads is a typo or a dead setting."""
    read = variables_read_by_settings()
    for service in APP_SERVICES:
        unknown = {
            name
            for name in raw_environment(service)
            # env_* readers also accept NAME_FILE (Docker secrets).
            if name not in read and not (name.endswith("_FILE") and name[: -len("_FILE")] in read)
        }
        assert not unknown, f"{service} sets variables settings.py does not read: {sorted(unknown)}"


def test_compose_runs_production_with_every_mandatory_variable_set():
    env = app_environment()
    assert env.get("PORTAL_ENV") == "production"
    unset = {name for name in variables_required_in_production() if not env.get(name)}
    assert not unset, f"production requires {sorted(unset)}, which compose does not set"


def test_production_secret_key_is_required_by_compose():
    raw = raw_environment("web").get("SECRET_KEY", "")
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", raw), (
        f"SECRET_KEY must be ${{SECRET_KEY:?message}} so compose refuses to start; got {raw!r}"
    )
    with pytest.raises(MissingRequiredVariable):
        app_environment(given={})
    with pytest.raises(MissingRequiredVariable):
        app_environment(given={**dict.fromkeys(SECRETS, DUMMY_SECRET_KEY), "SECRET_KEY": ""})
    with pytest.raises(MissingRequiredVariable):
        app_environment(given={"SECRET_KEY": DUMMY_SECRET_KEY, "AUDIT_HMAC_KEY": DUMMY_SECRET_KEY})


def test_database_url_points_at_the_postgres_service():
    url = urlsplit(app_environment()["DATABASE_URL"])
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "postgres"
    assert url.hostname in services()
    assert url.port in {None, 5432}
    postgres_env = raw_environment("postgres")
    assert url.username == postgres_env["POSTGRES_USER"]
    assert url.password == postgres_env["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == postgres_env["POSTGRES_DB"]


@pytest.mark.parametrize("variable", ["CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"])
def test_celery_urls_point_at_the_redis_service(variable):
    url = urlsplit(app_environment()[variable])
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert url.hostname in services()


def test_backing_services_are_healthchecked_and_awaited():
    assert services()["postgres"]["image"].startswith("postgres:16")
    assert services()["redis"]["image"].startswith("redis:7")
    assert "pg_isready" in str(services()["postgres"]["healthcheck"]["test"])
    assert "ping" in str(services()["redis"]["healthcheck"]["test"])
    for service in APP_SERVICES:
        depends_on = services()[service]["depends_on"]
        for backing in BACKING_SERVICES:
            assert depends_on[backing]["condition"] == "service_healthy", (service, backing)


def test_postgres_keeps_its_data_in_a_named_volume():
    mounts = [str(mount) for mount in services()["postgres"]["volumes"]]
    sources = {m.split(":", 1)[0] for m in mounts if m.endswith(":/var/lib/postgresql/data")}
    assert sources, "postgres data directory is not a volume"
    assert sources <= set(compose().get("volumes") or {})


def test_files_go_to_the_bucket_service_that_web_and_worker_share():
    env = app_environment()
    endpoint = urlsplit(env["STORAGE_ENDPOINT_URL"])
    assert env["STORAGE_BUCKET"]
    assert endpoint.hostname == "bucket"
    bucket = services()["bucket"]
    assert f"-s3.port={endpoint.port}" in bucket["command"]
    assert any(str(v).endswith(":/data") for v in bucket["volumes"]), "bucket data is not kept"
    # The bucket server knows the portal by the key pair the portal is given.
    identities = compose()["configs"]["bucket-identities"]["content"]
    for variable in ("STORAGE_ACCESS_KEY_ID", "STORAGE_SECRET_ACCESS_KEY"):
        assert f"${{{variable}" in identities
        assert f"${{{variable}" in raw_environment("web")[variable]
    # No web replica or worker keeps files of its own.
    for service in APP_SERVICES:
        assert not services()[service].get("volumes"), f"{service} mounts a volume"


def test_the_migrate_service_makes_sure_the_bucket_takes_files():
    command = " ".join(services()["migrate"]["command"])
    assert "manage.py migrate --noinput" in command
    assert "storage_check --create-bucket" in command
    assert "bucket" in services()["migrate"]["depends_on"]


def test_web_runs_two_replicas_behind_the_proxy_on_port_8000():
    web = services()["web"]
    assert interpolate(str(web["deploy"]["replicas"]), {}) == "2"
    assert "ports" not in web, "a published port would stop web from scaling"
    web_command = web.get("command")
    assert web_command is None or "gunicorn" in str(web_command)
    proxy = services()["proxy"]
    assert "8000:8080" in [str(port) for port in proxy["ports"]]
    assert any(str(v).startswith("./deploy/nginx.conf:") for v in proxy["volumes"])
    nginx = NGINX_CONF.read_text(encoding="utf-8")
    assert "listen 8080;" in nginx
    assert "set $web http://web:8000;" in nginx
    assert "resolver 127.0.0.11 valid=10s" in nginx  # new replicas are found
    assert app_environment()["TRUSTED_PROXY_COUNT"] == "1"


def test_the_worker_runs_celery():
    command = services()["worker"]["command"]
    worker_argv = command if isinstance(command, list) else shlex.split(command)
    assert worker_argv[:4] == ["celery", "-A", "portal", "worker"]


def test_one_beat_process_queues_the_periodic_jobs():
    beat = services()["beat"]
    argv = beat["command"] if isinstance(beat["command"], list) else shlex.split(beat["command"])
    assert argv[:4] == ["celery", "-A", "portal", "beat"]
    assert "deploy" not in beat  # never scaled: two beats would queue every job twice


# --- production settings import with the compose environment ----------------------


def test_production_settings_import_succeeds_with_the_compose_environment():
    result = import_settings(app_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["production", "False", "django.db.backends.postgresql"]


def test_production_settings_import_fails_without_secret_key():
    env = app_environment()
    del env["SECRET_KEY"]
    result = import_settings(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- Dockerfile and .dockerignore -----------------------------------------------------


def test_dockerfile_builds_on_python_311_slim_bookworm():
    from_lines = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert from_lines
    for arguments in from_lines:
        assert arguments.split()[0] == "python:3.11-slim-bookworm"


def test_dockerfile_defaults_to_production():
    env = {}
    for keyword, arguments in final_stage():
        if keyword == "ENV":
            env.update(env_instruction_values(arguments))
    assert env.get("PORTAL_ENV") == "production"


def test_dockerfile_runs_gunicorn_with_the_wsgi_application():
    commands = [exec_form(arguments) for keyword, arguments in final_stage() if keyword == "CMD"]
    assert commands, "the image has no CMD"
    argv = commands[-1]
    assert argv[0] == "gunicorn"
    assert "portal.wsgi:application" in argv
    assert ("--config", "/app/gunicorn.conf.py") in pairwise(argv)
    exposed = [arguments.split() for keyword, arguments in final_stage() if keyword == "EXPOSE"]
    assert ["8000"] in exposed
    # The gunicorn target is the WSGI application settings.py names.
    tree = ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))
    wsgi_settings = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", None) == "WSGI_APPLICATION" for t in node.targets)
    ]
    assert wsgi_settings == ["portal.wsgi.application"]


def test_gunicorn_runs_sync_workers_with_a_timeout_under_the_proxys(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    conf = runpy.run_path(str(GUNICORN_CONF))  # its globals are gunicorn's settings
    assert conf["bind"] == "0.0.0.0:8000"
    assert (conf["worker_class"], conf["workers"]) == ("sync", 3)
    assert conf["accesslog"] == "-"
    proxy_timeout = re.search(r"proxy_read_timeout (\d+)s;", NGINX_CONF.read_text())
    assert 30 <= conf["timeout"] < int(proxy_timeout[1])
    assert conf["max_requests"] > 0


def test_dockerfile_healthcheck_probes_the_web_port():
    checks = [arguments for keyword, arguments in final_stage() if keyword == "HEALTHCHECK"]
    assert checks, "the image has no HEALTHCHECK"
    assert "127.0.0.1:8000" in checks[-1]


def test_dockerfile_runs_as_a_non_root_user():
    users = [arguments.split(":")[0] for keyword, arguments in final_stage() if keyword == "USER"]
    assert users, "the image runs as root"
    assert users[-1] not in {"root", "0"}


def test_dockerfile_collects_static_files_in_production_mode_without_secrets():
    """collectstatic must build whitenoise's manifest, which only production storage writes.

    The build has no secrets, so the step must bring throw-away values for the mandatory
    variables itself; importing the settings with exactly that environment must work.
    """
    env: dict[str, str] = {}
    step_env = None
    for keyword, arguments in final_stage():
        if keyword == "ENV":
            env.update(env_instruction_values(arguments))
        elif keyword == "RUN" and "collectstatic" in arguments:
            tokens = shlex.split(arguments)
            inline = {}
            for token in tokens:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", token):
                    break
                name, value = token.split("=", 1)
                inline[name] = value
            assert "--noinput" in tokens
            step_env = {**env, **inline}
            break
    assert step_env is not None, "the image does not run collectstatic"
    assert step_env.get("PORTAL_ENV") == "production"
    read = variables_read_by_settings()
    result = import_settings({name: v for name, v in step_env.items() if name in read})
    assert result.returncode == 0, result.stderr


def test_dockerignore_keeps_local_state_out_of_the_build_context():
    patterns = {
        line.strip().strip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    expected = {".venv", ".git", "db.sqlite3", "media", "staticfiles", "artifacts", ".env"}
    assert expected <= patterns, f"missing from .dockerignore: {sorted(expected - patterns)}"
