#!/usr/bin/env python3
"""Offline dependency policy: licences, banned crates and duplicate versions.

Reads `cargo metadata` (no network). Every crate must be available under at
least one combination of allowed licences; banned crates must not be in the
tree. Duplicate versions are listed for information. The advisory database
check needs the network and is reported as skipped.
"""
import json
import re
import subprocess
import sys
from collections import defaultdict

ALLOWED = {
    "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "BSD-1-Clause", "0BSD", "ISC",
    "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "CC0-1.0", "BSL-1.0",
    "MPL-2.0", "CDLA-Permissive-2.0", "Apache-2.0 WITH LLVM-exception",
}

# One TLS stack and one crypto provider in the process (see design notes):
# OpenSSL and a second rustls provider are refused.
BANNED = {
    "openssl": "use rustls",
    "openssl-sys": "use rustls",
    "native-tls": "use rustls",
    "aws-lc-rs": "the process uses the ring provider only",
    "aws-lc-sys": "the process uses the ring provider only",
}


def acceptable(expression: str) -> bool:
    """True when some OR-alternative consists only of allowed licences."""
    expression = expression.replace("/", " OR ").replace("(", " ").replace(")", " ")
    for alternative in re.split(r"\s+OR\s+", expression):
        terms = [t.strip() for t in re.split(r"\s+AND\s+", alternative) if t.strip()]
        if terms and all(t in ALLOWED for t in terms):
            return True
    return False


def main() -> int:
    output = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True, capture_output=True, text=True,
    ).stdout
    metadata = json.loads(output)
    workspace = set(metadata["workspace_members"])
    findings = []
    versions = defaultdict(set)
    for package in metadata["packages"]:
        if package["id"] in workspace:
            continue
        name, version = package["name"], package["version"]
        versions[name].add(version)
        licence = package.get("license")
        if not licence:
            findings.append(f"{package['manifest_path']}:1: {name} {version} declares no licence")
        elif not acceptable(licence):
            findings.append(f"{package['manifest_path']}:1: {name} {version} has licence '{licence}' outside the allowed list")
        if name in BANNED:
            findings.append(f"Cargo.lock:1: {name} {version} is banned: {BANNED[name]}")
    duplicates = sorted(n for n, v in versions.items() if len(v) > 1)
    print(f"dependencies: {len(metadata['packages']) - len(workspace)} crates checked")
    if duplicates:
        print(f"dependencies: note: {len(duplicates)} crates in more than one version: {', '.join(duplicates)}")
    print("dependencies: advisory check SKIPPED: the advisory database cannot be fetched from this machine")
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
