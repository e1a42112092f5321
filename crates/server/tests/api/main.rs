//! Integration tests: each test starts the real `healthsecure` binary on a
//! free port against its own copy of a prepared database and talks to it
//! over HTTP, as any client would. The database is a SQLite file, or with
//! `scripts/test-mariadb` a MariaDB database over TLS, with Redis and two
//! instances per test (see `test_db`).

mod helpers;
mod oidc_provider;
mod test_db;

mod access_report;
mod admin;
mod audit_api;
mod audit_day;
mod audit_export;
mod audit_live;
mod audit_trail;
mod audit_verify;
mod auth;
mod emergency;
mod hardening;
mod importer;
mod mfa;
mod openapi;
mod patients;
mod production;
mod records;
mod sessions;
mod sso;
mod tokens;
