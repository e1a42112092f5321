//! The role × field matrix and care-team scoping, through HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_doctor_sees_the_full_ssn_in_the_chart_and_a_masked_one_in_lists() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let expected = fixture_bundle().patient.ssn.unwrap();

    let chart = json_of(
        app.get(&format!("/api/patients/{}", ward.patient_id), &ward.doctor)
            .await,
        StatusCode::OK,
    )
    .await;
    let list = json_of(app.get("/api/patients", &ward.doctor).await, StatusCode::OK).await;

    assert_eq!(chart["ssn"], expected.as_str());
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == ward.patient_id)
        .unwrap();
    assert_eq!(item["ssn"], format!("***-**-{}", &expected[7..]));
}

#[tokio::test]
async fn a_nurse_never_receives_an_ssn_field() {
    let app = spawn_app().await;
    let ward = ward(&app).await;

    let chart_response = app
        .get(&format!("/api/patients/{}", ward.patient_id), &ward.nurse)
        .await;
    let chart = json_of(chart_response, StatusCode::OK).await;
    let list = json_of(app.get("/api/patients", &ward.nurse).await, StatusCode::OK).await;

    assert!(
        chart.get("ssn").is_none(),
        "nurse chart carried an ssn key: {chart}"
    );
    assert_eq!(
        chart["last_name"],
        fixture_bundle().patient.last_name.as_str()
    );
    for item in list["items"].as_array().unwrap() {
        assert!(
            item.get("ssn").is_none(),
            "nurse list carried an ssn key: {item}"
        );
    }
}

#[tokio::test]
async fn an_administrator_is_refused_every_patient_data_route() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let id = ward.patient_id;
    let record_id = first_record_id(&app, &ward).await;

    let attempts = [
        app.get("/api/patients", &ward.admin).await,
        app.get(&format!("/api/patients/{id}"), &ward.admin).await,
        app.get(&format!("/api/patients/{id}/records"), &ward.admin)
            .await,
        app.get(&format!("/api/records/{record_id}"), &ward.admin)
            .await,
        app.put(
            &format!("/api/patients/{id}"),
            &ward.admin,
            json!({ "phone": "555-0100" }),
        )
        .await,
        app.post(
            &format!("/api/patients/{id}/records"),
            &ward.admin,
            new_record(),
        )
        .await,
        app.put(
            &format!("/api/records/{record_id}"),
            &ward.admin,
            json!({ "treatment": "x" }),
        )
        .await,
    ];

    for response in attempts {
        assert_eq!(
            error_code(response, StatusCode::FORBIDDEN).await,
            "forbidden"
        );
    }
}

#[tokio::test]
async fn an_administrator_creating_a_patient_receives_only_the_new_id() {
    let app = spawn_app().await;
    let admin = app.login(&ADMIN).await;

    let body = json_of(
        app.post("/api/patients", &admin, new_patient("912-34-5678"))
            .await,
        StatusCode::CREATED,
    )
    .await;

    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["id"], "admin create answer: {body}");
}

#[tokio::test]
async fn a_doctor_who_creates_a_patient_joins_its_care_team() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    let created = json_of(
        app.post("/api/patients", &doctor, new_patient("912-34-5679"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let chart = json_of(
        app.get(&format!("/api/patients/{id}"), &doctor).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(created["ssn"], "912-34-5679");
    assert_eq!(chart["first_name"], "Iris");
    assert_eq!(chart["date_of_birth"], "1971-06-30");
}

#[tokio::test]
async fn a_nurse_cannot_create_a_patient() {
    let app = spawn_app().await;
    let nurse = app.login(&NURSE).await;

    let response = app
        .post("/api/patients", &nurse, new_patient("912-34-5670"))
        .await;

    assert_eq!(
        error_code(response, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
}

#[tokio::test]
async fn a_clinician_off_the_care_team_is_refused_and_the_denial_is_audited() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let outsider = app.login(&DOCTOR2).await;

    let response = app
        .get(&format!("/api/patients/{}", ward.patient_id), &outsider)
        .await;
    let list = json_of(app.get("/api/patients", &outsider).await, StatusCode::OK).await;

    assert_eq!(
        error_code(response, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    assert_eq!(list["total"], 0);
    let rows = app.audit_rows().await;
    let denial = rows
        .iter()
        .find(|r| r.action == "patient.view" && r.user_id == Some(outsider.user_id))
        .expect("the denied read is in the audit trail");
    assert_eq!(denial.outcome, "denied");
    assert_eq!(denial.patient_id, Some(ward.patient_id));
    assert_eq!(denial.reason_code.as_deref(), Some("not_on_care_team"));
}

#[tokio::test]
async fn an_unknown_patient_is_not_found() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    let response = app.get("/api/patients/999999", &doctor).await;
    let malformed = app.get("/api/patients/abc", &doctor).await;

    assert_eq!(
        error_code(response, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(
        error_code(malformed, StatusCode::BAD_REQUEST).await,
        "validation_failed"
    );
}

#[tokio::test]
async fn page_sizes_over_one_hundred_or_malformed_paging_are_refused() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    for query in [
        "page_size=101",
        "page_size=abc",
        "page=0",
        "page=-1",
        "sort=ssn",
        "order=sideways",
    ] {
        let response = app.get(&format!("/api/patients?{query}"), &doctor).await;
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "validation_failed",
            "{query}"
        );
    }
    let page = json_of(
        app.get("/api/patients?page_size=100&page=1", &doctor).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["page_size"], 100);
    assert_eq!(page["page"], 1);
}

#[tokio::test]
async fn search_matches_name_prefixes_and_treats_wildcards_literally() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let last_name = fixture_bundle().patient.last_name;

    let by_prefix = json_of(
        app.get(
            &format!("/api/patients?q={}", &last_name[..3]),
            &ward.doctor,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let wildcard = json_of(
        app.get("/api/patients?q=%25", &ward.doctor).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(by_prefix["total"], 1);
    assert_eq!(by_prefix["items"][0]["id"], ward.patient_id);
    assert_eq!(wildcard["total"], 0);
}

#[tokio::test]
async fn unknown_fields_in_a_body_are_refused_with_the_field_named() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    let mut body = new_patient("912-34-5671");
    body["is_admin"] = json!(true);

    let response = app.post("/api/patients", &doctor, body).await;

    let error = json_of(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["code"], "validation_failed");
    assert!(
        error["error"].as_str().unwrap().contains("is_admin"),
        "{error}"
    );
}

#[tokio::test]
async fn a_nurse_may_change_contact_fields_but_not_identity_fields() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let path = format!("/api/patients/{}", ward.patient_id);

    let contact = app
        .put(&path, &ward.nurse, json!({ "phone": "555-0142" }))
        .await;
    let identity = app
        .put(&path, &ward.nurse, json!({ "last_name": "Changed" }))
        .await;

    assert_eq!(json_of(contact, StatusCode::OK).await["phone"], "555-0142");
    assert_eq!(
        error_code(identity, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
}

#[tokio::test]
async fn invalid_patient_input_is_refused_with_a_plain_reason() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;

    for (field, value) in [
        ("ssn", json!("123-45-678")),
        ("date_of_birth", json!("1971-13-01")),
        ("date_of_birth", json!("2999-01-01")),
        ("sex", json!("robot")),
        ("first_name", json!("")),
        ("first_name", json!("x".repeat(101))),
        ("mrn", json!("MRN 42; DROP TABLE")),
    ] {
        let mut body = new_patient("912-34-5672");
        body[field] = value;
        let response = app.post("/api/patients", &doctor, body).await;
        let error = json_of(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(error["code"], "validation_failed", "{field}");
        assert!(
            error["error"].as_str().unwrap().contains(field),
            "{field}: {error}"
        );
    }
}

#[tokio::test]
async fn a_duplicate_mrn_is_a_conflict() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    let mut body = new_patient("912-34-5673");
    body["mrn"] = json!(fixture_bundle().patient.mrn);

    let response = app.post("/api/patients", &doctor, body).await;

    assert_eq!(error_code(response, StatusCode::CONFLICT).await, "conflict");
}

pub fn new_patient(ssn: &str) -> Value {
    json!({
        "first_name": "Iris",
        "last_name": "Calloway",
        "date_of_birth": "1971-06-30",
        "sex": "female",
        "phone": "555-0101",
        "address": "1 Test Street, Springfield",
        "ssn": ssn,
    })
}

pub fn new_record() -> Value {
    json!({
        "record_type": "condition",
        "diagnosis": "Seasonal allergic rhinitis",
        "treatment": "Antihistamine as needed",
        "severity": "low",
    })
}

pub async fn first_record_id(app: &TestApp, ward: &Ward) -> i64 {
    let records = json_of(
        app.get(
            &format!("/api/patients/{}/records", ward.patient_id),
            &ward.doctor,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    records["items"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn null_clears_an_optional_field_and_an_absent_field_is_left_alone() {
    let app = spawn_app().await;
    let ward = ward(&app).await;
    let path = format!("/api/patients/{}", ward.patient_id);
    app.put(
        &path,
        &ward.nurse,
        json!({ "phone": "555-0142", "address": "2 Elm Road" }),
    )
    .await;

    let cleared = json_of(
        app.put(&path, &ward.nurse, json!({ "phone": null })).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(cleared["phone"], Value::Null);
    assert_eq!(cleared["address"], "2 Elm Road");
}

/// Names in any script are stored and found as written, on every engine
/// (MariaDB's default latin1 tables refused them).
#[tokio::test]
async fn names_outside_latin_1_are_stored_and_found_as_written() {
    let app = spawn_app().await;
    let doctor = app.login(&DOCTOR).await;
    let mut patient = new_patient("900-11-2233");
    patient["first_name"] = json!("Thị Hồng");
    patient["last_name"] = json!("Nguyễn");
    patient["address"] = json!("北京市 1号 🏥");

    let created = json_of(
        app.post("/api/patients", &doctor, patient).await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let read = json_of(
        app.get(&format!("/api/patients/{id}"), &doctor).await,
        StatusCode::OK,
    )
    .await;
    let found = json_of(
        app.get("/api/patients?q=nguy", &doctor).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(read["first_name"], "Thị Hồng");
    assert_eq!(read["last_name"], "Nguyễn");
    assert_eq!(read["address"], "北京市 1号 🏥");
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id),
        "{found}"
    );
}
