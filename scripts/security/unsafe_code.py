#!/usr/bin/env python3
"""Every `unsafe` block or function in the project's Rust code must be
preceded by a `// SAFETY:` comment saying why it is sound."""
import re
import subprocess
import sys
from pathlib import Path

UNSAFE = re.compile(r"\bunsafe\s*(\{|fn\b|impl\b)")


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    listed = subprocess.run(["git", "ls-files", "-z", "*.rs"], cwd=root, check=True, capture_output=True).stdout
    findings = []
    files = [p for p in listed.decode().split("\0") if p]
    for relative in files:
        lines = (root / relative).read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            code = line.split("//", 1)[0]
            if UNSAFE.search(code):
                previous = "\n".join(lines[max(0, index - 3):index])
                if "SAFETY:" not in previous:
                    findings.append(f"{relative}:{index + 1}: unsafe code without a `// SAFETY:` comment")
    print(f"unsafe: {len(files)} Rust files checked")
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
