//! HealthSecure: a medical data access control server.
//!
//! A request flows http → policy → domain → store; the audit row is written
//! from the same capability value the policy produced.

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod fhir;
pub mod http;
pub mod importer;
pub mod notify;
pub mod phi;
pub mod policy;
pub mod secret;
pub mod store;
pub mod telemetry;
