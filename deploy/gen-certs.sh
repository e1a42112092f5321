#!/usr/bin/env bash
# Makes a private CA and the certificates the compose deployment needs, for
# a trial or a closed network: nginx's (for HOSTNAME) and MySQL's (for the
# `mysql` service name, which the API verifies with DB_TLS_MODE=verify-full).
# In production put the hospital's own certificates in the same places:
#   deploy/certs/ca.pem                      CA that signed MySQL's certificate
#   deploy/certs/mysql/{ca.pem,mysql.pem,mysql.key}
#   deploy/certs/nginx/{server.crt,server.key}
set -euo pipefail
host="${1:?usage: gen-certs.sh PUBLIC_HOSTNAME}"
cd "$(dirname "$0")"
mkdir -p certs/mysql certs/nginx
umask 077

if [ ! -s certs/ca.key ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=HealthSecure private CA" \
    -keyout certs/ca.key -out certs/ca.pem
fi

issue() { # name, subject CN, subjectAltName, key out, cert out
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$4" -out "certs/$1.csr"
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$3" >"certs/$1.ext"
  openssl x509 -req -in "certs/$1.csr" -CA certs/ca.pem -CAkey certs/ca.key -CAcreateserial \
    -days 397 -extfile "certs/$1.ext" -out "$5"
  rm -f "certs/$1.csr" "certs/$1.ext"
}

issue mysql mysql "DNS:mysql" certs/mysql/mysql.key certs/mysql/mysql.pem
issue nginx "$host" "DNS:$host" certs/nginx/server.key certs/nginx/server.crt
cp certs/ca.pem certs/mysql/ca.pem
chmod 0644 certs/ca.pem certs/mysql/ca.pem certs/mysql/mysql.pem certs/nginx/server.crt
# MySQL (uid 999 in the official image) must read its key; so must nginx.
chmod 0640 certs/mysql/mysql.key certs/nginx/server.key
if [ "$(id -u)" = 0 ]; then
  chown 999:999 certs/mysql/mysql.key
else
  echo "note: run 'sudo chown 999:999 deploy/certs/mysql/mysql.key' so MySQL can read its key"
fi
echo "Certificates are in deploy/certs/ (CA key: deploy/certs/ca.key, keep it offline)."
