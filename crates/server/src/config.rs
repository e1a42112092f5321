//! Typed configuration, read once from the environment at start-up.
//!
//! Every problem is reported with the variable's name and what to do about
//! it; production refuses to start on weak or missing secrets.

use std::borrow::Cow;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use rand::RngCore;

use crate::auth::oidc::ProviderSettings;
use crate::secret::Secret;

mod database;

pub use database::{DbTlsMode, PoolConfig};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub environment: Environment,
    pub database_url: Secret<String>,
    pub db_pool: PoolConfig,
    /// Apply pending migrations when `serve` starts (otherwise run
    /// `healthsecure migrate` before starting the instances).
    pub migrate_on_start: bool,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub jwt: JwtConfig,
    pub refresh_token_ttl: Duration,
    pub bcrypt_cost: u32,
    pub max_concurrent_password_checks: usize,
    pub phi_key: Secret<[u8; 32]>,
    pub emergency: EmergencyConfig,
    pub notify: NotifyConfig,
    pub idle_timeout: Duration,
    pub public_url: Option<String>,
    pub rate_limit_requests: u32,
    pub rate_limit_window: Duration,
    pub login: LoginLimits,
    pub redis_url: Option<Secret<String>>,
    pub trusted_proxies: Vec<IpAddr>,
    pub cors_origins: Vec<String>,
    pub static_dir: Option<PathBuf>,
    pub log_level: String,
    pub log_format: LogFormat,
    pub max_body_bytes: usize,
    pub tls: Option<TlsFiles>,
    /// Where `/metrics` is served instead of on the main listener.
    pub metrics_address: Option<SocketAddr>,
    /// How long a stopping server waits for requests in flight.
    pub shutdown_grace: Duration,
    /// Names this deployment as the observer in exported FHIR audit events.
    pub audit_source_id: String,
    /// Single sign-on providers, from the `OIDC_<PROVIDER>_*` variables.
    pub sso: Vec<ProviderSettings>,
    pub mfa: MfaConfig,
}

/// The second factor: who must have one and how fresh a sign-in must be
/// for the most sensitive actions.
#[derive(Clone, Debug)]
pub struct MfaConfig {
    /// Roles that cannot sign in with a password alone (`MFA_REQUIRED_ROLES`).
    pub required_roles: Vec<crate::policy::Role>,
    /// How long a sign-in or re-authentication counts as fresh for
    /// break-glass and role changes (`REAUTH_WINDOW`).
    pub reauth_window: Duration,
    /// How long the challenge between password and code lasts (`MFA_CHALLENGE_TTL`).
    pub challenge_ttl: Duration,
}

impl MfaConfig {
    pub fn required_for(&self, role: crate::policy::Role) -> bool {
        self.required_roles.contains(&role)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct EmergencyConfig {
    pub duration: Duration,
    pub max_active_per_user: u64,
    pub review_overdue_after: Duration,
}

/// Where emergency alerts go; each channel is optional.
#[derive(Clone, Debug, Default)]
pub struct NotifyConfig {
    pub smtp_url: Option<Secret<String>>,
    pub smtp_from: String,
    pub alert_emails: Vec<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<Secret<String>>,
}

/// A key id and its secret, kept for verifying tokens after a rotation.
pub type PreviousKey = (String, Secret<Vec<u8>>);

/// Limits on the sign-in, refresh and password routes.
#[derive(Clone, Copy, Debug)]
pub struct LoginLimits {
    /// Sign-in and refresh attempts per client address per minute.
    pub attempts_per_minute: u32,
    /// Failed sign-ins after which an account is locked.
    pub max_failures: u32,
    /// How long a locked account stays locked (and the window failures count in).
    pub lockout: Duration,
}

#[derive(Clone, Debug)]
pub struct JwtConfig {
    pub secret: Secret<Vec<u8>>,
    pub key_id: String,
    /// Earlier signing keys, still accepted for verification during a
    /// rotation, by key id.
    pub previous_keys: Vec<PreviousKey>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
}

#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// A configuration problem, naming the variable and the fix.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    /// Mostly a fixed name; per-provider variables are built at start-up.
    pub variable: Cow<'static, str>,
    pub problem: String,
}

fn problem(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable: Cow::Borrowed(variable),
        problem: problem.into(),
    }
}

/// Where values come from; the process environment in production, a map in tests.
pub trait Source {
    fn get(&self, key: &str) -> Option<String>;

    /// The names that hold a value, for settings found by their prefix
    /// (one group of variables per sign-on provider). A source that cannot
    /// list its names offers none.
    fn keys(&self) -> Vec<String> {
        Vec::new()
    }

    /// Whether the variable is set at all, even to an empty value (where
    /// empty means something, as `MFA_REQUIRED_ROLES=` does: no role).
    fn is_set(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// The process environment. A secret may instead be given as a file
/// (`JWT_SECRET_FILE=/run/secrets/jwt`), as container orchestrators
/// mount them; the variable itself wins when both are set.
pub struct ProcessEnv;

/// The variables that may be read from a `NAME_FILE`.
pub const FILE_VARIABLES: [&str; 8] = [
    "DATABASE_URL",
    "DB_PASSWORD",
    "JWT_SECRET",
    "JWT_PREVIOUS_KEYS",
    "PHI_ENCRYPTION_KEY",
    "REDIS_URL",
    "SMTP_URL",
    "ALERT_WEBHOOK_SECRET",
];

impl Source for ProcessEnv {
    fn get(&self, key: &str) -> Option<String> {
        let direct = std::env::var(key).ok().filter(|v| !v.trim().is_empty());
        if direct.is_some() || !FILE_VARIABLES.contains(&key) {
            return direct;
        }
        let path = std::env::var(format!("{key}_FILE")).ok()?;
        let text = std::fs::read_to_string(path).ok()?;
        Some(text.trim_end_matches(['\r', '\n']).to_string()).filter(|v| !v.trim().is_empty())
    }

    fn keys(&self) -> Vec<String> {
        std::env::vars()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(key, _)| key)
            .collect()
    }

    fn is_set(&self, key: &str) -> bool {
        std::env::var_os(key).is_some()
    }
}

impl ProcessEnv {
    /// Every `NAME_FILE` that is set must be readable.
    fn check_files() -> Result<(), ConfigError> {
        for key in FILE_VARIABLES {
            let Ok(path) = std::env::var(format!("{key}_FILE")) else {
                continue;
            };
            if let Err(err) = std::fs::read(&path) {
                return Err(ConfigError {
                    variable: (*key).into(),
                    problem: format!("{key}_FILE={path} cannot be read: {err}"),
                });
            }
        }
        Ok(())
    }
}

pub const MIN_BCRYPT_COST: u32 = 12;
const MIN_JWT_SECRET_BYTES: usize = 32;

impl Config {
    /// Reads the configuration from the process environment (after `.env`).
    pub fn from_env() -> Result<Self, ConfigError> {
        ProcessEnv::check_files()?;
        Self::from_source(&ProcessEnv)
    }

    pub fn from_source(env: &dyn Source) -> Result<Self, ConfigError> {
        let environment = match env.get("ENVIRONMENT").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(_) => {
                return Err(problem(
                    "ENVIRONMENT",
                    "must be `development` or `production`",
                ));
            }
        };
        let production = environment == Environment::Production;
        let data_dir = PathBuf::from(env.get("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = database::database_url(env, &data_dir, production)?;
        let db_pool = database::pool_config(env, &database_url)?;

        let tls = match (env.get("TLS_CERT_FILE"), env.get("TLS_KEY_FILE")) {
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.into(),
                key: key.into(),
            }),
            (None, None) => None,
            _ => {
                return Err(problem(
                    "TLS_CERT_FILE",
                    "set both TLS_CERT_FILE and TLS_KEY_FILE, or neither",
                ));
            }
        };
        let trusted_proxies = parse_list(env, "TRUSTED_PROXIES", |s| s.parse::<IpAddr>().ok())?;
        if production && tls.is_none() && trusted_proxies.is_empty() {
            return Err(problem(
                "TLS_CERT_FILE",
                "production serves HTTPS: set TLS_CERT_FILE and TLS_KEY_FILE, or set TRUSTED_PROXIES to the TLS-terminating proxy",
            ));
        }

        let port: u16 = parse(env, "SERVER_PORT", 8080)?;
        let address: IpAddr = parse(env, "BIND_ADDRESS", IpAddr::from([127, 0, 0, 1]))?;

        let jwt_secret = match env.get("JWT_SECRET") {
            Some(secret) if secret.len() >= MIN_JWT_SECRET_BYTES && !weak_secret(&secret) => {
                secret.into_bytes()
            }
            Some(_) => {
                return Err(problem(
                    "JWT_SECRET",
                    "must be at least 32 random bytes (try `openssl rand -base64 48`)",
                ));
            }
            None if production => {
                return Err(problem(
                    "JWT_SECRET",
                    "is required in production (try `openssl rand -base64 48`)",
                ));
            }
            None => development_secret(&data_dir, "jwt.secret", 48)?,
        };
        let phi_key = match env.get("PHI_ENCRYPTION_KEY") {
            Some(encoded) => decode_key(&encoded)?,
            None if production => {
                return Err(problem(
                    "PHI_ENCRYPTION_KEY",
                    "is required in production: 32 random bytes, standard base64 (try `openssl rand -base64 32`)",
                ));
            }
            None => {
                let bytes = development_secret(&data_dir, "phi.key", 32)?;
                bytes.try_into().map_err(|_| {
                    problem(
                        "PHI_ENCRYPTION_KEY",
                        "the development key file is corrupt; delete it",
                    )
                })?
            }
        };

        let bcrypt_cost: u32 = parse(env, "BCRYPT_COST", MIN_BCRYPT_COST)?;
        if !(MIN_BCRYPT_COST..=31).contains(&bcrypt_cost) {
            return Err(problem("BCRYPT_COST", "must be between 12 and 31"));
        }
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);

        let log_format = match env.get("LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            None if production => LogFormat::Json,
            None => LogFormat::Json,
            Some(_) => return Err(problem("LOG_FORMAT", "must be `json` or `pretty`")),
        };

        let cors_origins = parse_list(env, "CORS_ORIGINS", |s| {
            let valid = (s.starts_with("https://") || s.starts_with("http://"))
                && !s.ends_with('/')
                && !s.contains('*');
            valid.then(|| s.to_string())
        })?;

        Ok(Config {
            environment,
            database_url: Secret::new(database_url),
            db_pool,
            migrate_on_start: parse(env, "MIGRATE_ON_START", true)?,
            data_dir: data_dir.clone(),
            bind: SocketAddr::new(address, port),
            jwt: JwtConfig {
                secret: Secret::new(jwt_secret),
                key_id: env.get("JWT_KEY_ID").unwrap_or_else(|| "k1".into()),
                previous_keys: previous_keys(env)?,
                issuer: env
                    .get("JWT_ISSUER")
                    .unwrap_or_else(|| "healthsecure".into()),
                audience: env
                    .get("JWT_AUDIENCE")
                    .unwrap_or_else(|| "healthsecure-api".into()),
                access_ttl: duration(env, "JWT_EXPIRES", "15m")?,
            },
            refresh_token_ttl: duration(env, "REFRESH_TOKEN_EXPIRES", "7d")?,
            bcrypt_cost,
            max_concurrent_password_checks: parse(env, "PASSWORD_CHECK_CONCURRENCY", cores)?.max(1),
            phi_key: Secret::new(phi_key),
            emergency: EmergencyConfig {
                duration: duration(env, "EMERGENCY_ACCESS_DURATION", "1h")?,
                max_active_per_user: parse(env, "EMERGENCY_MAX_ACTIVE_GRANTS", 3)?,
                review_overdue_after: duration(env, "EMERGENCY_REVIEW_OVERDUE", "72h")?,
            },
            notify: notify_config(env, production)?,
            idle_timeout: duration(env, "IDLE_TIMEOUT", "15m")?,
            public_url: env
                .get("PUBLIC_URL")
                .map(|u| u.trim_end_matches('/').to_string()),
            rate_limit_requests: parse(env, "RATE_LIMIT_REQUESTS", 600)?,
            rate_limit_window: duration(env, "RATE_LIMIT_WINDOW", "1m")?,
            login: LoginLimits {
                attempts_per_minute: parse(env, "LOGIN_RATE_LIMIT", 20)?,
                max_failures: parse(env, "LOGIN_MAX_FAILURES", 5)?,
                lockout: duration(env, "LOGIN_LOCKOUT", "15m")?,
            },
            redis_url: env.get("REDIS_URL").map(Secret::new),
            trusted_proxies,
            cors_origins,
            static_dir: static_dir(env),
            log_level: env.get("LOG_LEVEL").unwrap_or_else(|| "info".into()),
            log_format,
            max_body_bytes: parse(env, "MAX_BODY_BYTES", 1024 * 1024)?,
            tls,
            metrics_address: match env.get("METRICS_ADDRESS") {
                None => None,
                Some(raw) => Some(raw.trim().parse().map_err(|_| {
                    problem(
                        "METRICS_ADDRESS",
                        "must be an address and port, like 0.0.0.0:9100",
                    )
                })?),
            },
            shutdown_grace: duration(env, "SHUTDOWN_GRACE", "30s")?,
            audit_source_id: env
                .get("AUDIT_SOURCE_ID")
                .unwrap_or_else(|| "healthsecure".into()),
            sso: crate::auth::oidc::settings::from_source(env, production)?,
            mfa: mfa_config(env)?,
        })
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

fn notify_config(env: &dyn Source, production: bool) -> Result<NotifyConfig, ConfigError> {
    let alert_emails = parse_list(env, "EMERGENCY_NOTIFICATION_EMAIL", |s| {
        s.contains('@').then(|| s.to_string())
    })?;
    let smtp_url = env.get("SMTP_URL").map(Secret::new);
    if smtp_url.is_some() && alert_emails.is_empty() {
        return Err(problem(
            "EMERGENCY_NOTIFICATION_EMAIL",
            "is required when SMTP_URL is set",
        ));
    }
    let webhook_url = env.get("ALERT_WEBHOOK_URL");
    let webhook_secret = env.get("ALERT_WEBHOOK_SECRET");
    if webhook_url.is_some() {
        match &webhook_secret {
            None => {
                return Err(problem(
                    "ALERT_WEBHOOK_SECRET",
                    "is required when ALERT_WEBHOOK_URL is set",
                ));
            }
            Some(secret)
                if production && (secret.len() < MIN_JWT_SECRET_BYTES || weak_secret(secret)) =>
            {
                return Err(problem(
                    "ALERT_WEBHOOK_SECRET",
                    "must be at least 32 random bytes in production",
                ));
            }
            _ => {}
        }
    }
    Ok(NotifyConfig {
        smtp_url,
        smtp_from: env
            .get("SMTP_FROM")
            .unwrap_or_else(|| "healthsecure@localhost".into()),
        alert_emails,
        webhook_url,
        webhook_secret: webhook_secret.map(Secret::new),
    })
}

fn mfa_config(env: &dyn Source) -> Result<MfaConfig, ConfigError> {
    let roles = match env.get("MFA_REQUIRED_ROLES") {
        Some(raw) if raw.trim().eq_ignore_ascii_case("none") => String::new(),
        Some(raw) => raw,
        None if env.is_set("MFA_REQUIRED_ROLES") => String::new(),
        None => "admin".into(),
    };
    let mut required_roles = Vec::new();
    for name in roles.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let role = crate::policy::Role::parse(&name.to_ascii_lowercase()).ok_or_else(|| {
            problem(
                "MFA_REQUIRED_ROLES",
                format!("`{name}` is not a role; use a comma list of doctor, nurse and admin, or leave it empty for none"),
            )
        })?;
        if !required_roles.contains(&role) {
            required_roles.push(role);
        }
    }
    let reauth_window = duration(env, "REAUTH_WINDOW", "5m")?;
    if reauth_window > Duration::from_secs(3600) {
        return Err(problem(
            "REAUTH_WINDOW",
            "must be at most 1h: a longer window defeats the purpose of asking again",
        ));
    }
    let challenge_ttl = duration(env, "MFA_CHALLENGE_TTL", "5m")?;
    if challenge_ttl > Duration::from_secs(900) {
        return Err(problem(
            "MFA_CHALLENGE_TTL",
            "must be at most 15m: the step between password and code is meant to be short",
        ));
    }
    Ok(MfaConfig {
        required_roles,
        reauth_window,
        challenge_ttl,
    })
}

/// `JWT_PREVIOUS_KEYS`: comma-separated `kid:secret` pairs.
fn previous_keys(env: &dyn Source) -> Result<Vec<PreviousKey>, ConfigError> {
    parse_list(env, "JWT_PREVIOUS_KEYS", |pair| {
        let (kid, secret) = pair.split_once(':')?;
        let valid = !kid.is_empty() && secret.len() >= MIN_JWT_SECRET_BYTES && !weak_secret(secret);
        valid.then(|| (kid.to_string(), Secret::new(secret.as_bytes().to_vec())))
    })
}

fn url_escape(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn static_dir(env: &dyn Source) -> Option<PathBuf> {
    if let Some(dir) = env.get("STATIC_DIR") {
        return Some(dir.into());
    }
    let default = PathBuf::from("frontend/dist");
    default.join("index.html").exists().then_some(default)
}

/// Secrets that are long enough but obviously not random.
fn weak_secret(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    let distinct = secret
        .bytes()
        .collect::<std::collections::HashSet<_>>()
        .len();
    distinct < 10
        || ["changeme", "secret", "password", "example"]
            .iter()
            .any(|w| lower.contains(w))
}

fn decode_key(encoded: &str) -> Result<[u8; 32], ConfigError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| {
            problem(
                "PHI_ENCRYPTION_KEY",
                "is not standard base64 (try `openssl rand -base64 32`)",
            )
        })?;
    bytes.try_into().map_err(|_| {
        problem(
            "PHI_ENCRYPTION_KEY",
            "must decode to exactly 32 bytes (try `openssl rand -base64 32`)",
        )
    })
}

/// Development only: a random secret generated once and kept in the data
/// folder with owner-only permissions, so restarts keep sessions and
/// encrypted SSNs readable.
fn development_secret(
    data_dir: &std::path::Path,
    file: &str,
    len: usize,
) -> Result<Vec<u8>, ConfigError> {
    let variable = if file == "phi.key" {
        "PHI_ENCRYPTION_KEY"
    } else {
        "JWT_SECRET"
    };
    let path = data_dir.join(file);
    let engine = base64::engine::general_purpose::STANDARD;
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return engine.decode(existing.trim()).map_err(|_| {
            problem(
                variable,
                format!(
                    "{} is corrupt; delete it to generate a new one",
                    path.display()
                ),
            )
        });
    }
    std::fs::create_dir_all(data_dir).map_err(|e| {
        problem(
            "DATA_DIR",
            format!("cannot create {}: {e}", data_dir.display()),
        )
    })?;
    let mut bytes = vec![0u8; len];
    rand::rng().fill_bytes(&mut bytes);
    write_private(&path, engine.encode(&bytes).as_bytes())
        .map_err(|e| problem(variable, format!("cannot write {}: {e}", path.display())))?;
    Ok(bytes)
}

fn write_private(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents)
}

fn parse<T: std::str::FromStr>(
    env: &dyn Source,
    key: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match env.get(key) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|_| problem(key, "is not a valid value")),
    }
}

fn parse_list<T>(
    env: &dyn Source,
    key: &'static str,
    item: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, ConfigError> {
    let Some(raw) = env.get(key) else {
        return Ok(Vec::new());
    };
    // The error names the entry's position, not its text: some lists hold secrets.
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(i, s)| item(s).ok_or_else(|| problem(key, format!("entry {} is not valid", i + 1))))
        .collect()
}

fn duration(env: &dyn Source, key: &'static str, default: &str) -> Result<Duration, ConfigError> {
    let raw = env.get(key).unwrap_or_else(|| default.to_string());
    parse_duration(&raw).ok_or_else(|| problem(key, "must be a duration like 90s, 15m, 1h or 7d"))
}

/// Parses durations written like `90s`, `15m`, `1h`, `7d` (a bare number is seconds).
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let number: u64 = number.parse().ok()?;
    let seconds = match unit {
        "" | "s" => number,
        "m" => number.checked_mul(60)?,
        "h" => number.checked_mul(3600)?,
        "d" => number.checked_mul(86_400)?,
        _ => return None,
    };
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, String>);
    impl Source for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
    }

    fn production(extra: &[(&'static str, &str)]) -> Map {
        let mut map = HashMap::from([
            ("ENVIRONMENT", "production".to_string()),
            (
                "JWT_SECRET",
                "Zq8vN3kLm2Pw9Xr4Ty7Ub1Ce6Hd5Jf0Ga".to_string(),
            ),
            (
                "PHI_ENCRYPTION_KEY",
                base64::engine::general_purpose::STANDARD.encode([7u8; 32]),
            ),
            ("TRUSTED_PROXIES", "127.0.0.1".to_string()),
            ("DATABASE_URL", "sqlite::memory:".to_string()),
        ]);
        for (k, v) in extra {
            map.insert(k, v.to_string());
        }
        Map(map)
    }

    #[test]
    fn durations_accept_the_documented_units() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(604_800)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("5w"), None);
        assert_eq!(parse_duration("m"), None);
    }

    #[test]
    fn production_accepts_a_complete_configuration() {
        assert!(Config::from_source(&production(&[])).is_ok());
    }

    #[test]
    fn production_refuses_a_short_or_weak_jwt_secret() {
        let short = Config::from_source(&production(&[("JWT_SECRET", "short")])).unwrap_err();
        assert_eq!(short.variable, "JWT_SECRET");
        let weak = Config::from_source(&production(&[(
            "JWT_SECRET",
            "changeme-changeme-changeme-changeme!",
        )]))
        .unwrap_err();
        assert_eq!(weak.variable, "JWT_SECRET");
    }

    #[test]
    fn production_refuses_missing_secrets_and_plain_http() {
        let mut env = production(&[]);
        env.0.remove("JWT_SECRET");
        assert_eq!(
            Config::from_source(&env).unwrap_err().variable,
            "JWT_SECRET"
        );
        let mut env = production(&[]);
        env.0.remove("PHI_ENCRYPTION_KEY");
        assert_eq!(
            Config::from_source(&env).unwrap_err().variable,
            "PHI_ENCRYPTION_KEY"
        );
        let mut env = production(&[]);
        env.0.remove("TRUSTED_PROXIES");
        assert_eq!(
            Config::from_source(&env).unwrap_err().variable,
            "TLS_CERT_FILE"
        );
    }

    #[test]
    fn bcrypt_cost_below_twelve_is_refused() {
        let err = Config::from_source(&production(&[("BCRYPT_COST", "10")])).unwrap_err();
        assert_eq!(err.variable, "BCRYPT_COST");
    }

    #[test]
    fn production_refuses_an_unencrypted_mysql_connection() {
        let mut env = production(&[
            ("DB_HOST", "db"),
            ("DB_NAME", "hs"),
            ("DB_USER", "hs"),
            ("DB_TLS_MODE", "disabled"),
        ]);
        env.0.remove("DATABASE_URL");
        assert_eq!(
            Config::from_source(&env).unwrap_err().variable,
            "DB_TLS_MODE"
        );
    }

    #[test]
    fn admins_need_a_second_factor_unless_configured_otherwise() {
        use crate::policy::Role;
        let config = Config::from_source(&production(&[])).unwrap();
        assert_eq!(config.mfa.required_roles, vec![Role::Admin]);
        assert_eq!(config.mfa.reauth_window, Duration::from_secs(300));
        let config =
            Config::from_source(&production(&[("MFA_REQUIRED_ROLES", "doctor, admin")])).unwrap();
        assert_eq!(config.mfa.required_roles, vec![Role::Doctor, Role::Admin]);
        let config = Config::from_source(&production(&[("MFA_REQUIRED_ROLES", "none")])).unwrap();
        assert!(config.mfa.required_roles.is_empty());
        let err =
            Config::from_source(&production(&[("MFA_REQUIRED_ROLES", "superuser")])).unwrap_err();
        assert_eq!(err.variable, "MFA_REQUIRED_ROLES");
        let err = Config::from_source(&production(&[("REAUTH_WINDOW", "2h")])).unwrap_err();
        assert_eq!(err.variable, "REAUTH_WINDOW");
    }

    #[test]
    fn cors_origins_must_be_exact() {
        let err = Config::from_source(&production(&[("CORS_ORIGINS", "https://*.example.org")]))
            .unwrap_err();
        assert_eq!(err.variable, "CORS_ORIGINS");
    }
}
