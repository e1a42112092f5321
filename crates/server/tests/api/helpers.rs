//! The test harness: a prepared database template, `spawn_app()` and typed
//! request helpers.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use healthsecure::fhir::{PatientBundle, parse_bundle};
use healthsecure::store::entities::audit_log;
use reqwest::{Response, StatusCode};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct horse battery staple";
pub const JWT_SECRET: &str = "test-signing-key-Zq8vN3kLm2Pw9Xr4Ty7Ub1Ce6Hd5Jf0GaQs";
/// 32 bytes, standard base64.
pub const PHI_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
pub const JWT_ISSUER: &str = "healthsecure";
pub const JWT_AUDIENCE: &str = "healthsecure-api";

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_healthsecure")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir")
        .join(name)
}

/// The shared Synthea bundles, when this checkout has them beside it.
pub fn real_data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/synthea-r4");
    dir.is_dir()
        .then(|| dir.canonicalize().expect("readable data folder"))
}

/// Says clearly that a real-data test did not run.
pub fn skip_without_real_data(test: &str) -> Option<PathBuf> {
    let dir = real_data_dir();
    if dir.is_none() {
        eprintln!("SKIPPED {test}: ../shared/data/synthea-r4 is not present in this checkout");
    }
    dir
}

/// Parsed bundles, as ground truth for what the server should show.
pub fn fixture_bundle() -> PatientBundle {
    parse_bundle(&std::fs::read(fixture("valid_bundle.json")).unwrap()).unwrap()
}

pub fn real_bundles() -> Vec<PatientBundle> {
    let Some(dir) = real_data_dir() else {
        return Vec::new();
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| parse_bundle(&std::fs::read(f).unwrap()).ok())
        .collect()
}

/// Runs the CLI with the test environment; panics with its output on failure.
pub fn cli(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    crate::test_db::ensure_database(data_dir);
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(data_dir)
        .envs(base_env(data_dir));
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the healthsecure binary starts");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

pub fn database_url(data_dir: &Path) -> String {
    crate::test_db::database_url(data_dir)
}

fn base_env(data_dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("ENVIRONMENT", "development".into()),
        ("DATA_DIR", data_dir.display().to_string()),
        ("DATABASE_URL", database_url(data_dir)),
        ("JWT_SECRET", JWT_SECRET.into()),
        ("PHI_ENCRYPTION_KEY", PHI_KEY.into()),
        ("BCRYPT_COST", "12".into()),
        ("LOG_LEVEL", "debug".into()),
        // Tests about other things sign administrators in with a password
        // alone; the tests in `mfa.rs` start the server with the product's
        // default (`admin`) instead.
        ("MFA_REQUIRED_ROLES", String::new()),
        (
            "STATIC_DIR",
            data_dir.join("no-web-app").display().to_string(),
        ),
    ]
}

pub struct Staff {
    pub email: &'static str,
    pub role: &'static str,
}

pub const DOCTOR: Staff = Staff {
    email: "doctor@hospital.test",
    role: "doctor",
};
pub const DOCTOR2: Staff = Staff {
    email: "doctor2@hospital.test",
    role: "doctor",
};
pub const NURSE: Staff = Staff {
    email: "nurse@hospital.test",
    role: "nurse",
};
pub const NURSE2: Staff = Staff {
    email: "nurse2@hospital.test",
    role: "nurse",
};
pub const ADMIN: Staff = Staff {
    email: "admin@hospital.test",
    role: "admin",
};

/// A database prepared once per test run: the fixture bundle, the real
/// bundles when present, and one account per role.
struct Template {
    dir: PathBuf,
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let out = cli(
            &dir,
            &[
                "import-fhir",
                fixture("valid_bundle.json").to_str().unwrap(),
            ],
            None,
        );
        assert!(
            out.status.success(),
            "fixture import failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if let Some(real) = real_data_dir() {
            let out = cli(&dir, &["import-fhir", real.to_str().unwrap()], None);
            assert!(
                out.status.success(),
                "real import failed: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        for (staff, name) in [
            (DOCTOR, "Dr Test One"),
            (DOCTOR2, "Dr Test Two"),
            (NURSE, "Nurse Test One"),
            (NURSE2, "Nurse Test Two"),
            (ADMIN, "Admin Test"),
        ] {
            let args = [
                "user",
                "create",
                "--email",
                staff.email,
                "--name",
                name,
                "--role",
                staff.role,
                "--password-stdin",
            ];
            let out = cli(&dir, &args, Some(PASSWORD));
            assert!(
                out.status.success(),
                "user create failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Template { dir }
    })
}

pub struct TestApp {
    /// The first instance's address.
    pub base: String,
    pub http: reqwest::Client,
    /// Shared by every instance started on the same database.
    pub dir: Arc<tempfile::TempDir>,
    instances: Vec<Instance>,
    /// Which instance answers the next request, when there are several.
    turn: AtomicUsize,
    env: Vec<(String, String)>,
    /// The test's own Redis, when the suite runs on MariaDB.
    redis: Option<Arc<Redis>>,
}

/// One running `healthsecure serve` process.
struct Instance {
    base: String,
    child: Child,
    logs: Arc<Mutex<String>>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for instance in &mut self.instances {
            let _ = instance.child.kill();
            let _ = instance.child.wait();
        }
        if !std::thread::panicking() {
            self.assert_no_phi_leaked();
        }
    }
}

/// Values that must never appear in logs or the audit trail: the imported
/// patients' SSNs, names and birth dates and the diagnoses of their records,
/// as the source bundles hold them.
fn protected_values() -> &'static [String] {
    static VALUES: OnceLock<Vec<String>> = OnceLock::new();
    VALUES.get_or_init(|| {
        let mut values = std::collections::BTreeSet::new();
        for bundle in std::iter::once(fixture_bundle()).chain(real_bundles()) {
            let patient = &bundle.patient;
            values.insert(patient.first_name.clone());
            values.insert(patient.last_name.clone());
            values.insert(patient.date_of_birth.to_string());
            if let Some(ssn) = &patient.ssn {
                values.insert(ssn.clone());
                values.insert(ssn.replace('-', ""));
            }
            for record in &bundle.records {
                if record.diagnosis.len() > 12 {
                    values.insert(record.diagnosis.clone());
                }
            }
        }
        values.into_iter().filter(|v| v.len() >= 4).collect()
    })
}

impl TestApp {
    /// Run after every test: the application's output and the stored audit
    /// trail are scanned for protected values, so the whole suite doubles
    /// as a PHI leak scan.
    fn assert_no_phi_leaked(&self) {
        let logs = self.logs();
        let url = database_url(self.dir.path());
        let audit = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let db = healthsecure::store::connect(&url, 1).await.ok()?;
                let rows = audit_log::Entity::find().all(&db).await.ok()?;
                Some(format!("{rows:?}"))
            })
        })
        .join()
        .unwrap()
        .unwrap_or_default();
        for value in protected_values() {
            assert!(
                !logs.contains(value.as_str()),
                "the server's output contains a protected value"
            );
            assert!(
                !audit.contains(value.as_str()),
                "the audit trail contains a protected value"
            );
        }
    }
}

/// Starts the server on a free port against a fresh copy of the template.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// On SQLite one instance answers. On MariaDB (`scripts/test-mariadb`)
/// the test also gets a Redis of its own and two instances sharing the
/// database and the Redis, and requests alternate between them as a load
/// balancer would send them.
pub async fn spawn_app_with(extra_env: &[(&str, &str)]) -> TestApp {
    let template = template();
    let dir = tempfile::tempdir().unwrap();
    crate::test_db::copy_database(&template.dir, dir.path());
    let mut env: Vec<(String, String)> = extra_env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut redis = None;
    if crate::test_db::on_mariadb() && !env.iter().any(|(k, _)| k == "REDIS_URL") {
        let own = Arc::new(Redis::start("spawn_app").expect("redis-server runs the MariaDB pass"));
        env.push(("REDIS_URL".into(), own.url()));
        redis = Some(own);
    }
    let dir = Arc::new(dir);
    let replicas = if crate::test_db::on_mariadb() { 2 } else { 1 };
    let mut instances = Vec::new();
    for _ in 0..replicas {
        instances.push(start_instance(&dir, &env).await);
    }
    TestApp::new(dir, instances, env, redis)
}

impl TestApp {
    /// Starts another API instance on the same database with the same
    /// settings, as a second replica behind a load balancer would run.
    pub async fn spawn_peer(&self) -> TestApp {
        let instance = start_instance(&self.dir, &self.env).await;
        TestApp::new(
            self.dir.clone(),
            vec![instance],
            self.env.clone(),
            self.redis.clone(),
        )
    }

    fn new(
        dir: Arc<tempfile::TempDir>,
        instances: Vec<Instance>,
        env: Vec<(String, String)>,
        redis: Option<Arc<Redis>>,
    ) -> TestApp {
        // The HTTP client's TLS stack needs its crypto provider chosen, as
        // the server's does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base: instances[0].base.clone(),
            http,
            dir,
            instances,
            turn: AtomicUsize::new(0),
            env,
            redis,
        }
    }
}

async fn start_instance(dir: &Arc<tempfile::TempDir>, env: &[(String, String)]) -> Instance {
    let mut command = Command::new(binary());
    command
        .arg("serve")
        .current_dir(dir.path())
        .envs(base_env(dir.path()))
        .env("SERVER_PORT", "0")
        .env("BIND_ADDRESS", "127.0.0.1")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the server starts");
    let logs = Arc::new(Mutex::new(String::new()));
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let logs = logs.clone();
        let address_tx = address_tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Ok(event) = serde_json::from_str::<Value>(&line)
                    && event["message"] == "listening"
                {
                    let scheme = event["scheme"].as_str().unwrap_or("http");
                    let address = event["address"].as_str().unwrap_or_default();
                    let _ = address_tx.send(format!("{scheme}://{address}"));
                }
                let mut logs = logs.lock().unwrap();
                logs.push_str(&line);
                logs.push('\n');
            }
        });
    }
    let address = address_rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("server did not start: {}", logs.lock().unwrap()));
    Instance {
        base: address,
        child,
        logs,
    }
}

/// A real Redis server on a free loopback port, for this test only.
pub struct Redis {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Redis {
    /// Starts `redis-server`. Without one installed the test is skipped
    /// with a message, except in CI, where that is a failure.
    pub fn start(test: &str) -> Option<Redis> {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            assert!(
                std::env::var_os("CI").is_none(),
                "redis-server is required in CI"
            );
            eprintln!("SKIPPED {test}: redis-server is not installed");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut redis = Redis {
            port,
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        redis.restart();
        Some(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts (again) on the same port, with empty state, and waits until
    /// it answers.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        for _ in 0..200 {
            if self.answers() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("redis-server did not come up on port {}", self.port);
    }

    fn answers(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let mut reply = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub refresh_token: String,
    pub user_id: i64,
}

impl TestApp {
    /// The address of `path` on the instance whose turn it is.
    pub fn url(&self, path: &str) -> String {
        let turn = self.turn.fetch_add(1, Ordering::Relaxed);
        let instance = &self.instances[turn % self.instances.len()];
        format!("{}{}", instance.base, path)
    }

    /// `path` on every instance, in order.
    pub fn urls_on_every_instance(&self, path: &str) -> Vec<String> {
        self.instances
            .iter()
            .map(|i| format!("{}{}", i.base, path))
            .collect()
    }

    /// What the first instance has logged so far.
    pub fn first_instance_logs(&self) -> String {
        self.instances[0].logs.lock().unwrap().clone()
    }

    /// Sends SIGTERM to the first instance, as an orchestrator stopping it would.
    pub fn terminate_first_instance(&self) {
        let pid = self.instances[0].child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success(), "kill -TERM {pid} failed");
    }

    /// Waits (up to `limit`) for the first instance to exit, and its status.
    pub fn wait_first_instance(&mut self, limit: Duration) -> std::process::ExitStatus {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.instances[0].child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "the server did not stop within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything every instance has logged so far.
    pub fn logs(&self) -> String {
        self.instances
            .iter()
            .map(|i| i.logs.lock().unwrap().clone())
            .collect()
    }

    pub async fn login_raw(&self, email: &str, password: &str) -> Response {
        self.http
            .post(self.url("/api/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, staff: &Staff) -> Session {
        let response = self.login_raw(staff.email, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "login of {} failed",
            staff.email
        );
        let body: Value = response.json().await.unwrap();
        Session {
            token: body["access_token"].as_str().unwrap().to_string(),
            refresh_token: body["refresh_token"].as_str().unwrap().to_string(),
            user_id: body["user"]["id"].as_i64().unwrap(),
        }
    }

    pub async fn get(&self, path: &str, session: &Session) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(&session.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_with_token(&self, path: &str, token: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, session: &Session, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(&session.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, path: &str, session: &Session, body: Value) -> Response {
        self.http
            .put(self.url(path))
            .bearer_auth(&session.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str, session: &Session, body: Value) -> Response {
        self.http
            .delete(self.url(path))
            .bearer_auth(&session.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// The patient id for an MRN, looked up as the administrator.
    pub async fn patient_id(&self, admin: &Session, mrn: &str) -> i64 {
        let response = self
            .get(&format!("/api/admin/patients/lookup?mrn={mrn}"), admin)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    pub async fn assign(&self, admin: &Session, user_id: i64, patient_id: i64) {
        let response = self
            .post(
                "/api/admin/care-team",
                admin,
                json!({ "user_id": user_id, "patient_id": patient_id }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "assignment failed");
    }

    /// The audit trail as stored, read directly from the database.
    pub async fn audit_rows(&self) -> Vec<audit_log::Model> {
        let db = healthsecure::store::connect(&database_url(self.dir.path()), 1)
            .await
            .unwrap();
        let rows = audit_log::Entity::find()
            .order_by_asc(audit_log::Column::Id)
            .all(&db)
            .await
            .unwrap();
        db.close().await.unwrap();
        rows
    }

    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        cli(self.dir.path(), args, None)
    }
}

/// Reads a JSON body, asserting the status first.
pub async fn json_of(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

/// Asserts the contract's error shape and returns the code.
pub async fn error_code(response: Response, status: StatusCode) -> String {
    let body = json_of(response, status).await;
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "error message missing: {body}"
    );
    assert!(
        body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "request id missing: {body}"
    );
    body["code"].as_str().unwrap().to_string()
}

/// The care team used by most tests: DOCTOR and NURSE on the fixture patient.
pub struct Ward {
    pub admin: Session,
    pub doctor: Session,
    pub nurse: Session,
    pub patient_id: i64,
}

pub async fn ward(app: &TestApp) -> Ward {
    let admin = app.login(&ADMIN).await;
    let doctor = app.login(&DOCTOR).await;
    let nurse = app.login(&NURSE).await;
    let patient_id = app.patient_id(&admin, &fixture_bundle().patient.mrn).await;
    app.assign(&admin, doctor.user_id, patient_id).await;
    app.assign(&admin, nurse.user_id, patient_id).await;
    Ward {
        admin,
        doctor,
        nurse,
        patient_id,
    }
}

/// Whether a helper program the tests need is present; outside CI its
/// absence skips the test with a message, in CI it is a failure.
pub fn tool_present(test: &str, program: &str, args: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required in CI"
        );
        eprintln!("SKIPPED {test}: {program} is not available");
    }
    ok
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16) {
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("nothing listens on port {port}");
}

/// A real SMTP server (Python's aiosmtpd) writing each message it accepts
/// into a maildir.
pub struct SmtpSink {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Child,
}

impl SmtpSink {
    pub fn start(test: &str) -> Option<SmtpSink> {
        if !tool_present(test, "python3", &["-c", "import aiosmtpd"]) {
            return None;
        }
        let port = free_port();
        let maildir = tempfile::tempdir().unwrap();
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        wait_for_port(port);
        Some(SmtpSink {
            port,
            maildir,
            child,
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The raw messages received so far.
    pub fn messages(&self) -> Vec<String> {
        let new = self.maildir.path().join("mail/new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }

    pub async fn wait_for_messages(&self, count: usize) -> Vec<String> {
        for _ in 0..100 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.messages()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request the webhook receiver got: its headers and raw body.
pub type Delivery = (axum::http::HeaderMap, Vec<u8>);

/// A plain HTTP server on loopback that keeps every request posted to it.
pub struct WebhookReceiver {
    pub url: String,
    pub received: Arc<Mutex<Vec<Delivery>>>,
}

impl WebhookReceiver {
    pub async fn start() -> WebhookReceiver {
        let received: Arc<Mutex<Vec<Delivery>>> = Arc::default();
        let store = received.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let store = store.clone();
                    async move {
                        store.lock().unwrap().push((headers, body.to_vec()));
                        "ok"
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        WebhookReceiver { url, received }
    }

    pub async fn wait_for(&self, count: usize) -> Vec<Delivery> {
        for _ in 0..100 {
            if self.received.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.received.lock().unwrap().clone()
    }
}

impl TestApp {
    /// Stops every instance, as a crash or a deployment would.
    pub fn stop(&mut self) {
        for instance in &mut self.instances {
            let _ = instance.child.kill();
            let _ = instance.child.wait();
        }
    }
}
