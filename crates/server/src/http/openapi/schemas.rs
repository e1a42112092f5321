//! Request and response bodies. Requests list every field the handler
//! accepts and nothing else (unknown fields are refused with `400`);
//! answers list their fields with the types and nullability they are sent
//! with, and require the ones every caller gets (role filtering leaves some
//! out).

use serde_json::{Map, Value, json};

fn text() -> Value {
    json!({ "type": "string" })
}

fn text_or_null() -> Value {
    json!({ "type": "string", "nullable": true })
}

fn id() -> Value {
    json!({ "type": "integer", "format": "int64" })
}

fn id_or_null() -> Value {
    json!({ "type": "integer", "format": "int64", "nullable": true })
}

fn count() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

fn flag() -> Value {
    json!({ "type": "boolean" })
}

fn instant() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn instant_or_null() -> Value {
    json!({ "type": "string", "format": "date-time", "nullable": true })
}

fn day() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn one_of(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

/// An object with these properties, of which `required` must be present.
fn object(properties: &[(&str, Value)], required: &[&str]) -> Value {
    let properties: Map<String, Value> = properties
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    json!({ "type": "object", "properties": properties, "required": required })
}

/// A request body: exactly these properties.
fn request(properties: &[(&str, Value)], required: &[&str]) -> Value {
    let mut schema = object(properties, required);
    schema["additionalProperties"] = json!(false);
    schema
}

fn page_of(item: &str) -> Value {
    object(
        &[
            (
                "items",
                json!({ "type": "array", "items": super::reference(item) }),
            ),
            ("page", count()),
            ("page_size", count()),
            ("total", count()),
        ],
        &["items", "page", "page_size", "total"],
    )
}

const ROLES: &[&str] = &["doctor", "nurse", "admin"];
const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];
const RECORD_TYPES: &[&str] = &[
    "condition",
    "encounter",
    "medication",
    "procedure",
    "observation",
];

pub fn all() -> Value {
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: Value| {
        schemas.insert(name.to_string(), schema);
    };
    add(
        "Error",
        object(
            &[("error", text()), ("code", text()), ("request_id", text())],
            &["error", "code", "request_id"],
        ),
    );
    add("Health", object(&[("status", text())], &["status"]));
    add(
        "Readiness",
        object(
            &[
                ("status", one_of(&["ready", "not_ready"])),
                ("database", flag()),
                ("session_store", flag()),
                ("session_store_kind", text()),
            ],
            &["status", "database", "session_store"],
        ),
    );
    add("Id", object(&[("id", id())], &["id"]));
    auth_schemas(&mut add);
    patient_schemas(&mut add);
    emergency_schemas(&mut add);
    admin_schemas(&mut add);
    audit_schemas(&mut add);
    Value::Object(schemas)
}

fn auth_schemas(add: &mut impl FnMut(&str, Value)) {
    add(
        "Login",
        request(
            &[("email", text()), ("password", text())],
            &["email", "password"],
        ),
    );
    add(
        "Refresh",
        request(&[("refresh_token", text_or_null())], &[]),
    );
    add(
        "MfaChallenge",
        object(
            &[
                ("mfa_required", flag()),
                ("mfa_token", text()),
                ("enrollment_required", flag()),
            ],
            &["mfa_required", "mfa_token", "enrollment_required"],
        ),
    );
    add(
        "MfaVerify",
        request(
            &[
                ("mfa_token", text()),
                ("code", text()),
                ("recovery_code", text()),
            ],
            &["mfa_token"],
        ),
    );
    add("MfaEnroll", request(&[("mfa_token", text())], &[]));
    add(
        "MfaEnrollment",
        object(
            &[
                ("secret", text()),
                ("otpauth_url", text()),
                ("qr_svg", text()),
            ],
            &["secret", "otpauth_url", "qr_svg"],
        ),
    );
    add(
        "MfaConfirm",
        request(&[("code", text()), ("mfa_token", text())], &["code"]),
    );
    add(
        "RecoveryCodes",
        object(
            &[(
                "recovery_codes",
                json!({ "type": "array", "items": { "type": "string" } }),
            )],
            &["recovery_codes"],
        ),
    );
    add(
        "Reauth",
        request(&[("password", text()), ("code", text())], &[]),
    );
    add(
        "PasswordChange",
        request(
            &[("current_password", text()), ("new_password", text())],
            &["current_password", "new_password"],
        ),
    );
    add(
        "User",
        object(
            &[
                ("id", id()),
                ("email", text()),
                ("name", text()),
                ("role", one_of(ROLES)),
                ("active", flag()),
                ("must_change_password", flag()),
                ("last_login", instant_or_null()),
                ("created_at", instant()),
            ],
            &["id", "email", "name", "role", "active"],
        ),
    );
    add(
        "Session",
        object(
            &[
                ("access_token", text()),
                ("token_type", one_of(&["Bearer"])),
                ("expires_in", count()),
                ("idle_timeout_secs", count()),
                ("refresh_token", text()),
                ("user", super::reference("User")),
                (
                    "recovery_codes",
                    json!({ "type": "array", "items": { "type": "string" } }),
                ),
            ],
            &[
                "access_token",
                "token_type",
                "expires_in",
                "refresh_token",
                "user",
            ],
        ),
    );
}

fn patient_schemas(add: &mut impl FnMut(&str, Value)) {
    let demographics = [
        ("first_name", text()),
        ("last_name", text()),
        ("date_of_birth", day()),
        ("sex", text()),
        ("phone", text_or_null()),
        ("address", text_or_null()),
        ("emergency_contact", text_or_null()),
        ("ssn", text_or_null()),
    ];
    let mut patient = vec![("id", id()), ("mrn", text())];
    patient.extend(demographics.iter().cloned());
    patient.extend([("created_at", instant()), ("updated_at", instant())]);
    add(
        "Patient",
        object(
            &patient,
            &["id", "mrn", "first_name", "last_name", "date_of_birth"],
        ),
    );
    add("PatientPage", page_of("Patient"));
    let mut create = vec![("mrn", text_or_null())];
    create.extend(demographics.iter().cloned());
    add(
        "PatientCreate",
        request(
            &create,
            &["first_name", "last_name", "date_of_birth", "sex"],
        ),
    );
    let update: Vec<(&str, Value)> = demographics
        .iter()
        .map(|(name, _)| (*name, text_or_null()))
        .collect();
    add("PatientUpdate", request(&update, &[]));
    add(
        "Record",
        object(
            &[
                ("id", id()),
                ("patient_id", id()),
                ("doctor_id", id_or_null()),
                ("record_type", one_of(RECORD_TYPES)),
                ("diagnosis", text()),
                ("treatment", text_or_null()),
                ("notes", text_or_null()),
                ("medications", text_or_null()),
                ("severity", one_of(SEVERITIES)),
                ("sensitive", flag()),
                ("restricted", flag()),
                ("recorded_at", instant()),
                ("created_at", instant()),
                ("updated_at", instant()),
            ],
            &["id", "patient_id", "record_type", "sensitive", "restricted"],
        ),
    );
    add("RecordPage", page_of("Record"));
    add(
        "RecordCreate",
        request(
            &[
                ("record_type", one_of(RECORD_TYPES)),
                ("diagnosis", text()),
                ("treatment", text_or_null()),
                ("notes", text_or_null()),
                ("medications", text_or_null()),
                ("severity", one_of(SEVERITIES)),
                ("sensitive", flag()),
                ("recorded_at", instant_or_null()),
            ],
            &["record_type", "diagnosis", "severity"],
        ),
    );
    add(
        "RecordUpdate",
        request(
            &[
                ("diagnosis", text()),
                ("treatment", text_or_null()),
                ("notes", text_or_null()),
                ("medications", text_or_null()),
                ("severity", one_of(SEVERITIES)),
                ("sensitive", flag()),
            ],
            &[],
        ),
    );
    add(
        "DisclosureCreate",
        request(
            &[
                ("recipient", text()),
                ("purpose", text()),
                ("description", text()),
                ("disclosed_at", day()),
            ],
            &["recipient", "purpose", "description", "disclosed_at"],
        ),
    );
    add(
        "Disclosure",
        object(
            &[
                ("id", id()),
                ("patient_id", id()),
                ("recipient", text()),
                ("purpose", text()),
                ("description", text()),
                ("disclosed_at", day()),
                ("recorded_by", id()),
                ("recorded_at", instant()),
            ],
            &["id", "patient_id", "recipient", "disclosed_at"],
        ),
    );
    add(
        "AccessReportEntry",
        object(
            &[
                ("kind", one_of(&["access", "disclosure"])),
                ("at", instant()),
            ],
            &["kind", "at"],
        ),
    );
    add("AccessReport", page_of("AccessReportEntry"));
}

fn emergency_schemas(add: &mut impl FnMut(&str, Value)) {
    add(
        "EmergencyRequest",
        request(
            &[
                ("patient_id", id()),
                (
                    "reason_category",
                    one_of(&[
                        "emergency_treatment",
                        "patient_unable_to_consent",
                        "urgent_medication_reconciliation",
                        "other",
                    ]),
                ),
                (
                    "reason",
                    json!({ "type": "string", "minLength": 20, "maxLength": 1000 }),
                ),
            ],
            &["patient_id", "reason_category", "reason"],
        ),
    );
    add(
        "EmergencyRequested",
        object(
            &[
                ("id", id()),
                ("access_token", text()),
                ("expires_at", instant()),
                ("patient_id", id()),
            ],
            &["id", "access_token", "expires_at", "patient_id"],
        ),
    );
    add(
        "Grant",
        object(
            &[
                ("id", id()),
                ("user_id", id()),
                (
                    "user_role",
                    json!({ "type": "string", "enum": ROLES, "nullable": true }),
                ),
                ("patient_id", id()),
                ("reason_category", text()),
                ("reason", text_or_null()),
                ("requested_at", instant()),
                ("activated_at", instant_or_null()),
                ("expires_at", instant()),
                ("revoked_at", instant_or_null()),
                ("revoked_by", id_or_null()),
                ("reviewed_at", instant_or_null()),
                ("reviewed_by", id_or_null()),
                ("review_outcome", text_or_null()),
                ("review_note", text_or_null()),
                ("status", text()),
                ("review_overdue", flag()),
            ],
            &["id", "user_id", "patient_id", "status", "expires_at"],
        ),
    );
    add("GrantPage", page_of("Grant"));
    add(
        "EmergencyReview",
        request(
            &[
                (
                    "outcome",
                    one_of(&["justified", "unjustified", "needs_follow_up"]),
                ),
                ("note", text_or_null()),
            ],
            &["outcome"],
        ),
    );
}

fn admin_schemas(add: &mut impl FnMut(&str, Value)) {
    add("UserPage", page_of("User"));
    add(
        "UserCreate",
        request(
            &[
                ("email", text()),
                ("name", text()),
                ("role", one_of(ROLES)),
                ("password", text()),
                ("must_change_password", flag()),
            ],
            &["email", "name", "role", "password"],
        ),
    );
    add(
        "UserUpdate",
        request(&[("name", text()), ("role", one_of(ROLES))], &[]),
    );
    add(
        "PasswordReset",
        request(
            &[("password", text()), ("must_change_password", flag())],
            &["password"],
        ),
    );
    add(
        "CareTeamAssignment",
        request(
            &[("user_id", id()), ("patient_id", id())],
            &["user_id", "patient_id"],
        ),
    );
    add(
        "CareTeamAssigned",
        object(
            &[("user_id", id()), ("patient_id", id())],
            &["user_id", "patient_id"],
        ),
    );
}

fn audit_schemas(add: &mut impl FnMut(&str, Value)) {
    let names = json!({ "type": "array", "items": { "type": "string" } });
    add(
        "AuditRow",
        object(
            &[
                ("id", id()),
                ("timestamp", instant()),
                ("user_id", id_or_null()),
                ("role", text_or_null()),
                ("action", text()),
                ("resource", text()),
                ("patient_id", id_or_null()),
                ("record_id", id_or_null()),
                ("outcome", one_of(&["allowed", "denied", "failed"])),
                ("reason_code", text_or_null()),
                ("emergency_use", flag()),
                ("emergency_access_id", id_or_null()),
                ("purpose_of_use", text_or_null()),
                ("fields_released", names.clone()),
                ("fields_withheld", names),
                ("reason", text_or_null()),
                ("ip_address", text_or_null()),
                ("user_agent", text_or_null()),
                ("request_id", text_or_null()),
                ("prev_hash", text()),
                ("hash", text()),
            ],
            &["id", "timestamp", "action", "outcome", "hash"],
        ),
    );
    add("AuditPage", page_of("AuditRow"));
    add(
        "ChainReport",
        object(
            &[
                ("ok", flag()),
                ("rows", count()),
                ("first_bad_id", id_or_null()),
                ("last_hash", text_or_null()),
            ],
            &["ok", "rows", "first_bad_id"],
        ),
    );
}
