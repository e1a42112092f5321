#!/usr/bin/env bash
# Dumps the compose deployment's database into a gzip file (consistent,
# without locking the tables: --single-transaction on InnoDB). The dump
# holds PHI: encrypt it before it leaves the host. The same procedure is
# exercised against a real MariaDB by scripts/test-mariadb.
#   deploy/backup.sh [OUTPUT.sql.gz]
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-healthsecure-$(date -u +%Y%m%dT%H%M%SZ).sql.gz}"
umask 077
docker compose exec -T mysql sh -c \
  'exec mysqldump --single-transaction --routines --triggers --hex-blob \
   -uroot -p"$(cat /run/secrets/db_root_password)" healthsecure' \
  | gzip >"$out"
echo "wrote $out ($(wc -c <"$out") bytes); keep deploy/secrets/phi_encryption_key with your backups, stored apart"
