//! Medical record routes, always reached through a patient the caller may see.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId, nullable};
use super::guard::{Rule, Target, audit, guarded, note_patient};
use crate::app::AppState;
use crate::audit::Action;
use crate::domain::records::{
    self, NewRecord, RECORD_FIELDS, RecordChanges, RecordType, RecordView, Severity,
};
use crate::domain::{Page, PageRequest, bounded_text, optional_text};
use crate::policy::{CLINICIANS, Caller, DOCTORS, authorize_patient, authorize_patient_write};

/// Routes under `/api/patients/{id}/records`.
pub fn patient_records_router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new().route(
        "/{id}/records",
        guarded(
            state,
            Rule {
                roles: CLINICIANS,
                action: Some(Action::RecordList),
                target: Target::Patient,
            },
            get(list),
        )
        .merge(guarded(
            state,
            Rule {
                roles: DOCTORS,
                action: Some(Action::RecordCreate),
                target: Target::Patient,
            },
            post(create),
        )),
    )
}

/// Routes under `/api/records`.
pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new().route(
        "/{id}",
        guarded(
            state,
            Rule {
                roles: CLINICIANS,
                action: Some(Action::RecordView),
                target: Target::Record,
            },
            get(view),
        )
        .merge(guarded(
            state,
            Rule {
                roles: DOCTORS,
                action: Some(Action::RecordUpdate),
                target: Target::Record,
            },
            put(update),
        )),
    )
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
    page_size: Option<String>,
}

fn released(withheld: &[&'static str]) -> Vec<&'static str> {
    RECORD_FIELDS
        .iter()
        .copied()
        .filter(|f| !withheld.contains(f))
        .collect()
}

/// Doctors and nurses with access to the patient: the records, newest
/// first; sensitive ones are restricted for nurses (diagnosis and notes
/// withheld).
async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(patient_id): PathId,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<Page<RecordView>>> {
    let page = PageRequest::parse(params.page.as_deref(), params.page_size.as_deref())
        .map_err(ApiError::validation)?;
    let grant = authorize_patient(&state.db, &caller, patient_id).await?;

    let result = records::list(&state.db, &grant, page).await?;
    let withheld = grant.record_fields().withheld(result.any_restricted);
    audit(
        &state,
        grant
            .audit(Action::RecordList, &client)
            .fields(released(&withheld), withheld),
    )
    .await?;
    Ok(Json(result.page))
}

/// Doctors and nurses with access to the record's patient: one record.
async fn view(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(record_id): PathId,
) -> ApiResult<Json<RecordView>> {
    let patient_id = records::patient_of(&state.db, record_id).await?;
    note_patient(patient_id);
    let grant = authorize_patient(&state.db, &caller, patient_id).await?;

    let record = records::get(&state.db, &grant, record_id).await?;
    let withheld = grant.record_fields().withheld(record.restricted);
    let event = grant
        .audit(Action::RecordView, &client)
        .record(record_id)
        .fields(released(&withheld), withheld);
    audit(&state, event).await?;
    Ok(Json(record))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    record_type: String,
    diagnosis: String,
    treatment: Option<String>,
    notes: Option<String>,
    medications: Option<String>,
    severity: String,
    #[serde(default)]
    sensitive: bool,
    recorded_at: Option<DateTime<Utc>>,
}

const DIAGNOSIS_MAX: usize = 500;
const LONG_TEXT_MAX: usize = 5000;

fn parse_severity(raw: &str) -> Result<Severity, ApiError> {
    Severity::parse(raw)
        .ok_or_else(|| ApiError::validation("`severity` must be low, medium, high or critical."))
}

impl CreateRequest {
    fn parse(self) -> Result<NewRecord, ApiError> {
        let v = ApiError::Validation;
        if self
            .recorded_at
            .is_some_and(|t| t > Utc::now() + chrono::Duration::minutes(5))
        {
            return Err(v("`recorded_at` must not be in the future.".into()));
        }
        Ok(NewRecord {
            record_type: RecordType::parse(&self.record_type).ok_or_else(|| {
                v("`record_type` must be condition, encounter, medication, procedure or observation.".into())
            })?,
            diagnosis: bounded_text("diagnosis", &self.diagnosis, DIAGNOSIS_MAX).map_err(v)?,
            treatment: optional_text("treatment", self.treatment.as_deref(), LONG_TEXT_MAX).map_err(v)?,
            notes: optional_text("notes", self.notes.as_deref(), LONG_TEXT_MAX).map_err(v)?,
            medications: optional_text("medications", self.medications.as_deref(), LONG_TEXT_MAX).map_err(v)?,
            severity: parse_severity(&self.severity)?,
            sensitive: self.sensitive,
            recorded_at: self.recorded_at,
        })
    }
}

/// Doctors on the patient's care team: adds a record with the caller as author.
async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(patient_id): PathId,
    ApiJson(body): ApiJson<CreateRequest>,
) -> ApiResult<(StatusCode, Json<RecordView>)> {
    let new = body.parse()?;
    let grant = authorize_patient_write(&state.db, &caller, patient_id).await?;

    let record = records::create(&state.db, &grant, new).await?;
    audit(
        &state,
        grant
            .audit(Action::RecordCreate, &client)
            .record(record.id)
            .fields(released(&[]), Vec::new()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateRequest {
    diagnosis: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    treatment: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    medications: Option<Option<String>>,
    severity: Option<String>,
    sensitive: Option<bool>,
}

impl UpdateRequest {
    fn parse(self) -> Result<(RecordChanges, Vec<&'static str>), ApiError> {
        let v = ApiError::Validation;
        let clearable = |field, raw: Option<Option<String>>| {
            raw.map(|value| optional_text(field, value.as_deref(), LONG_TEXT_MAX))
                .transpose()
                .map_err(v)
        };
        let mut touched = Vec::new();
        for (name, present) in [
            ("diagnosis", self.diagnosis.is_some()),
            ("treatment", self.treatment.is_some()),
            ("notes", self.notes.is_some()),
            ("medications", self.medications.is_some()),
            ("severity", self.severity.is_some()),
            ("sensitive", self.sensitive.is_some()),
        ] {
            if present {
                touched.push(name);
            }
        }
        if touched.is_empty() {
            return Err(v("Send at least one field to change.".into()));
        }
        let changes = RecordChanges {
            diagnosis: self
                .diagnosis
                .map(|d| bounded_text("diagnosis", &d, DIAGNOSIS_MAX))
                .transpose()
                .map_err(v)?,
            treatment: clearable("treatment", self.treatment)?,
            notes: clearable("notes", self.notes)?,
            medications: clearable("medications", self.medications)?,
            severity: self.severity.as_deref().map(parse_severity).transpose()?,
            sensitive: self.sensitive,
        };
        Ok((changes, touched))
    }
}

/// The doctor who wrote the record, while on the patient's care team.
async fn update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(record_id): PathId,
    ApiJson(body): ApiJson<UpdateRequest>,
) -> ApiResult<Json<RecordView>> {
    let (changes, touched) = body.parse()?;
    let patient_id = records::patient_of(&state.db, record_id).await?;
    note_patient(patient_id);
    let grant = authorize_patient_write(&state.db, &caller, patient_id).await?;

    let record = records::update(&state.db, &grant, record_id, changes).await?;
    audit(
        &state,
        grant
            .audit(Action::RecordUpdate, &client)
            .record(record_id)
            .fields(touched, Vec::new()),
    )
    .await?;
    Ok(Json(record))
}
