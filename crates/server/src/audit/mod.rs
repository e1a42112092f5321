//! The audit trail: typed events, the group-commit writer that makes each
//! one durable before its response leaves, and the hash chain that makes
//! tampering visible.
//!
//! Events name patients and records by internal id and list field names,
//! never values. Free text a user supplied (a break-glass reason, a user
//! agent, an attempted login name) is kept as data, capped in length.
//!
//! Nothing here updates or deletes a row: the trail is read by `query` and
//! `export` and only ever extended by the writer.

mod chain;
pub mod export;
pub mod filter;
pub mod query;
pub mod row;
mod writer;

pub use chain::{ChainReport, format_timestamp, verify_chain};
pub use filter::{AuditFilter, AuditSearch, ExportFormat, ExportRequest};
pub use row::AuditRow;
pub use writer::{AuditError, AuditSink};

use chrono::{DateTime, SubsecRound, Utc};

use crate::http::context::ClientInfo;
use crate::policy::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    AuthLogin,
    AuthLoginFailed,
    AuthLogout,
    AuthRefresh,
    AuthRefreshReuse,
    AuthTokenRejected,
    AuthPasswordChange,
    PatientList,
    PatientView,
    PatientCreate,
    PatientUpdate,
    PatientLookup,
    PatientImport,
    RecordList,
    RecordView,
    RecordCreate,
    RecordUpdate,
    UserList,
    UserCreate,
    UserUpdate,
    UserDeactivate,
    UserActivate,
    CareTeamAssign,
    CareTeamRemove,
    EmergencyRequest,
    EmergencyActivate,
    EmergencyRevoke,
    EmergencyReview,
    EmergencyExpired,
    EmergencyList,
    EmergencyMonitor,
    AuthLogoutAll,
    /// A browser was sent to a single sign-on provider.
    AuthSsoStart,
    /// A single sign-on completed and a session was issued.
    AuthSsoLogin,
    /// A single sign-on callback or start was refused.
    AuthSsoRejected,
    AuditView,
    AuditExport,
    AuditVerify,
    PatientAccessReport,
    DisclosureCreate,
    AuditMonitor,
    /// A correct password; the second factor was asked for.
    AuthMfaChallenge,
    /// A second factor (code or recovery code) completed a sign-in.
    AuthMfa,
    /// A second factor was refused.
    AuthMfaFailed,
    /// An authenticator was set up (started or confirmed).
    AuthMfaEnroll,
    /// An administrator removed a user's authenticator.
    AuthMfaReset,
    /// A signed-in user proved who they are again, for step-up actions.
    AuthReauth,
    AuthReauthFailed,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AuthLogin => "auth.login",
            Action::AuthLoginFailed => "auth.login_failed",
            Action::AuthLogout => "auth.logout",
            Action::AuthRefresh => "auth.refresh",
            Action::AuthRefreshReuse => "auth.refresh_reuse",
            Action::AuthTokenRejected => "auth.token_rejected",
            Action::AuthPasswordChange => "auth.password_change",
            Action::PatientList => "patient.list",
            Action::PatientView => "patient.view",
            Action::PatientCreate => "patient.create",
            Action::PatientUpdate => "patient.update",
            Action::PatientLookup => "patient.lookup",
            Action::PatientImport => "patient.import",
            Action::RecordList => "record.list",
            Action::RecordView => "record.view",
            Action::RecordCreate => "record.create",
            Action::RecordUpdate => "record.update",
            Action::UserList => "user.list",
            Action::UserCreate => "user.create",
            Action::UserUpdate => "user.update",
            Action::UserDeactivate => "user.deactivate",
            Action::UserActivate => "user.activate",
            Action::CareTeamAssign => "care_team.assign",
            Action::CareTeamRemove => "care_team.remove",
            Action::EmergencyRequest => "emergency.request",
            Action::EmergencyActivate => "emergency.activate",
            Action::EmergencyRevoke => "emergency.revoke",
            Action::EmergencyReview => "emergency.review",
            Action::EmergencyExpired => "emergency.expired",
            Action::EmergencyList => "emergency.list",
            Action::EmergencyMonitor => "emergency.monitor",
            Action::AuthLogoutAll => "auth.logout_all",
            Action::AuthSsoStart => "auth.sso_start",
            Action::AuthSsoLogin => "auth.sso_login",
            Action::AuthSsoRejected => "auth.sso_rejected",
            Action::AuditView => "audit.view",
            Action::AuditExport => "audit.export",
            Action::AuditVerify => "audit.verify",
            Action::PatientAccessReport => "patient.access_report",
            Action::DisclosureCreate => "disclosure.create",
            Action::AuditMonitor => "audit.monitor",
            Action::AuthMfaChallenge => "auth.mfa_challenge",
            Action::AuthMfa => "auth.mfa",
            Action::AuthMfaFailed => "auth.mfa_failed",
            Action::AuthMfaEnroll => "auth.mfa_enroll",
            Action::AuthMfaReset => "auth.mfa_reset",
            Action::AuthReauth => "auth.reauth",
            Action::AuthReauthFailed => "auth.reauth_failed",
        }
    }

    /// The kind of thing the action touches, as stored in `resource`.
    pub fn resource(self) -> &'static str {
        let name = self.as_str();
        match name.split_once('.').map(|(head, _)| head) {
            Some("auth") => "session",
            Some("patient") => "patient",
            Some("record") => "medical_record",
            Some("user") => "user",
            Some("care_team") => "care_team",
            Some("emergency") => "emergency_access",
            Some("audit") => "audit_log",
            Some("disclosure") => "disclosure",
            _ => "system",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// Purpose of use, in the HL7 vocabulary: ordinary treatment or
/// emergency treatment under a break-glass grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Treatment,
    EmergencyTreatment,
    Operations,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Treatment => "TREAT",
            Purpose::EmergencyTreatment => "ETREAT",
            Purpose::Operations => "HOPERAT",
        }
    }
}

const REASON_CAP: usize = 1000;

/// One audit event, as handlers and services describe it.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub timestamp: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub role: Option<Role>,
    pub action: Action,
    pub patient_id: Option<i64>,
    pub record_id: Option<i64>,
    pub outcome: Outcome,
    pub reason_code: Option<&'static str>,
    pub emergency_access_id: Option<i64>,
    pub purpose: Option<Purpose>,
    pub fields_released: Vec<&'static str>,
    pub fields_withheld: Vec<&'static str>,
    pub reason: Option<String>,
    pub client: ClientInfo,
}

impl AuditEvent {
    pub fn new(action: Action, outcome: Outcome, client: &ClientInfo) -> Self {
        AuditEvent {
            // Microseconds are what every engine stores, and the hash must
            // cover exactly what is stored.
            timestamp: Utc::now().trunc_subsecs(6),
            user_id: None,
            role: None,
            action,
            patient_id: None,
            record_id: None,
            outcome,
            reason_code: None,
            emergency_access_id: None,
            purpose: None,
            fields_released: Vec::new(),
            fields_withheld: Vec::new(),
            reason: None,
            client: client.clone(),
        }
    }

    pub fn by(mut self, user_id: i64, role: Role) -> Self {
        self.user_id = Some(user_id);
        self.role = Some(role);
        self
    }

    pub fn patient(mut self, patient_id: i64) -> Self {
        self.patient_id = Some(patient_id);
        self
    }

    pub fn record(mut self, record_id: i64) -> Self {
        self.record_id = Some(record_id);
        self
    }

    pub fn reason_code(mut self, code: &'static str) -> Self {
        self.reason_code = Some(code);
        self
    }

    /// Keeps user-supplied text as data, capped so a hostile client cannot
    /// bloat the trail.
    pub fn reason_text(mut self, text: &str) -> Self {
        self.reason = Some(text.chars().take(REASON_CAP).collect());
        self
    }

    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = Some(purpose);
        self
    }

    pub fn emergency(mut self, grant_id: i64) -> Self {
        self.emergency_access_id = Some(grant_id);
        self
    }

    pub fn fields(mut self, released: Vec<&'static str>, withheld: Vec<&'static str>) -> Self {
        self.fields_released = released;
        self.fields_withheld = withheld;
        self
    }
}
