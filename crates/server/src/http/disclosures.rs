//! A patient's accounting of disclosures: the access report, and the
//! disclosures made outside the system that doctors record for it.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use super::guard::{Rule, Target, audit, guarded};
use crate::app::AppState;
use crate::audit::Action;
use crate::domain::access_report::{self, ReportEntry};
use crate::domain::disclosures::{self, DisclosureView, NewDisclosure};
use crate::domain::{Page, PageRequest};
use crate::policy::{Caller, DOCTORS, authorize_patient, authorize_patient_write};

/// Routes under `/api/patients/{id}`.
pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let doctors = |action| Rule {
        roles: DOCTORS,
        action: Some(action),
        target: Target::Patient,
    };
    Router::new()
        .route(
            "/{id}/access-report",
            guarded(state, doctors(Action::PatientAccessReport), get(report)),
        )
        .route(
            "/{id}/disclosures",
            guarded(state, doctors(Action::DisclosureCreate), post(create)),
        )
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
    page_size: Option<String>,
}

/// Doctors with access to the patient: who read or changed the patient's
/// data, when, in which role and why, and the disclosures recorded by
/// hand, newest first.
async fn report(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(patient_id): PathId,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<Page<ReportEntry>>> {
    let page = PageRequest::parse(params.page.as_deref(), params.page_size.as_deref())
        .map_err(ApiError::validation)?;
    let grant = authorize_patient(&state.db, &caller, patient_id).await?;

    let report = access_report::report(&state.db, &grant, page).await?;
    audit(&state, grant.audit(Action::PatientAccessReport, &client)).await?;
    Ok(Json(report))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisclosureRequest {
    recipient: String,
    purpose: String,
    description: String,
    disclosed_at: String,
}

/// Doctors on the patient's care team: records a disclosure made outside
/// the system. The audit row names the disclosure by id; what was
/// disclosed, and to whom, stays in the disclosure itself.
async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(patient_id): PathId,
    ApiJson(body): ApiJson<DisclosureRequest>,
) -> ApiResult<(StatusCode, Json<DisclosureView>)> {
    let new = NewDisclosure::parse(
        &body.recipient,
        &body.purpose,
        &body.description,
        &body.disclosed_at,
    )
    .map_err(ApiError::validation)?;
    let grant = authorize_patient_write(&state.db, &caller, patient_id).await?;

    let recorded = disclosures::record(&state.db, &grant, new).await?;
    audit(
        &state,
        grant
            .audit(Action::DisclosureCreate, &client)
            .reason_text(&format!("disclosure={}", recorded.id)),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(recorded)))
}
