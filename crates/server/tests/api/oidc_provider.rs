//! A real OpenID provider on loopback for the single sign-on tests, and a
//! browser stand-in that signs in there.
//!
//! The provider is the `oidc-provider` package, run by node from
//! `tests/oidc-provider` (installed with `npm ci` there). One provider
//! serves the whole test run; each test starts its own HealthSecure against
//! it and signs in with its own cookie jar, so tests share no state.
//!
//! The client is registered with a public callback address on a name that
//! does not resolve (`healthsecure.test`), as a server behind a reverse
//! proxy would be; the stand-in browser takes the provider's redirect and
//! sends the same path and query to the test's own server.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde_json::json;

use crate::helpers::TestApp;

pub const PROVIDER_ID: &str = "test";
pub const CLIENT_ID: &str = "healthsecure-tests";
pub const CLIENT_SECRET: &str = "test-client-secret-4f9c2a71d8e3b605";
pub const PUBLIC_ORIGIN: &str = "http://healthsecure.test";
pub const CALLBACK_PATH: &str = "/api/auth/oidc/test/callback";

/// The logins the provider knows, by the account names of the test
/// database (helpers.rs) they are meant to reach.
pub const DOCTOR_LOGIN: &str = "doctor";
pub const NURSE_LOGIN: &str = "nurse";
pub const NURSE2_LOGIN: &str = "nurse2";
/// Doctor 2's address in other letter case, which still reaches them.
pub const DOCTOR2_LOGIN: &str = "doctor2";
/// Claims the doctor's address, which the provider does not vouch for.
pub const IMPOSTOR_LOGIN: &str = "impostor";
/// A verified address no HealthSecure account has.
pub const STRANGER_LOGIN: &str = "stranger";

fn accounts() -> serde_json::Value {
    json!({
        DOCTOR_LOGIN: {
            "email": "doctor@hospital.test", "email_verified": true,
            "name": "Dr Test One", "groups": ["clinicians"]
        },
        NURSE_LOGIN: {
            "email": "nurse@hospital.test", "email_verified": true,
            "name": "Nurse Test One", "groups": ["clinicians"]
        },
        NURSE2_LOGIN: {
            "email": "nurse2@hospital.test", "email_verified": true,
            "groups": ["ward-7"]
        },
        DOCTOR2_LOGIN: { "email": "Doctor2@Hospital.TEST", "email_verified": true },
        IMPOSTOR_LOGIN: { "email": "doctor@hospital.test", "email_verified": false },
        STRANGER_LOGIN: { "email": "stranger@elsewhere.test", "email_verified": true },
    })
}

pub struct TestProvider {
    pub issuer: String,
    _child: Child,
}

fn package_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc-provider")
}

/// The provider for this test run, or `None` with a SKIPPED message when
/// node or the package is not installed. In CI that is a failure instead.
pub fn provider(test: &str) -> Option<&'static TestProvider> {
    static PROVIDER: OnceLock<Option<TestProvider>> = OnceLock::new();
    let provider = PROVIDER.get_or_init(start).as_ref();
    if provider.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the test OpenID provider is required in CI: run `npm ci --prefix crates/server/tests/oidc-provider`"
        );
        eprintln!(
            "SKIPPED {test}: the test OpenID provider is not installed (npm ci --prefix crates/server/tests/oidc-provider)"
        );
    }
    provider
}

fn start() -> Option<TestProvider> {
    let dir = package_dir();
    let node_present = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_present || !dir.join("node_modules/oidc-provider").is_dir() {
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let issuer = format!("http://127.0.0.1:{port}");
    let mut child = Command::new("node")
        .arg("server.js")
        .current_dir(&dir)
        .env("OIDC_PORT", port.to_string())
        .env("OIDC_ISSUER", &issuer)
        .env("OIDC_CLIENT_ID", CLIENT_ID)
        .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
        .env(
            "OIDC_REDIRECT_URIS",
            format!("{PUBLIC_ORIGIN}{CALLBACK_PATH}"),
        )
        .env("OIDC_ACCOUNTS", accounts().to_string())
        .env("OIDC_STOP_WITH_STDIN", "1")
        // Keep the provider's own debug output quiet.
        .env_remove("DEBUG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node starts");
    let stdout = child.stdout.take().unwrap();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("oidc-provider ready at") {
                let _ = ready_tx.send(());
            }
        }
    });
    ready_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the test OpenID provider did not start within 30 seconds");
    // The child's standard input stays open for as long as this process
    // runs; when the test binary exits, the provider stops with it.
    Some(TestProvider {
        issuer,
        _child: child,
    })
}

/// The environment that configures HealthSecure for the test provider.
pub fn sso_env(provider: &TestProvider) -> Vec<(&'static str, String)> {
    vec![
        ("OIDC_TEST_ISSUER", provider.issuer.clone()),
        ("OIDC_TEST_CLIENT_ID", CLIENT_ID.into()),
        ("OIDC_TEST_CLIENT_SECRET", CLIENT_SECRET.into()),
        (
            "OIDC_TEST_REDIRECT_URL",
            format!("{PUBLIC_ORIGIN}{CALLBACK_PATH}"),
        ),
        ("OIDC_TEST_NAME", "Hospital login".into()),
    ]
}

/// One browser: a cookie jar for the provider, and HealthSecure's flow
/// cookie kept by hand so tests can swap or alter it.
pub struct Browser {
    idp: reqwest::Client,
}

/// A flow started at HealthSecure.
#[derive(Clone, Debug)]
pub struct Started {
    pub authorize_url: Url,
    /// The `hs_oidc=...` pair to send back, without attributes.
    pub flow_cookie: String,
    /// The whole `Set-Cookie` value, attributes included.
    pub set_cookie: String,
}

impl Started {
    pub fn param(&self, name: &str) -> Option<String> {
        param(&self.authorize_url, name)
    }
}

pub fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

/// What the provider sent the browser back with: the callback's path and
/// query on HealthSecure.
#[derive(Clone, Debug)]
pub struct Callback {
    pub path_and_query: String,
}

impl Callback {
    pub fn url(&self) -> Url {
        Url::parse(&format!("{PUBLIC_ORIGIN}{}", self.path_and_query)).unwrap()
    }

    pub fn param(&self, name: &str) -> Option<String> {
        param(&self.url(), name)
    }

    /// The same callback with one parameter replaced, or removed (`None`).
    pub fn with(&self, name: &str, value: Option<&str>) -> Callback {
        let url = self.url();
        let mut pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(n, _)| n != name)
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        if let Some(value) = value {
            pairs.push((name.to_string(), value.to_string()));
        }
        let query = reqwest::Url::parse_with_params("http://x/", &pairs).unwrap();
        Callback {
            path_and_query: format!("{}?{}", url.path(), query.query().unwrap_or_default()),
        }
    }
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

impl Browser {
    pub fn new() -> Browser {
        let idp = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { idp }
    }

    /// `GET /api/auth/oidc/test/login`, with `return_to` when given.
    pub async fn start_raw(&self, app: &TestApp, return_to: Option<&str>) -> reqwest::Response {
        let mut url = Url::parse(&app.url(&format!("/api/auth/oidc/{PROVIDER_ID}/login"))).unwrap();
        if let Some(path) = return_to {
            url.query_pairs_mut().append_pair("return_to", path);
        }
        app.http.get(url).send().await.unwrap()
    }

    pub async fn start(&self, app: &TestApp, return_to: Option<&str>) -> Started {
        let response = self.start_raw(app, return_to).await;
        assert_eq!(
            response.status(),
            StatusCode::FOUND,
            "the flow did not start"
        );
        let location = response.headers()["location"].to_str().unwrap();
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        let flow_cookie = set_cookie.split(';').next().unwrap().trim().to_string();
        Started {
            authorize_url: Url::parse(location).unwrap(),
            flow_cookie,
            set_cookie,
        }
    }

    /// Follows the provider's pages from `authorize_url` as a person would:
    /// signs in as `login`, consents, and returns where the provider sends
    /// the browser back to HealthSecure.
    pub async fn sign_in_at_provider(&self, authorize_url: &Url, login: &str) -> Callback {
        self.walk(authorize_url.clone(), Some(login)).await
    }

    /// Goes to the provider and cancels on its sign-in page.
    pub async fn cancel_at_provider(&self, authorize_url: &Url) -> Callback {
        self.walk(authorize_url.clone(), None).await
    }

    async fn walk(&self, mut url: Url, login: Option<&str>) -> Callback {
        for _ in 0..12 {
            let callback_base = format!("{PUBLIC_ORIGIN}{CALLBACK_PATH}");
            if url.as_str().starts_with(&callback_base) {
                return Callback {
                    path_and_query: format!("{}?{}", url.path(), url.query().unwrap_or_default()),
                };
            }
            let response = self.idp.get(url.clone()).send().await.unwrap();
            let response = if response.status() == StatusCode::OK {
                let page = response.text().await.unwrap();
                let form = if page.contains("name=\"prompt\" value=\"login\"") {
                    match login {
                        Some(login) => {
                            vec![("prompt", "login"), ("login", login), ("password", "any")]
                        }
                        None => {
                            url = url.join(&format!("{}/abort", url.path())).unwrap();
                            continue;
                        }
                    }
                } else if page.contains("name=\"prompt\" value=\"consent\"") {
                    vec![("prompt", "consent")]
                } else {
                    panic!("unexpected provider page at {url}: {page}");
                };
                self.idp.post(url.clone()).form(&form).send().await.unwrap()
            } else {
                response
            };
            assert!(
                response.status().is_redirection(),
                "the provider answered {} at {url}",
                response.status()
            );
            let location = response.headers()["location"].to_str().unwrap();
            url = url.join(location).unwrap();
        }
        panic!("the provider did not send the browser back");
    }
}

impl TestApp {
    /// Sends the provider's callback to this server, with the given cookie
    /// header (the flow cookie, or none).
    pub async fn sso_callback(
        &self,
        callback: &Callback,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.http.get(self.url(&callback.path_and_query));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }
}

/// The cookies a response sets, by name, as whole `Set-Cookie` values.
pub fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

pub fn cookie_named(cookies: &[String], name: &str) -> Option<String> {
    cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .cloned()
}
