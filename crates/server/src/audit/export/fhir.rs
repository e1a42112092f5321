//! Audit rows as FHIR R4 `AuditEvent` resources, shaped after the IHE Basic
//! Audit Log Patterns (BALP), so the trail can be loaded into any FHIR
//! audit repository.
//!
//! The mapping works on the stored action name rather than today's enum:
//! rows written years ago under actions that have since been renamed must
//! still export. Unknown actions fall back to a generic RESTful event.

use serde_json::{Value, json};

use crate::store::entities::audit_log;

use super::super::chain::format_timestamp;

const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const EVENT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-event-type";
const RESTFUL: &str = "http://hl7.org/fhir/restful-interaction";
const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
const PRACTITIONER_ROLE: &str = "http://terminology.hl7.org/CodeSystem/practitioner-role";
const ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
const SOURCE_TYPE: &str = "http://terminology.hl7.org/CodeSystem/security-source-type";
const ENTITY_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
const OBJECT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/object-role";
const BALP_ENTITY: &str = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
const RECORD_ID_SYSTEM: &str = "urn:healthsecure:medical-record";
const EMERGENCY_GRANT: &str = "urn:healthsecure:emergency-access:";
const ACTION_SYSTEM: &str = "urn:healthsecure:audit-action";

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "system": system, "code": code, "display": display })
}

/// What the action did to its object, as a RESTful interaction and the
/// AuditEvent action code (C, R, U, D or E).
fn interaction(action: &str) -> (&'static str, &'static str) {
    let verb = action.rsplit('.').next().unwrap_or_default();
    match verb {
        "view" | "access_report" => ("read", "R"),
        "list" | "lookup" => ("search-type", "E"),
        "create" | "assign" | "import" | "request" => ("create", "C"),
        "update" | "activate" | "deactivate" | "review" | "password_change" => ("update", "U"),
        "remove" | "revoke" => ("delete", "D"),
        _ => ("operation", "E"),
    }
}

/// The event type and subtype: DICOM codes for sign-in, security and audit
/// events, the RESTful type for everything done to patient data.
fn event_type(action: &str) -> (Value, Vec<Value>, &'static str) {
    let (rest_code, action_code) = interaction(action);
    let dcm = |code, display| coding(DCM, code, display);
    let auth = || dcm("110114", "User Authentication");
    match action {
        "auth.login" | "auth.login_failed" | "auth.refresh" | "auth.sso_start"
        | "auth.sso_login" | "auth.sso_rejected" | "auth.mfa_challenge" | "auth.mfa"
        | "auth.mfa_failed" | "auth.reauth" | "auth.reauth_failed" => {
            (auth(), vec![dcm("110122", "Login")], "E")
        }
        "auth.logout" => (auth(), vec![dcm("110123", "Logout")], "E"),
        "auth.refresh_reuse" | "auth.token_rejected" => {
            (dcm("110113", "Security Alert"), vec![], "E")
        }
        "emergency.request" | "emergency.activate" => (
            dcm("110113", "Security Alert"),
            vec![dcm("110127", "Emergency Override Started")],
            action_code,
        ),
        "emergency.revoke" | "emergency.expired" => (
            dcm("110113", "Security Alert"),
            vec![dcm("110138", "Emergency Override Stopped")],
            action_code,
        ),
        _ if action.starts_with("auth.") || action.starts_with("user.") => (
            dcm("110137", "User Security Attributes Changed"),
            vec![],
            action_code,
        ),
        _ if action.starts_with("care_team.") => {
            (dcm("110136", "Security Roles Changed"), vec![], action_code)
        }
        _ if action.starts_with("audit.") => (dcm("110101", "Audit Log Used"), vec![], "E"),
        _ => (
            coding(EVENT_TYPE, "rest", "Restful Operation"),
            vec![coding(RESTFUL, rest_code, rest_code)],
            action_code,
        ),
    }
}

fn outcome_code(outcome: &str) -> &'static str {
    match outcome {
        "allowed" => "0",
        "denied" => "4",
        _ => "8",
    }
}

fn role_coding(role: &str) -> Value {
    match role {
        "doctor" => coding(PRACTITIONER_ROLE, "doctor", "Doctor"),
        "nurse" => coding(PRACTITIONER_ROLE, "nurse", "Nurse"),
        _ => coding(PRACTITIONER_ROLE, "ict", "ICT professional"),
    }
}

/// The person who acted, with their role, address and purpose of use.
fn user_agent(row: &audit_log::Model, action_code: &str) -> Value {
    let participation = match action_code {
        "C" | "U" | "D" => coding(PARTICIPATION, "AUT", "author (originator)"),
        _ => coding(PARTICIPATION, "IRCP", "information recipient"),
    };
    let mut agent = json!({
        "type": { "coding": [participation] },
        "requestor": true,
    });
    agent["who"] = match row.user_id {
        Some(id) => json!({ "reference": format!("Practitioner/{id}") }),
        None => json!({ "display": "unidentified user" }),
    };
    if let Some(role) = &row.role {
        agent["role"] = json!([{ "coding": [role_coding(role)], "text": role }]);
    }
    if let Some(ip) = &row.ip_address {
        agent["network"] = json!({ "address": ip, "type": "2" });
    }
    if let Some(purpose) = &row.purpose_of_use {
        agent["purposeOfUse"] = json!([{ "coding": [{ "system": ACT_REASON, "code": purpose }] }]);
    }
    if let Some(grant) = row.emergency_access_id {
        agent["policy"] = json!([format!("{EMERGENCY_GRANT}{grant}")]);
    }
    agent
}

/// The software the request came from, as it described itself.
fn client_agent(row: &audit_log::Model) -> Option<Value> {
    let software = row.user_agent.as_ref()?;
    Some(json!({
        "type": { "coding": [coding(DCM, "110153", "Source Role ID")] },
        "who": { "display": software },
        "requestor": false,
    }))
}

fn field_details(row: &audit_log::Model) -> Vec<Value> {
    [
        ("fields_released", &row.fields_released),
        ("fields_withheld", &row.fields_withheld),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        value
            .as_ref()
            .map(|v| json!({ "type": name, "valueString": v }))
    })
    .collect()
}

/// The patient, the record and the request the event concerned.
fn entities(row: &audit_log::Model) -> Vec<Value> {
    let mut entities = Vec::new();
    let details = field_details(row);
    if let Some(patient) = row.patient_id {
        let mut entity = json!({
            "what": { "reference": format!("Patient/{patient}") },
            "type": coding(ENTITY_TYPE, "1", "Person"),
            "role": coding(OBJECT_ROLE, "1", "Patient"),
        });
        if row.record_id.is_none() && !details.is_empty() {
            entity["detail"] = json!(details);
        }
        entities.push(entity);
    }
    if let Some(record) = row.record_id {
        let mut entity = json!({
            "what": { "identifier": { "system": RECORD_ID_SYSTEM, "value": record.to_string() } },
            "type": coding(ENTITY_TYPE, "2", "System Object"),
            "role": coding(OBJECT_ROLE, "4", "Domain Resource"),
        });
        if !details.is_empty() {
            entity["detail"] = json!(details);
        }
        entities.push(entity);
    }
    if let Some(request) = &row.request_id {
        entities.push(json!({
            "what": { "identifier": { "value": request } },
            "type": coding(BALP_ENTITY, "XrequestId", "X-Request-Id"),
        }));
    }
    entities
}

/// One audit row as an `AuditEvent`; `source_id` names this deployment as
/// the observer that recorded it.
pub fn audit_event(row: &audit_log::Model, source_id: &str) -> Value {
    let (kind, mut subtype, action_code) = event_type(&row.action);
    // HealthSecure's own action name travels along, so nothing is lost in
    // the translation to the shared vocabularies.
    subtype.push(coding(ACTION_SYSTEM, &row.action, &row.action));
    let mut agents = vec![user_agent(row, action_code)];
    agents.extend(client_agent(row));
    let mut event = json!({
        "resourceType": "AuditEvent",
        "id": row.id.to_string(),
        "type": kind,
        "subtype": subtype,
        "action": action_code,
        "recorded": format_timestamp(&row.timestamp),
        "outcome": outcome_code(&row.outcome),
        "agent": agents,
        "source": {
            "site": source_id,
            "observer": { "identifier": { "value": source_id }, "display": "HealthSecure" },
            "type": [coding(SOURCE_TYPE, "4", "Application Server")],
        },
    });
    if let Some(reason) = &row.reason_code {
        event["outcomeDesc"] = json!(reason);
    }
    let entities = entities(row);
    if !entities.is_empty() {
        event["entity"] = json!(entities);
    }
    event
}
