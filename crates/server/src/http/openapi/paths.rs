//! One entry per operation the router serves, grouped as the routers are.
//! Each summary says who may call it; the access rules themselves live in
//! the route guard and the services.

use serde_json::{Map, Value, json};

use super::{Op, op, reference};

fn page_of(name: &str) -> Value {
    reference(name)
}

fn integer() -> Value {
    json!({ "type": "integer", "minimum": 1 })
}

fn text() -> Value {
    json!({ "type": "string" })
}

fn order() -> Value {
    json!({ "type": "string", "enum": ["asc", "desc"] })
}

/// The audit trail's filters, shared by search and export.
fn audit_filters(op: Op) -> Op {
    live_audit_filters(op)
        .query("from", json!({ "type": "string", "format": "date-time" }))
        .query("to", json!({ "type": "string", "format": "date-time" }))
}

/// The filters of the live feed: the search's, without a time range.
fn live_audit_filters(op: Op) -> Op {
    op.query("user_id", integer())
        .query("patient_id", integer())
        .query("action", text())
        .query(
            "outcome",
            json!({ "type": "string", "enum": ["allowed", "denied", "failed"] }),
        )
        .query("emergency", json!({ "type": "boolean" }))
}

pub fn all() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    let mut add = |path: &str, method: &str, operation: Op| {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = operation.build();
    };
    operations(&mut add);
    Value::Object(paths)
}

fn operations(add: &mut impl FnMut(&str, &str, Op)) {
    ops(add);
    auth(add);
    patients(add);
    emergency(add);
    admin(add);
    audit(add);
}

fn ops(add: &mut impl FnMut(&str, &str, Op)) {
    add(
        "/healthz",
        "get",
        op("operations", "Anyone: the process is up")
            .public()
            .answer(200, "Up", reference("Health")),
    );
    add(
        "/readyz",
        "get",
        op(
            "operations",
            "Anyone: the database and the session store answer",
        )
        .public()
        .answer(200, "Ready", reference("Readiness"))
        .answer(503, "Not ready", reference("Readiness")),
    );
    add(
        "/metrics",
        "get",
        op(
            "operations",
            "Anyone who reaches it: Prometheus metrics (served on METRICS_ADDRESS instead when set)",
        )
        .public()
        .answer_as(200, "Prometheus text format", &["text/plain"]),
    );
    add(
        "/api/openapi.json",
        "get",
        op("operations", "Anyone: this description")
            .public()
            .answer(200, "OpenAPI 3 document", json!({ "type": "object" })),
    );
}

fn auth(add: &mut impl FnMut(&str, &str, Op)) {
    add(
        "/api/auth/login",
        "post",
        op(
            "auth",
            "Anyone: sign in; every failure answers the same 401, and attempts are limited per address",
        )
        .public()
        .body("Login")
        .answer(
            200,
            "Signed in (the refresh token is also set as a cookie), or, when a second factor is due, the challenge for POST /api/auth/mfa",
            json!({ "anyOf": [reference("Session"), reference("MfaChallenge")] }),
        ),
    );
    add(
        "/api/auth/mfa",
        "post",
        op(
            "auth",
            "Anyone holding a sign-in challenge: finish signing in with an authenticator code or a recovery code",
        )
        .public()
        .body("MfaVerify")
        .answer(200, "Signed in", reference("Session")),
    );
    add(
        "/api/auth/mfa/enroll",
        "post",
        op(
            "auth",
            "A signed-in local user, or a sign-in that requires enrolment (`mfa_token`): a new authenticator secret and its QR code",
        )
        .public()
        .body("MfaEnroll")
        .answer(200, "The secret to add to an authenticator app", reference("MfaEnrollment")),
    );
    add(
        "/api/auth/mfa/enroll/confirm",
        "post",
        op(
            "auth",
            "The enroller: confirm with the first code; ten single-use recovery codes, shown once (with the session when finishing a sign-in)",
        )
        .public()
        .body("MfaConfirm")
        .answer(
            200,
            "Confirmed",
            json!({ "anyOf": [reference("RecoveryCodes"), reference("Session")] }),
        ),
    );
    add(
        "/api/auth/reauth",
        "post",
        op(
            "auth",
            "Any signed-in user: confirm the password or a code; the session counts as freshly signed in for step-up actions",
        )
        .body("Reauth")
        .empty(204, "Confirmed"),
    );
    add(
        "/api/auth/refresh",
        "post",
        op(
            "auth",
            "Anyone holding a refresh token (body or cookie): a new pair; a reused token ends its family",
        )
        .public()
        .body("Refresh")
        .answer(200, "A new session pair", reference("Session")),
    );
    add(
        "/api/auth/providers",
        "get",
        op("auth", "Anyone: the configured single sign-on providers")
            .public()
            .answer(
                200,
                "One entry per provider",
                json!({ "type": "array", "items": {
                    "type": "object",
                    "properties": { "id": { "type": "string" }, "name": { "type": "string" } },
                    "required": ["id", "name"],
                } }),
            ),
    );
    add(
        "/api/auth/oidc/{provider}/login",
        "get",
        op(
            "auth",
            "Anyone: start single sign-on (state, nonce, PKCE S256); `return_to` must be a path here",
        )
        .public()
        .path_text("provider")
        .query("return_to", text())
        .empty(302, "To the provider's authorization page"),
    );
    add(
        "/api/auth/oidc/{provider}/callback",
        "get",
        op(
            "auth",
            "The provider's redirect back: signs the linked user in",
        )
        .public()
        .path_text("provider")
        .query("code", text())
        .query("state", text())
        .empty(
            302,
            "To the web app, signed in or with the reason it was refused",
        ),
    );
    add(
        "/api/auth/logout",
        "post",
        op("auth", "Any signed-in user: end this session").empty(204, "Signed out"),
    );
    add(
        "/api/auth/logout-all",
        "post",
        op("auth", "Any signed-in user: end every session of theirs")
            .empty(204, "All sessions ended"),
    );
    add(
        "/api/auth/me",
        "get",
        op("auth", "Any signed-in user: who they are").answer(200, "The caller", reference("User")),
    );
    add(
        "/api/auth/password",
        "post",
        op(
            "auth",
            "Any signed-in user: change their password; other sessions end",
        )
        .body("PasswordChange")
        .empty(204, "Changed"),
    );
}

fn patients(add: &mut impl FnMut(&str, &str, Op)) {
    let sort = json!({
        "type": "string",
        "enum": ["last_name", "first_name", "date_of_birth", "mrn", "created_at"],
    });
    add(
        "/api/patients",
        "get",
        op(
            "patients",
            "Doctors and nurses: patients on their care team or under their live emergency grant",
        )
        .query("q", text())
        .paged()
        .query("sort", sort)
        .query("order", order())
        .answer(
            200,
            "A page of patients (SSN masked)",
            page_of("PatientPage"),
        ),
    );
    add(
        "/api/patients",
        "post",
        op(
            "patients",
            "Doctors (who join its care team) and administrators (answered with the id only)",
        )
        .body("PatientCreate")
        .answer(201, "Created", reference("Id")),
    );
    add(
        "/api/patients/{id}",
        "get",
        op(
            "patients",
            "Doctors and nurses who may see the patient: role-filtered fields",
        )
        .id("id")
        .answer(200, "The patient", reference("Patient")),
    );
    add(
        "/api/patients/{id}",
        "put",
        op(
            "patients",
            "Doctors and nurses on the care team (nurses: contact fields only); null clears a field",
        )
        .id("id")
        .body("PatientUpdate")
        .answer(200, "The patient as changed", reference("Patient")),
    );
    add(
        "/api/patients/{id}/records",
        "get",
        op(
            "records",
            "Doctors and nurses who may see the patient; sensitive records restricted for nurses",
        )
        .id("id")
        .paged()
        .answer(200, "A page of records", page_of("RecordPage")),
    );
    add(
        "/api/patients/{id}/records",
        "post",
        op("records", "Doctors on the care team, as the author")
            .id("id")
            .body("RecordCreate")
            .answer(201, "Created", reference("Record")),
    );
    add(
        "/api/records/{id}",
        "get",
        op(
            "records",
            "Doctors and nurses who may see the record's patient",
        )
        .id("id")
        .answer(200, "The record", reference("Record")),
    );
    add(
        "/api/records/{id}",
        "put",
        op("records", "The doctor who wrote the record")
            .id("id")
            .body("RecordUpdate")
            .answer(200, "The record as changed", reference("Record")),
    );
    add(
        "/api/patients/{id}/access-report",
        "get",
        op(
            "patients",
            "Doctors who may see the patient: who accessed the record, and disclosures (HIPAA accounting)",
        )
        .id("id")
        .paged()
        .answer(200, "A page of accesses and disclosures", page_of("AccessReport")),
    );
    add(
        "/api/patients/{id}/disclosures",
        "post",
        op(
            "patients",
            "Doctors on the care team: record a disclosure made outside the system",
        )
        .id("id")
        .body("DisclosureCreate")
        .answer(201, "Recorded", reference("Disclosure")),
    );
}

fn emergency(add: &mut impl FnMut(&str, &str, Op)) {
    let grant = || reference("Grant");
    add(
        "/api/emergency/request",
        "post",
        op(
            "emergency",
            "Doctors and nurses: break-glass access to one patient, granted at once",
        )
        .body("EmergencyRequest")
        .answer(201, "Granted", reference("EmergencyRequested")),
    );
    add(
        "/api/emergency/activate/{token}",
        "post",
        op("emergency", "The requesting user: start the grant")
            .path_text("token")
            .answer(200, "Active", grant()),
    );
    add(
        "/api/emergency/active",
        "get",
        op(
            "emergency",
            "Doctors and nurses: their live grants; administrators: every live grant",
        )
        .answer(
            200,
            "Live grants",
            json!({ "type": "array", "items": grant() }),
        ),
    );
    add(
        "/api/emergency/grants",
        "get",
        op("emergency", "Administrators: every grant, for review")
            .query(
                "status",
                json!({
                    "type": "string",
                    "enum": ["all", "active", "expired", "revoked", "unreviewed", "overdue"],
                }),
            )
            .paged()
            .answer(200, "A page of grants", page_of("GrantPage")),
    );
    add(
        "/api/emergency/events",
        "get",
        op(
            "emergency",
            "Administrators: a live feed (server-sent events) of grant changes",
        )
        .answer_as(
            200,
            "Events named `grant`, data a Grant",
            &["text/event-stream"],
        ),
    );
    add(
        "/api/audit/events",
        "get",
        live_audit_filters(op(
            "audit",
            "Administrators: the trail as it is written (server-sent events)",
        ))
        .answer_as(
            200,
            "Events named `audit`, data an audit row; `lagged` with the number of rows missed",
            &["text/event-stream"],
        ),
    );
    add(
        "/api/emergency/{id}/revoke",
        "post",
        op("emergency", "Administrators: end a grant at once")
            .id("id")
            .answer(200, "Revoked", grant()),
    );
    add(
        "/api/emergency/{id}/review",
        "post",
        op(
            "emergency",
            "Administrators: record the after-the-fact review",
        )
        .id("id")
        .body("EmergencyReview")
        .answer(200, "Reviewed", grant()),
    );
}

fn admin(add: &mut impl FnMut(&str, &str, Op)) {
    let user = || reference("User");
    add(
        "/api/admin/users",
        "get",
        op("admin", "Administrators: staff accounts")
            .paged()
            .answer(200, "A page of users", page_of("UserPage")),
    );
    add(
        "/api/admin/users",
        "post",
        op("admin", "Administrators: create a staff account")
            .body("UserCreate")
            .answer(201, "Created", user()),
    );
    add(
        "/api/admin/users/{id}",
        "put",
        op("admin", "Administrators: change a name or role")
            .id("id")
            .body("UserUpdate")
            .answer(200, "Changed", user()),
    );
    add(
        "/api/admin/users/{id}/deactivate",
        "post",
        op(
            "admin",
            "Administrators: deactivate; the user's sessions and grants end at once",
        )
        .id("id")
        .answer(200, "Deactivated", user()),
    );
    add(
        "/api/admin/users/{id}/activate",
        "post",
        op("admin", "Administrators: reactivate")
            .id("id")
            .answer(200, "Active", user()),
    );
    add(
        "/api/admin/users/{id}/password",
        "post",
        op(
            "admin",
            "Administrators: set a new password; the user's sessions end",
        )
        .id("id")
        .body("PasswordReset")
        .empty(204, "Set"),
    );
    add(
        "/api/admin/users/{id}/mfa/reset",
        "post",
        op(
            "admin",
            "Administrators (freshly signed in): remove a user's authenticator and recovery codes; the user's sessions end",
        )
        .id("id")
        .empty(204, "Reset"),
    );
    add(
        "/api/admin/care-team",
        "post",
        op(
            "admin",
            "Administrators: put a doctor or nurse on a patient's care team",
        )
        .body("CareTeamAssignment")
        .answer(201, "Assigned", reference("CareTeamAssigned")),
    );
    add(
        "/api/admin/care-team",
        "delete",
        op(
            "admin",
            "Administrators: take a doctor or nurse off a patient's care team",
        )
        .body("CareTeamAssignment")
        .empty(204, "Removed"),
    );
    add(
        "/api/admin/patients/lookup",
        "get",
        op(
            "admin",
            "Administrators: a patient's id by MRN (nothing else)",
        )
        .query("mrn", text())
        .answer(200, "Found", reference("Id")),
    );
}

fn audit(add: &mut impl FnMut(&str, &str, Op)) {
    let sort = json!({
        "type": "string",
        "enum": ["timestamp", "id", "action", "user_id", "patient_id", "outcome"],
    });
    add(
        "/api/audit",
        "get",
        audit_filters(op("audit", "Administrators: search the audit trail"))
            .query("sort", sort)
            .query("order", order())
            .paged()
            .answer(200, "A page of audit rows", page_of("AuditPage")),
    );
    add(
        "/api/audit/export",
        "get",
        audit_filters(op(
            "audit",
            "Administrators: the matching rows as a stream (the export is itself audited)",
        ))
        .query(
            "format",
            json!({ "type": "string", "enum": ["csv", "ndjson", "fhir"] }),
        )
        .answer_as(
            200,
            "CSV (formula-safe), NDJSON, or FHIR AuditEvents as NDJSON",
            &[
                "text/csv",
                "application/x-ndjson",
                "application/fhir+ndjson",
            ],
        ),
    );
    add(
        "/api/audit/verify",
        "get",
        op(
            "audit",
            "Administrators: prove the hash chain intact or name the first bad row",
        )
        .answer(200, "The verification", reference("ChainReport")),
    );
}
