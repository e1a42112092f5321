#!/usr/bin/env bash
# Restores a dump made by backup.sh into the compose deployment, proves the
# audit trail came back whole with `healthsecure audit verify`, and only
# then starts the API again. Everything written since the dump is lost.
#   deploy/restore.sh BACKUP.sql.gz
set -euo pipefail
dump="${1:?usage: restore.sh BACKUP.sql.gz}"
dump="$(cd "$(dirname "$dump")" && pwd)/$(basename "$dump")"
cd "$(dirname "$0")"
docker compose stop api
gunzip -c "$dump" | docker compose exec -T mysql sh -c \
  'exec mysql -uroot -p"$(cat /run/secrets/db_root_password)" healthsecure'
docker compose run --rm migrate audit verify
docker compose start api
echo "restored from $dump; the audit chain verifies"
