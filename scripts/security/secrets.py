#!/usr/bin/env python3
"""Looks for committed secrets: private keys, cloud and service tokens,
environment files, and long secret-looking values assigned to secret
names outside the test code. Prints `file:line: reason` for each finding.

A line may opt out with the marker `secret-scan: allow` when the value is
a documented placeholder.
"""
import re
import subprocess
import sys
from pathlib import Path

PATTERNS = [
    (re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"), "private key"),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "AWS access key id"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"), "GitHub token"),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"), "Slack token"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "Google API key"),
    (re.compile(r"\bsk_live_[0-9a-zA-Z]{24,}\b"), "Stripe live key"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}"), "JSON web token"),
]
ASSIGNMENT = re.compile(
    r"(?i)\b(jwt_secret|phi_encryption_key|db_password|client_secret|webhook_secret|api_key|password)\b"
    r"\s*[:=]\s*['\"]?([A-Za-z0-9+/=_\-]{24,})"
)
TEST_PATHS = re.compile(r"(^|/)(tests?|e2e|__tests__|fixtures)/|\.test\.[jt]sx?$|/test/")
SKIP_FILES = {"package-lock.json", "Cargo.lock"}


def tracked_files(root: Path):
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout
    return [p for p in listed.decode().split("\0") if p]


def scan(root: Path) -> list:
    findings = []
    for relative in tracked_files(root):
        path = root / relative
        name = path.name
        if name in SKIP_FILES or not path.is_file():
            continue
        if name == ".env" or (name.startswith(".env.") and name != ".env.example"):
            findings.append(f"{relative}:1: environment file committed")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if "secret-scan: allow" in line:
                continue
            for pattern, reason in PATTERNS:
                if pattern.search(line):
                    findings.append(f"{relative}:{number}: {reason}")
            if not TEST_PATHS.search(relative):
                match = ASSIGNMENT.search(line)
                if match:
                    findings.append(f"{relative}:{number}: value assigned to {match.group(1)} looks like a real secret")
    return findings


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    findings = scan(root.resolve())
    print(f"secrets: {len(tracked_files(root))} tracked files scanned")
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
