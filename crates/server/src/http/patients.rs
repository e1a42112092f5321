//! Patient routes: search, read, create and update demographics.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId, nullable};
use super::guard::{Rule, Target, audit, guarded};
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome, Purpose};
use crate::domain::patients::{
    self, NewPatient, PatientChanges, PatientQuery, PatientSort, PatientView,
};
use crate::domain::{Page, PageRequest, Sex, SortOrder, Ssn, bounded_text, optional_text};
use crate::policy::{
    CLINICIANS, Caller, DOCTORS_AND_ADMINS, PatientFields, Role, authorize_patient,
    authorize_patient_write,
};

pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let rule = |roles, action, target| Rule {
        roles,
        action: Some(action),
        target,
    };
    Router::new()
        .route(
            "/",
            guarded(
                state,
                rule(CLINICIANS, Action::PatientList, Target::None),
                get(list),
            )
            .merge(guarded(
                state,
                rule(DOCTORS_AND_ADMINS, Action::PatientCreate, Target::None),
                axum::routing::post(create),
            )),
        )
        .route(
            "/{id}",
            guarded(
                state,
                rule(CLINICIANS, Action::PatientView, Target::Patient),
                get(view),
            )
            .merge(guarded(
                state,
                rule(CLINICIANS, Action::PatientUpdate, Target::Patient),
                axum::routing::put(update),
            )),
        )
}

#[derive(Deserialize)]
struct ListParams {
    q: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
    sort: Option<String>,
    order: Option<String>,
}

const MAX_QUERY_CHARS: usize = 100;

fn parse_list(params: ListParams) -> Result<PatientQuery, ApiError> {
    let page = PageRequest::parse(params.page.as_deref(), params.page_size.as_deref())
        .map_err(ApiError::validation)?;
    let q = params.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::validation(
            "The search text must be at most 100 characters.",
        ));
    }
    let sort = match params.sort.as_deref() {
        None => PatientSort::LastName,
        Some(raw) => PatientSort::parse(raw).ok_or_else(|| {
            ApiError::validation(
                "`sort` must be one of last_name, first_name, date_of_birth, mrn, created_at.",
            )
        })?,
    };
    let order = match params.order.as_deref() {
        None | Some("asc") => SortOrder::Asc,
        Some("desc") => SortOrder::Desc,
        Some(_) => return Err(ApiError::validation("`order` must be asc or desc.")),
    };
    let terms = q.split_whitespace().take(5).map(str::to_string).collect();
    Ok(PatientQuery {
        terms,
        sort,
        order,
        page,
    })
}

/// Doctors and nurses: patients on their care team or under an active
/// emergency grant. Doctors see the SSN masked.
async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Json<Page<PatientView>>> {
    let query = parse_list(params)?;

    let page = patients::search(&state.db, &state.phi, &caller, &query).await?;
    let fields = PatientFields::for_role(caller.role);
    let event = AuditEvent::new(Action::PatientList, Outcome::Allowed, &client)
        .by(caller.user_id, caller.role)
        .purpose(Purpose::Treatment)
        .fields(fields.released(), fields.withheld());
    audit(&state, event).await?;
    Ok(Json(page))
}

/// Doctors and nurses with access to the patient: the chart's demographics,
/// the SSN in full for doctors only.
async fn view(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Json<PatientView>> {
    let grant = authorize_patient(&state.db, &caller, id).await?;

    let patient = patients::get(&state.db, &state.phi, &grant).await?;
    let fields = grant.patient_fields();
    audit(
        &state,
        grant
            .audit(Action::PatientView, &client)
            .fields(fields.released(), fields.withheld()),
    )
    .await?;
    Ok(Json(patient))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    mrn: Option<String>,
    first_name: String,
    last_name: String,
    date_of_birth: String,
    sex: String,
    phone: Option<String>,
    address: Option<String>,
    emergency_contact: Option<String>,
    ssn: Option<String>,
}

fn parse_date_of_birth(raw: &str) -> Result<NaiveDate, ApiError> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::validation("`date_of_birth` must be a date written YYYY-MM-DD."))?;
    let today = chrono::Utc::now().date_naive();
    if date > today || date < NaiveDate::from_ymd_opt(1880, 1, 1).expect("valid date") {
        return Err(ApiError::validation(
            "`date_of_birth` must be a real birth date, not in the future.",
        ));
    }
    Ok(date)
}

fn parse_sex(raw: &str) -> Result<Sex, ApiError> {
    Sex::parse(raw)
        .ok_or_else(|| ApiError::validation("`sex` must be male, female, other or unknown."))
}

fn parse_ssn(raw: &str) -> Result<Ssn, ApiError> {
    Ssn::parse(raw)
        .ok_or_else(|| ApiError::validation("`ssn` must be a valid SSN written ddd-dd-dddd."))
}

fn parse_mrn(raw: &str) -> Result<String, ApiError> {
    let mrn = bounded_text("mrn", raw, 64).map_err(ApiError::validation)?;
    if !mrn.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ApiError::validation(
            "`mrn` may contain only letters, digits and dashes.",
        ));
    }
    Ok(mrn)
}

impl CreateRequest {
    fn parse(self) -> Result<NewPatient, ApiError> {
        let v = ApiError::Validation;
        Ok(NewPatient {
            mrn: self.mrn.as_deref().map(parse_mrn).transpose()?,
            first_name: bounded_text("first_name", &self.first_name, 100).map_err(v)?,
            last_name: bounded_text("last_name", &self.last_name, 100).map_err(v)?,
            date_of_birth: parse_date_of_birth(&self.date_of_birth)?,
            sex: parse_sex(&self.sex)?,
            phone: optional_text("phone", self.phone.as_deref(), 40).map_err(v)?,
            address: optional_text("address", self.address.as_deref(), 300).map_err(v)?,
            emergency_contact: optional_text(
                "emergency_contact",
                self.emergency_contact.as_deref(),
                300,
            )
            .map_err(v)?,
            ssn: self
                .ssn
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(parse_ssn)
                .transpose()?,
        })
    }
}

/// Doctors and administrators: registers a patient. A doctor joins the new
/// patient's care team and receives the chart; an administrator receives
/// the id only.
async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<CreateRequest>,
) -> ApiResult<Response> {
    let new = body.parse()?;

    let created = patients::create(&state.db, &state.phi, &caller, new).await?;
    let id = created.id;
    let event = AuditEvent::new(Action::PatientCreate, Outcome::Allowed, &client)
        .by(caller.user_id, caller.role)
        .patient(id)
        .purpose(if caller.role == Role::Admin {
            Purpose::Operations
        } else {
            Purpose::Treatment
        });
    audit(&state, event).await?;
    if caller.role == Role::Admin {
        return Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response());
    }
    let view = patients::creation_view(&state.phi, &caller, created)?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateRequest {
    #[serde(default, deserialize_with = "nullable")]
    first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    last_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    date_of_birth: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    sex: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    emergency_contact: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    ssn: Option<Option<String>>,
}

/// A field that may be changed but not cleared: `null` is refused.
fn required(field: &str, value: Option<Option<String>>) -> Result<Option<String>, ApiError> {
    match value {
        Some(None) => Err(ApiError::validation(format!(
            "`{field}` cannot be cleared."
        ))),
        other => Ok(other.flatten()),
    }
}

impl UpdateRequest {
    fn parse(self) -> Result<PatientChanges, ApiError> {
        let v = ApiError::Validation;
        let clearable = |field, raw: Option<Option<String>>, max| {
            raw.map(|value| optional_text(field, value.as_deref(), max))
                .transpose()
                .map_err(v)
        };
        let first_name = required("first_name", self.first_name)?;
        let last_name = required("last_name", self.last_name)?;
        let date_of_birth = required("date_of_birth", self.date_of_birth)?;
        let sex = required("sex", self.sex)?;
        Ok(PatientChanges {
            first_name: first_name
                .map(|n| bounded_text("first_name", &n, 100))
                .transpose()
                .map_err(v)?,
            last_name: last_name
                .map(|n| bounded_text("last_name", &n, 100))
                .transpose()
                .map_err(v)?,
            date_of_birth: date_of_birth
                .as_deref()
                .map(parse_date_of_birth)
                .transpose()?,
            sex: sex.as_deref().map(parse_sex).transpose()?,
            phone: clearable("phone", self.phone, 40)?,
            address: clearable("address", self.address, 300)?,
            emergency_contact: clearable("emergency_contact", self.emergency_contact, 300)?,
            ssn: self
                .ssn
                .map(|raw| match raw.as_deref().map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(value) => parse_ssn(value).map(Some),
                })
                .transpose()?,
        })
    }
}

/// Doctors and nurses on the care team: doctors change any demographic
/// field, nurses only phone, address and emergency contact.
async fn update(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<UpdateRequest>,
) -> ApiResult<Json<PatientView>> {
    let changes = body.parse()?;
    if changes.field_names().is_empty() {
        return Err(ApiError::validation("Send at least one field to change."));
    }
    let grant = authorize_patient_write(&state.db, &caller, id).await?;

    let changed = changes.field_names();
    let patient = patients::update(&state.db, &state.phi, &grant, changes).await?;
    audit(
        &state,
        grant
            .audit(Action::PatientUpdate, &client)
            .fields(changed, Vec::new()),
    )
    .await?;
    Ok(Json(patient))
}
