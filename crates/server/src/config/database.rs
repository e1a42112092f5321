//! Database settings: the connection URL (given whole as `DATABASE_URL`, or
//! built from the `DB_*` variables), its TLS mode, and the pool.
//!
//! The TLS mode is checked on the URL that will actually be used, so a
//! `DATABASE_URL` without `ssl-mode` cannot slip an unencrypted connection
//! past production's rule (the MySQL driver's default is `preferred`,
//! which silently falls back to plain text).

use std::time::Duration;

use super::{ConfigError, Source, duration, parse, problem, url_escape};

/// How the connection to a MySQL/MariaDB or PostgreSQL server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DbTlsMode {
    Disabled,
    Preferred,
    Required,
    /// The server's certificate must chain to the trusted CA.
    VerifyCa,
    /// As `VerifyCa`, and the certificate must name the host connected to.
    VerifyFull,
}

impl DbTlsMode {
    fn parse(raw: &str) -> Option<DbTlsMode> {
        Some(
            match raw.trim().to_ascii_lowercase().replace('_', "-").as_str() {
                "disabled" | "disable" => DbTlsMode::Disabled,
                "preferred" | "prefer" | "allow" => DbTlsMode::Preferred,
                "required" | "require" => DbTlsMode::Required,
                "verify-ca" => DbTlsMode::VerifyCa,
                "verify-full" | "verify-identity" => DbTlsMode::VerifyFull,
                _ => return None,
            },
        )
    }

    /// The value of the driver's option (`ssl-mode` or `sslmode`).
    fn driver_value(self, kind: UrlKind) -> &'static str {
        match (kind, self) {
            (UrlKind::MySql, DbTlsMode::Disabled) => "disabled",
            (UrlKind::MySql, DbTlsMode::Preferred) => "preferred",
            (UrlKind::MySql, DbTlsMode::Required) => "required",
            (UrlKind::MySql, DbTlsMode::VerifyCa) => "verify_ca",
            (UrlKind::MySql, DbTlsMode::VerifyFull) => "verify_identity",
            (_, DbTlsMode::Disabled) => "disable",
            (_, DbTlsMode::Preferred) => "prefer",
            (_, DbTlsMode::Required) => "require",
            (_, DbTlsMode::VerifyCa) => "verify-ca",
            (_, DbTlsMode::VerifyFull) => "verify-full",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UrlKind {
    Sqlite,
    MySql,
    Postgres,
}

impl UrlKind {
    fn of(url: &str) -> UrlKind {
        if url.starts_with("sqlite:") {
            UrlKind::Sqlite
        } else if url.starts_with("postgres") {
            UrlKind::Postgres
        } else {
            UrlKind::MySql
        }
    }

    fn mode_option(self) -> &'static str {
        match self {
            UrlKind::Postgres => "sslmode",
            _ => "ssl-mode",
        }
    }

    fn ca_option(self) -> &'static str {
        match self {
            UrlKind::Postgres => "sslrootcert",
            _ => "ssl-ca",
        }
    }
}

/// The connection pool of the API's shared database handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    pub max_connections: u32,
    pub min_connections: u32,
    pub acquire_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_lifetime: Duration,
}

impl PoolConfig {
    /// The defaults for a pool of `max` connections.
    pub fn sized(max: u32) -> PoolConfig {
        PoolConfig {
            max_connections: max.max(1),
            min_connections: 1,
            acquire_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(600),
            max_lifetime: Duration::from_secs(1800),
        }
    }
}

pub(super) fn pool_config(env: &dyn Source, url: &str) -> Result<PoolConfig, ConfigError> {
    // SQLite serialises writers: a few connections serve reads; a server
    // engine takes more.
    let default_max = if UrlKind::of(url) == UrlKind::Sqlite {
        8
    } else {
        16
    };
    let max_connections: u32 = parse(env, "DB_MAX_CONNECTIONS", default_max)?;
    let min_connections: u32 = parse(env, "DB_MIN_CONNECTIONS", 1)?;
    if max_connections == 0 {
        return Err(problem("DB_MAX_CONNECTIONS", "must be at least 1"));
    }
    if min_connections > max_connections {
        return Err(problem(
            "DB_MIN_CONNECTIONS",
            "must not exceed DB_MAX_CONNECTIONS",
        ));
    }
    Ok(PoolConfig {
        max_connections,
        min_connections,
        acquire_timeout: duration(env, "DB_ACQUIRE_TIMEOUT", "10s")?,
        idle_timeout: duration(env, "DB_IDLE_TIMEOUT", "10m")?,
        max_lifetime: duration(env, "DB_MAX_LIFETIME", "30m")?,
    })
}

/// The URL to connect with, with `DB_TLS_MODE` and `DB_TLS_CA` applied;
/// production refuses anything weaker than `required`.
pub(super) fn database_url(
    env: &dyn Source,
    data_dir: &std::path::Path,
    production: bool,
) -> Result<String, ConfigError> {
    let mode = match env.get("DB_TLS_MODE") {
        None => None,
        Some(raw) => Some(DbTlsMode::parse(&raw).ok_or_else(|| {
            problem(
                "DB_TLS_MODE",
                "must be disabled, preferred, required, verify-ca or verify-full",
            )
        })?),
    };
    let ca = env.get("DB_TLS_CA");
    let url = match (env.get("DATABASE_URL"), env.get("DB_HOST")) {
        (Some(url), _) => url,
        (None, Some(host)) => mysql_url(env, &host)?,
        (None, None) => {
            return Ok(format!(
                "sqlite://{}/healthsecure.db?mode=rwc",
                data_dir.display()
            ));
        }
    };
    let kind = UrlKind::of(&url);
    if kind == UrlKind::Sqlite {
        return Ok(url);
    }
    // Without DB_* TLS settings a DB_HOST connection defaults to `required`.
    let mode = mode.or_else(|| (env.get("DATABASE_URL").is_none()).then_some(DbTlsMode::Required));
    let mut url = url;
    if let Some(mode) = mode {
        url = with_option(&url, kind.mode_option(), mode.driver_value(kind));
    }
    if let Some(ca) = ca {
        url = with_option(&url, kind.ca_option(), &url_escape(&ca));
    }
    let effective = option(&url, kind.mode_option())
        .and_then(|value| DbTlsMode::parse(&value))
        .unwrap_or(DbTlsMode::Preferred);
    if production && effective < DbTlsMode::Required {
        return Err(problem(
            "DB_TLS_MODE",
            "production requires an encrypted database connection: `required`, `verify-ca` or `verify-full` (or the same `ssl-mode`/`sslmode` in DATABASE_URL)",
        ));
    }
    Ok(url)
}

fn mysql_url(env: &dyn Source, host: &str) -> Result<String, ConfigError> {
    let port: u16 = parse(env, "DB_PORT", 3306)?;
    let name = env
        .get("DB_NAME")
        .ok_or_else(|| problem("DB_NAME", "is required with DB_HOST"))?;
    let user = env
        .get("DB_USER")
        .ok_or_else(|| problem("DB_USER", "is required with DB_HOST"))?;
    let password = env.get("DB_PASSWORD").unwrap_or_default();
    Ok(format!(
        "mysql://{}:{}@{}:{}/{}",
        url_escape(&user),
        url_escape(&password),
        host,
        port,
        url_escape(&name),
    ))
}

/// The URL's value for a query option, if present.
fn option(url: &str, key: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

/// The URL with one query option set (replaced if present).
fn with_option(url: &str, key: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(key))
        .map(str::to_string)
        .collect();
    pairs.push(format!("{key}={value}"));
    format!("{base}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Source for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.0.get(key).map(|v| v.to_string())
        }
    }

    fn url(vars: &[(&'static str, &'static str)], production: bool) -> Result<String, ConfigError> {
        let env = Map(vars.iter().copied().collect());
        database_url(&env, std::path::Path::new("data"), production)
    }

    const HOST: [(&str, &str); 4] = [
        ("DB_HOST", "db.internal"),
        ("DB_NAME", "healthsecure"),
        ("DB_USER", "hs"),
        ("DB_PASSWORD", "p@ss/word"),
    ];

    #[test]
    fn each_tls_mode_maps_to_the_mysql_drivers_option() {
        for (mode, expected) in [
            ("disabled", "ssl-mode=disabled"),
            ("preferred", "ssl-mode=preferred"),
            ("required", "ssl-mode=required"),
            ("verify-ca", "ssl-mode=verify_ca"),
            ("verify-full", "ssl-mode=verify_identity"),
        ] {
            let mut vars = HOST.to_vec();
            vars.push(("DB_TLS_MODE", mode));
            let built = url(&vars, false).unwrap();
            assert!(built.ends_with(expected), "{mode}: {built}");
            assert!(built.starts_with("mysql://hs:p%40ss/word@db.internal:3306/healthsecure?"));
        }
    }

    #[test]
    fn db_host_defaults_to_required_and_adds_the_ca() {
        let mut vars = HOST.to_vec();
        vars.push(("DB_TLS_CA", "/run/secrets/db ca.pem"));
        let built = url(&vars, true).unwrap();
        assert!(built.contains("ssl-mode=required"));
        assert!(built.ends_with("ssl-ca=/run/secrets/db%20ca.pem"));
    }

    #[test]
    fn production_refuses_every_mode_weaker_than_required() {
        for mode in ["disabled", "preferred"] {
            let mut vars = HOST.to_vec();
            vars.push(("DB_TLS_MODE", mode));
            assert_eq!(url(&vars, true).unwrap_err().variable, "DB_TLS_MODE");
            assert!(url(&vars, false).is_ok());
        }
        for mode in ["required", "verify-ca", "verify-full"] {
            let mut vars = HOST.to_vec();
            vars.push(("DB_TLS_MODE", mode));
            assert!(url(&vars, true).is_ok(), "{mode}");
        }
    }

    #[test]
    fn production_refuses_a_database_url_that_does_not_require_tls() {
        let plain = [("DATABASE_URL", "mysql://hs:pw@db/hs")];
        let preferred = [("DATABASE_URL", "mysql://hs:pw@db/hs?ssl-mode=preferred")];
        let postgres = [("DATABASE_URL", "postgres://hs:pw@db/hs?sslmode=prefer")];
        for vars in [&plain[..], &preferred[..], &postgres[..]] {
            assert_eq!(url(vars, true).unwrap_err().variable, "DB_TLS_MODE");
        }
        let checked = [(
            "DATABASE_URL",
            "mysql://hs:pw@db/hs?ssl-mode=VERIFY_IDENTITY",
        )];
        assert!(url(&checked, true).is_ok());
        let overridden = [
            ("DATABASE_URL", "postgres://hs:pw@db/hs?sslmode=prefer"),
            ("DB_TLS_MODE", "verify-full"),
        ];
        assert_eq!(
            url(&overridden, true).unwrap(),
            "postgres://hs:pw@db/hs?sslmode=verify-full"
        );
    }

    #[test]
    fn sqlite_needs_no_tls_and_unknown_modes_are_refused() {
        assert!(url(&[], true).unwrap().starts_with("sqlite://"));
        let bad = [("DB_TLS_MODE", "sometimes")];
        assert_eq!(url(&bad, false).unwrap_err().variable, "DB_TLS_MODE");
    }

    #[test]
    fn pool_settings_are_read_and_checked() {
        let env = Map(HashMap::from([
            ("DB_MAX_CONNECTIONS", "4"),
            ("DB_MIN_CONNECTIONS", "2"),
        ]));
        let pool = pool_config(&env, "mysql://db/hs").unwrap();
        assert_eq!((pool.max_connections, pool.min_connections), (4, 2));
        let env = Map(HashMap::from([("DB_MIN_CONNECTIONS", "40")]));
        assert_eq!(
            pool_config(&env, "mysql://db/hs").unwrap_err().variable,
            "DB_MIN_CONNECTIONS"
        );
        let defaults = pool_config(&Map(HashMap::new()), "sqlite://x.db").unwrap();
        assert_eq!(defaults.max_connections, 8);
    }
}
