#!/usr/bin/env bash
# Creates the random secrets the compose deployment reads as files, in
# deploy/secrets/ (owner-only). Existing files are kept, so running it again
# never rotates a key by accident: rotation is a deliberate step
# (docs/DEPLOYMENT.md).
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets

make_secret() { # file, command
  if [ -s "secrets/$1" ]; then
    echo "kept    secrets/$1"
  else
    eval "$2" >"secrets/$1"
    echo "created secrets/$1"
  fi
}

make_secret db_password "openssl rand -hex 24"
make_secret db_root_password "openssl rand -hex 24"
make_secret jwt_secret "openssl rand -base64 48 | tr -d '\n'"
make_secret phi_encryption_key "openssl rand -base64 32 | tr -d '\n'"
make_secret redis_password "openssl rand -hex 24"
redis_password="$(cat secrets/redis_password)"
make_secret redis.conf "printf 'requirepass %s\nappendonly yes\nsave \"\"\nprotected-mode yes\n' '$redis_password'"
make_secret redis_url "printf 'redis://:%s@redis:6379/0' '$redis_password'"
# The containers run as other users and read these through bind mounts.
chmod 0644 secrets/*
echo "Keep deploy/secrets/ out of version control and back it up with the"
echo "database: without phi_encryption_key, stored SSNs cannot be read."
