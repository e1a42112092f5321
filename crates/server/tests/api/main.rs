//! Integration tests: each test starts the real `healthsecure` binary on a
//! free port against its own copy of a prepared SQLite database and talks
//! to it over HTTP, as any client would.

mod helpers;

mod admin;
mod audit_trail;
mod auth;
mod emergency;
mod hardening;
mod importer;
mod patients;
mod records;
mod sessions;
mod tokens;
