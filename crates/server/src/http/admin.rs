//! Administration: staff accounts, care-team assignments and the MRN
//! look-up used to assign them. Administrators never receive patient data.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::{Value, json};

use super::context::ClientInfo;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, PathId};
use super::guard::{Rule, Target, audit, guarded};
use crate::app::AppState;
use crate::audit::{Action, AuditEvent, Outcome, Purpose};
use crate::auth::NewPassword;
use crate::auth::refresh;
use crate::domain::emergency;
use crate::domain::users::{self, NewUser, UserChanges, UserView};
use crate::domain::{
    DomainError, Email, Page, PageRequest, bounded_text, is_unique_violation, patients,
};
use crate::policy::{ADMINS, Caller, Role};
use crate::secret::Secret;
use crate::store::entities::{care_team, patient, user};

pub fn router(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let admin = |action, target| Rule {
        roles: ADMINS,
        action: Some(action),
        target,
    };
    Router::new()
        .route(
            "/users",
            guarded(
                state,
                admin(Action::UserList, Target::None),
                get(list_users),
            )
            .merge(guarded(
                state,
                admin(Action::UserCreate, Target::None),
                post(create_user),
            )),
        )
        .route(
            "/users/{id}",
            guarded(
                state,
                admin(Action::UserUpdate, Target::User),
                put(update_user),
            ),
        )
        .route(
            "/users/{id}/deactivate",
            guarded(
                state,
                admin(Action::UserDeactivate, Target::User),
                post(deactivate),
            ),
        )
        .route(
            "/users/{id}/activate",
            guarded(
                state,
                admin(Action::UserActivate, Target::User),
                post(activate),
            ),
        )
        .route(
            "/users/{id}/password",
            guarded(
                state,
                admin(Action::UserUpdate, Target::User),
                post(reset_password),
            ),
        )
        .route(
            "/users/{id}/mfa/reset",
            guarded(
                state,
                admin(Action::AuthMfaReset, Target::User),
                post(reset_mfa),
            ),
        )
        .route(
            "/care-team",
            guarded(
                state,
                admin(Action::CareTeamAssign, Target::None),
                post(assign),
            )
            .merge(guarded(
                state,
                admin(Action::CareTeamRemove, Target::None),
                axum::routing::delete(unassign),
            )),
        )
        .route(
            "/patients/lookup",
            guarded(
                state,
                admin(Action::PatientLookup, Target::None),
                get(lookup),
            ),
        )
}

fn admin_event(
    action: Action,
    caller: &Caller,
    client: &ClientInfo,
    target_user: Option<i64>,
) -> AuditEvent {
    let event = AuditEvent::new(action, Outcome::Allowed, client)
        .by(caller.user_id, caller.role)
        .purpose(Purpose::Operations);
    match target_user {
        Some(id) => event.reason_text(&format!("target_user={id}")),
        None => event,
    }
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<String>,
    page_size: Option<String>,
}

/// Administrators: all staff accounts.
async fn list_users(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Json<Page<UserView>>> {
    let page = PageRequest::parse(params.page.as_deref(), params.page_size.as_deref())
        .map_err(ApiError::validation)?;

    let users = users::list(&state.db, page).await?;
    audit(
        &state,
        admin_event(Action::UserList, &caller, &client, None),
    )
    .await?;
    Ok(Json(users))
}

fn parse_role(raw: &str) -> Result<Role, ApiError> {
    Role::parse(raw).ok_or_else(|| ApiError::validation("`role` must be doctor, nurse or admin."))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateUserRequest {
    email: String,
    name: String,
    role: String,
    password: Secret<String>,
    #[serde(default)]
    must_change_password: bool,
}

/// Administrators: creates a staff account with an initial password.
async fn create_user(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let email = Email::parse(&body.email)
        .ok_or_else(|| ApiError::validation("`email` must be a valid email address."))?;
    let name = bounded_text("name", &body.name, 200).map_err(ApiError::validation)?;
    let role = parse_role(&body.role)?;
    let password =
        NewPassword::parse(body.password.expose().clone()).map_err(ApiError::validation)?;

    let password_hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(ApiError::internal)?;
    let new = NewUser {
        email,
        name,
        role,
        password_hash,
        must_change_password: body.must_change_password,
    };
    let created = users::create(&state.db, new).await?;
    audit(
        &state,
        admin_event(Action::UserCreate, &caller, &client, Some(created.id)),
    )
    .await?;
    let body = json!({
        "id": created.id,
        "email": created.email,
        "name": created.name,
        "role": created.role,
        "active": created.active,
        "must_change_password": created.must_change_password,
    });
    Ok((StatusCode::CREATED, Json(body)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateUserRequest {
    name: Option<String>,
    role: Option<String>,
}

/// Administrators: changes a user's name or role. A role change ends the
/// user's sessions on their next request.
async fn update_user(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> ApiResult<Json<UserView>> {
    let changes = UserChanges {
        name: body
            .name
            .map(|n| bounded_text("name", &n, 200))
            .transpose()
            .map_err(ApiError::validation)?,
        role: body.role.as_deref().map(parse_role).transpose()?,
    };
    if changes.name.is_none() && changes.role.is_none() {
        return Err(ApiError::validation("Send `name`, `role` or both."));
    }
    // Changing a role is a step-up action: the admin must have signed in
    // or confirmed who they are within the last few minutes.
    if let Some(role) = changes.role {
        let current = users::find(&state.db, id).await?;
        if current.role != role.as_str() {
            super::mfa::require_fresh(&state, &caller).await?;
        }
    }

    let updated = users::update(&state.db, caller.user_id, id, changes).await?;
    audit(
        &state,
        admin_event(Action::UserUpdate, &caller, &client, Some(id)),
    )
    .await?;
    Ok(Json(updated))
}

/// Ends every session of a user at once.
async fn end_sessions(state: &AppState, user_id: i64) -> ApiResult<()> {
    let sessions = refresh::revoke_user_families(&state.db, user_id, None).await?;
    for session in sessions {
        state
            .sessions
            .revoke(&session, state.tokens.ttl())
            .await
            .map_err(|_| {
                ApiError::Unavailable("Sessions cannot be changed right now. Try again shortly.")
            })?;
    }
    Ok(())
}

/// Administrators: removes a user's authenticator app and recovery codes
/// (a lost phone); the user's sessions end, and their next sign-in leads
/// through enrolment again where their role requires it. A step-up action.
async fn reset_mfa(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    super::mfa::require_fresh(&state, &caller).await?;
    users::find(&state.db, id).await?;
    let had = crate::domain::mfa::reset(&state.db, id).await?;
    end_sessions(&state, id).await?;
    let reason = if had { "reset" } else { "nothing_to_reset" };
    audit(
        &state,
        admin_event(Action::AuthMfaReset, &caller, &client, Some(id)).reason_code(reason),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Administrators: deactivates an account; its sessions end at once.
async fn deactivate(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Json<UserView>> {
    let updated = users::set_active(&state.db, caller.user_id, id, false).await?;
    end_sessions(&state, id).await?;
    emergency::revoke_all_for_user(&state.db, id, caller.user_id).await?;
    audit(
        &state,
        admin_event(Action::UserDeactivate, &caller, &client, Some(id)),
    )
    .await?;
    Ok(Json(updated))
}

/// Administrators: reactivates an account.
async fn activate(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
) -> ApiResult<Json<UserView>> {
    let updated = users::set_active(&state.db, caller.user_id, id, true).await?;
    audit(
        &state,
        admin_event(Action::UserActivate, &caller, &client, Some(id)),
    )
    .await?;
    Ok(Json(updated))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetPasswordRequest {
    password: Secret<String>,
    #[serde(default = "default_true")]
    must_change_password: bool,
}

fn default_true() -> bool {
    true
}

/// Administrators: sets a new initial password; the user's sessions end.
async fn reset_password(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    PathId(id): PathId,
    ApiJson(body): ApiJson<ResetPasswordRequest>,
) -> ApiResult<StatusCode> {
    let password =
        NewPassword::parse(body.password.expose().clone()).map_err(ApiError::validation)?;

    users::find(&state.db, id).await?;
    let hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(ApiError::internal)?;
    users::set_password_hash(&state.db, id, hash, body.must_change_password).await?;
    end_sessions(&state, id).await?;
    audit(
        &state,
        admin_event(Action::UserUpdate, &caller, &client, Some(id)).reason_code("password_reset"),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CareTeamRequest {
    user_id: i64,
    patient_id: i64,
}

/// Checks that the user is an active clinician and the patient exists.
async fn check_assignment(state: &AppState, body: &CareTeamRequest) -> ApiResult<()> {
    let member = user::Entity::find_by_id(body.user_id)
        .one(&state.db)
        .await?;
    let member = member.ok_or(ApiError::NotFound("No user has that id."))?;
    if !Role::parse(&member.role).is_some_and(Role::is_clinician) {
        return Err(ApiError::validation(
            "Only doctors and nurses can be on a care team.",
        ));
    }
    if patient::Entity::find_by_id(body.patient_id)
        .one(&state.db)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound("No patient has that id."));
    }
    Ok(())
}

fn care_team_event(
    action: Action,
    caller: &Caller,
    client: &ClientInfo,
    body: &CareTeamRequest,
) -> AuditEvent {
    admin_event(action, caller, client, Some(body.user_id)).patient(body.patient_id)
}

/// Administrators: puts a clinician on a patient's care team.
async fn assign(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<CareTeamRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    check_assignment(&state, &body).await?;

    let row = care_team::ActiveModel {
        user_id: Set(body.user_id),
        patient_id: Set(body.patient_id),
        assigned_by: Set(Some(caller.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    row.insert(&state.db).await.map_err(|err| {
        if is_unique_violation(&err) {
            ApiError::Conflict("This clinician is already on the patient's care team.".into())
        } else {
            ApiError::from(err)
        }
    })?;
    audit(
        &state,
        care_team_event(Action::CareTeamAssign, &caller, &client, &body),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user_id": body.user_id, "patient_id": body.patient_id })),
    ))
}

/// Administrators: takes a clinician off a patient's care team.
async fn unassign(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiJson(body): ApiJson<CareTeamRequest>,
) -> ApiResult<StatusCode> {
    let removed = care_team::Entity::delete_many()
        .filter(care_team::Column::UserId.eq(body.user_id))
        .filter(care_team::Column::PatientId.eq(body.patient_id))
        .exec(&state.db)
        .await?;
    if removed.rows_affected == 0 {
        return Err(ApiError::NotFound(
            "That clinician is not on this patient's care team.",
        ));
    }
    audit(
        &state,
        care_team_event(Action::CareTeamRemove, &caller, &client, &body),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct LookupParams {
    mrn: Option<String>,
}

/// Administrators: the internal id of the patient with an MRN, and nothing else.
async fn lookup(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    client: ClientInfo,
    ApiQuery(params): ApiQuery<LookupParams>,
) -> ApiResult<Json<Value>> {
    let mrn = params.mrn.filter(|m| !m.trim().is_empty() && m.len() <= 64);
    let mrn = mrn
        .ok_or_else(|| ApiError::validation("Give the patient's `mrn` (at most 64 characters)."))?;

    let id = patients::id_by_mrn(&state.db, mrn.trim())
        .await
        .map_err(|err| match err {
            DomainError::NotFound(message) => ApiError::NotFound(message),
            other => ApiError::from(other),
        })?;
    audit(
        &state,
        admin_event(Action::PatientLookup, &caller, &client, None).patient(id),
    )
    .await?;
    Ok(Json(json!({ "id": id })))
}
