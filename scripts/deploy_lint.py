"""Rules for the deployment files that no schema expresses.

Run by scripts/check-deploy. Each rule is a promise docs/DEPLOYMENT.md
makes: two API replicas behind nginx, a health check on every long-running
service, secrets only as files, a non-root image with a health check, and a
.env.example that names every variable the server reads.
"""

import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def compose_rules():
    compose = yaml.safe_load((ROOT / "deploy/docker-compose.yml").read_text())
    services = compose["services"]
    for name in ["mysql", "redis", "migrate", "api", "nginx", "prometheus"]:
        check(name in services, f"compose: service {name} is missing")
    for name, service in services.items():
        if name != "migrate":
            check("healthcheck" in service, f"compose: {name} has no health check")
            check(service.get("restart") == "unless-stopped", f"compose: {name} is not restarted")
    api = services["api"]
    check(api.get("deploy", {}).get("replicas", 1) >= 2, "compose: api runs fewer than two replicas")
    check("ports" not in api, "compose: api must be reached only through nginx")
    for name in ["mysql", "redis"]:
        check("ports" not in services[name], f"compose: {name} must not publish a port")
    env = api["environment"]
    check(env.get("ENVIRONMENT") == "production", "compose: api is not in production mode")
    check(env.get("DB_TLS_MODE") in ("verify-ca", "verify-full"), "compose: database TLS is not verified")
    check(env.get("MIGRATE_ON_START") == "false", "compose: replicas must not migrate concurrently")
    depends = api.get("depends_on", {})
    check(
        depends.get("migrate", {}).get("condition") == "service_completed_successfully",
        "compose: api must wait for the migration",
    )
    for key, value in env.items():
        secretish = re.search(r"(SECRET|PASSWORD|KEY|REDIS_URL)$", key) and not key.endswith("KEY_ID")
        if secretish:
            problems.append(f"compose: {key} is set inline; use {key}_FILE and a secret")
    check(
        "--require-secure-transport=ON" in services["mysql"]["command"],
        "compose: MySQL must require TLS",
    )
    proxies = env.get("TRUSTED_PROXIES")
    nginx_ip = services["nginx"]["networks"]["backend"]["ipv4_address"]
    check(proxies == nginx_ip, "compose: TRUSTED_PROXIES must be nginx's address")
    for secret in compose["secrets"].values():
        path = secret["file"]
        produced = path.startswith("./secrets/") or path.startswith("./certs/")
        check(produced, f"compose: secret file {path} is not made by the deploy scripts")


def dockerfile_rules():
    lines = [
        line.strip()
        for line in (ROOT / "deploy/Dockerfile").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    stages = [line for line in lines if line.upper().startswith("FROM ")]
    check(len(stages) >= 3, "Dockerfile: expected web, server and runtime stages")
    final = lines[lines.index(stages[-1]):]
    users = [line.split()[1] for line in final if line.upper().startswith("USER ")]
    check(users and not users[-1].startswith("0") and users[-1] != "root", "Dockerfile: runs as root")
    check(any(line.upper().startswith("HEALTHCHECK ") for line in final), "Dockerfile: no HEALTHCHECK")
    check(not any(re.match(r"ADD\s+https?://", line, re.I) for line in lines), "Dockerfile: ADD from a URL")


def env_example_rules():
    sources = [ROOT / "crates/server/src/config.rs", *(ROOT / "crates/server/src/config").glob("*.rs")]
    read = set()
    for source in sources:
        text = source.read_text().split("#[cfg(test)]")[0]
        read |= set(re.findall(r'env\s*\.get\("([A-Z][A-Z0-9_]+)"\)', text))
        read |= set(re.findall(r'(?:parse|duration|parse_list)\(\s*env,\s*"([A-Z][A-Z0-9_]+)"', text))
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    check(len(read) > 30, f".env.example check found only {len(read)} variables in the config code")
    for variable in sorted(read - named):
        problems.append(f".env.example: {variable} is read by the server but not listed")
    for line in example.splitlines():
        match = re.match(r"^(JWT_SECRET|PHI_ENCRYPTION_KEY|DB_PASSWORD)=(.+)$", line)
        if match:
            problems.append(f".env.example: {match.group(1)} has a value")


compose_rules()
dockerfile_rules()
env_example_rules()
for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print("deployment rules hold")
