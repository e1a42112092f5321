//! Patients: search within the caller's reach, read with role-filtered
//! fields, create, and update demographics.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use serde::Serialize;

use super::error::{DomainError, DomainResult, is_unique_violation};
use super::types::{Page, PageRequest, Sex, SortOrder, Ssn};
use crate::phi::PhiCipher;
use crate::policy::{
    CLINICIANS, Caller, Denial, PatientFields, PatientGrant, PatientWriteGrant, Role, require_role,
};
use crate::store::entities::{care_team, emergency_access, patient};

/// A field the caller's role may or may not receive. Withheld fields are
/// left out of the JSON entirely.
#[derive(Clone, Debug)]
pub enum Field<T> {
    Released(T),
    Withheld,
}

impl<T> Field<T> {
    pub fn is_withheld(&self) -> bool {
        matches!(self, Field::Withheld)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Released(value) => value.serialize(serializer),
            Field::Withheld => serializer.serialize_none(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct PatientView {
    pub id: i64,
    pub mrn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: Option<String>,
    #[serde(skip_serializing_if = "Field::is_withheld")]
    pub ssn: Field<Option<String>>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SsnForm {
    Full,
    Masked,
}

fn view(
    cipher: &PhiCipher,
    row: patient::Model,
    fields: PatientFields,
    form: SsnForm,
) -> DomainResult<PatientView> {
    let ssn = if fields.ssn {
        let plain = row
            .ssn_ciphertext
            .as_deref()
            .map(|c| cipher.decrypt_ssn(c))
            .transpose()?;
        Field::Released(plain.map(|ssn| match form {
            SsnForm::Full => ssn.formatted(),
            SsnForm::Masked => ssn.masked(),
        }))
    } else {
        Field::Withheld
    };
    Ok(PatientView {
        id: row.id,
        mrn: row.mrn,
        first_name: row.first_name,
        last_name: row.last_name,
        date_of_birth: row.date_of_birth,
        sex: row.sex,
        phone: row.phone,
        address: row.address,
        emergency_contact: row.emergency_contact,
        ssn,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Columns a patient list may be sorted by; anything else is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatientSort {
    LastName,
    FirstName,
    DateOfBirth,
    Mrn,
    CreatedAt,
}

impl PatientSort {
    pub fn parse(raw: &str) -> Option<PatientSort> {
        match raw {
            "last_name" => Some(PatientSort::LastName),
            "first_name" => Some(PatientSort::FirstName),
            "date_of_birth" => Some(PatientSort::DateOfBirth),
            "mrn" => Some(PatientSort::Mrn),
            "created_at" => Some(PatientSort::CreatedAt),
            _ => None,
        }
    }

    fn column(self) -> patient::Column {
        match self {
            PatientSort::LastName => patient::Column::LastName,
            PatientSort::FirstName => patient::Column::FirstName,
            PatientSort::DateOfBirth => patient::Column::DateOfBirth,
            PatientSort::Mrn => patient::Column::Mrn,
            PatientSort::CreatedAt => patient::Column::CreatedAt,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PatientQuery {
    /// Search terms, each matched against the start of a name or the MRN.
    pub terms: Vec<String>,
    pub sort: PatientSort,
    pub order: SortOrder,
    pub page: PageRequest,
}

fn starts_with(column: patient::Column, term: &str) -> sea_orm::sea_query::SimpleExpr {
    let escaped: String = term
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    Expr::expr(Func::lower(Expr::col(column)))
        .like(LikeExpr::new(format!("{escaped}%")).escape('\\'))
}

/// Patients on the caller's care team or under an active emergency grant,
/// filtered by the search terms.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    cipher: &PhiCipher,
    caller: &Caller,
    query: &PatientQuery,
) -> DomainResult<Page<PatientView>> {
    require_role(caller, CLINICIANS)?;
    let assigned = Query::select()
        .column(care_team::Column::PatientId)
        .from(care_team::Entity)
        .and_where(care_team::Column::UserId.eq(caller.user_id))
        .to_owned();
    let emergency = Query::select()
        .column(emergency_access::Column::PatientId)
        .from(emergency_access::Entity)
        .and_where(emergency_access::Column::UserId.eq(caller.user_id))
        .and_where(emergency_access::Column::ActivatedAt.is_not_null())
        .and_where(emergency_access::Column::RevokedAt.is_null())
        .and_where(emergency_access::Column::ExpiresAt.gt(Utc::now()))
        .to_owned();
    let mut filter = Condition::all().add(
        Condition::any()
            .add(patient::Column::Id.in_subquery(assigned))
            .add(patient::Column::Id.in_subquery(emergency)),
    );
    for term in &query.terms {
        let term = term.to_lowercase();
        filter = filter.add(
            Condition::any()
                .add(starts_with(patient::Column::LastName, &term))
                .add(starts_with(patient::Column::FirstName, &term))
                .add(starts_with(patient::Column::Mrn, &term)),
        );
    }
    let select = patient::Entity::find().filter(filter);
    let total = select.clone().count(db).await?;
    let order = match query.order {
        SortOrder::Asc => sea_orm::Order::Asc,
        SortOrder::Desc => sea_orm::Order::Desc,
    };
    let rows = select
        .order_by(query.sort.column(), order.clone())
        .order_by(patient::Column::Id, order)
        .offset(query.page.offset())
        .limit(query.page.page_size)
        .all(db)
        .await?;
    let fields = PatientFields::for_role(caller.role);
    let items = rows
        .into_iter()
        .map(|row| view(cipher, row, fields, SsnForm::Masked))
        .collect::<DomainResult<_>>()?;
    Ok(Page {
        items,
        page: query.page.page,
        page_size: query.page.page_size,
        total,
    })
}

/// One patient, with the fields the grant allows; the SSN in full for doctors.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    cipher: &PhiCipher,
    grant: &PatientGrant,
) -> DomainResult<PatientView> {
    let row = patient::Entity::find_by_id(grant.patient_id())
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No patient has that id."))?;
    view(cipher, row, grant.patient_fields(), SsnForm::Full)
}

#[derive(Clone, Debug)]
pub struct NewPatient {
    pub mrn: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: Option<String>,
    pub ssn: Option<Ssn>,
}

/// Creates a patient. A doctor who creates one is put on its care team in
/// the same transaction; an administrator only registers it.
pub async fn create<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    cipher: &PhiCipher,
    caller: &Caller,
    new: NewPatient,
) -> DomainResult<patient::Model> {
    require_role(caller, &[Role::Doctor, Role::Admin])?;
    let now = Utc::now();
    let mrn = new.mrn.unwrap_or_else(|| {
        format!("HS-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]).to_uppercase()
    });
    let row = patient::ActiveModel {
        mrn: Set(mrn),
        fhir_id: Set(None),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        date_of_birth: Set(new.date_of_birth),
        sex: Set(new.sex.as_str().to_string()),
        phone: Set(new.phone),
        address: Set(new.address),
        emergency_contact: Set(new.emergency_contact),
        ssn_ciphertext: Set(new.ssn.as_ref().map(|s| cipher.encrypt_ssn(s))),
        ssn_index: Set(new.ssn.as_ref().map(|s| cipher.ssn_index(s))),
        created_by: Set(Some(caller.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let mrn = row.mrn.clone().unwrap();
    let index = row.ssn_index.clone().unwrap();
    ensure_unique(db, Some(&mrn), index.as_deref(), None).await?;
    let txn = db.begin().await?;
    let created = row.insert(&txn).await.map_err(conflict_or_store)?;
    if caller.role == Role::Doctor {
        care_team::ActiveModel {
            user_id: Set(caller.user_id),
            patient_id: Set(created.id),
            assigned_by: Set(Some(caller.user_id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(created)
}

pub fn creation_view(
    cipher: &PhiCipher,
    caller: &Caller,
    row: patient::Model,
) -> DomainResult<PatientView> {
    view(
        cipher,
        row,
        PatientFields::for_role(caller.role),
        SsnForm::Full,
    )
}

const DUPLICATE_MESSAGE: &str =
    "A patient with this MRN or SSN already exists. Search for the existing chart instead.";

fn conflict_or_store(err: sea_orm::DbErr) -> DomainError {
    if is_unique_violation(&err) {
        DomainError::DuplicateIdentifier {
            message: DUPLICATE_MESSAGE,
            reason: "duplicate_identifier",
        }
    } else {
        DomainError::Store(err)
    }
}

/// Refuses an MRN or SSN that another patient already holds, naming which
/// one in the audit reason.
async fn ensure_unique<C: ConnectionTrait>(
    db: &C,
    mrn: Option<&str>,
    ssn_index: Option<&str>,
    except_id: Option<i64>,
) -> DomainResult<()> {
    let holders = |column: patient::Column, value: &str| {
        let mut query = patient::Entity::find().filter(column.eq(value));
        if let Some(id) = except_id {
            query = query.filter(patient::Column::Id.ne(id));
        }
        query
    };
    if let Some(mrn) = mrn
        && holders(patient::Column::Mrn, mrn).count(db).await? > 0
    {
        return Err(DomainError::DuplicateIdentifier {
            message: DUPLICATE_MESSAGE,
            reason: "duplicate_mrn",
        });
    }
    if let Some(index) = ssn_index
        && holders(patient::Column::SsnIndex, index).count(db).await? > 0
    {
        return Err(DomainError::DuplicateIdentifier {
            message: DUPLICATE_MESSAGE,
            reason: "duplicate_ssn",
        });
    }
    Ok(())
}

/// Demographic changes; `None` leaves a field as it is, and an empty
/// optional text clears it.
#[derive(Clone, Debug, Default)]
pub struct PatientChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub phone: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub emergency_contact: Option<Option<String>>,
    pub ssn: Option<Option<Ssn>>,
}

impl PatientChanges {
    /// Names of the fields this change touches, for the audit row.
    pub fn field_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let touched = [
            ("first_name", self.first_name.is_some()),
            ("last_name", self.last_name.is_some()),
            ("date_of_birth", self.date_of_birth.is_some()),
            ("sex", self.sex.is_some()),
            ("phone", self.phone.is_some()),
            ("address", self.address.is_some()),
            ("emergency_contact", self.emergency_contact.is_some()),
            ("ssn", self.ssn.is_some()),
        ];
        for (name, is_touched) in touched {
            if is_touched {
                names.push(name);
            }
        }
        names
    }

    fn only_contact_fields(&self) -> bool {
        self.first_name.is_none()
            && self.last_name.is_none()
            && self.date_of_birth.is_none()
            && self.sex.is_none()
            && self.ssn.is_none()
    }
}

/// Applies demographic changes: doctors on the care team may change any
/// field, nurses only the contact fields.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    cipher: &PhiCipher,
    grant: &PatientWriteGrant,
    changes: PatientChanges,
) -> DomainResult<PatientView> {
    let role = grant.caller().role;
    if role == Role::Nurse && !changes.only_contact_fields() {
        return Err(Denial::FieldNotEditable.into());
    }
    let row = patient::Entity::find_by_id(grant.patient_id())
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No patient has that id."))?;
    let mut active: patient::ActiveModel = row.into();
    if let Some(v) = changes.first_name {
        active.first_name = Set(v);
    }
    if let Some(v) = changes.last_name {
        active.last_name = Set(v);
    }
    if let Some(v) = changes.date_of_birth {
        active.date_of_birth = Set(v);
    }
    if let Some(v) = changes.sex {
        active.sex = Set(v.as_str().to_string());
    }
    if let Some(v) = changes.phone {
        active.phone = Set(v);
    }
    if let Some(v) = changes.address {
        active.address = Set(v);
    }
    if let Some(v) = changes.emergency_contact {
        active.emergency_contact = Set(v);
    }
    if let Some(ssn) = changes.ssn {
        let index = ssn.as_ref().map(|s| cipher.ssn_index(s));
        ensure_unique(db, None, index.as_deref(), Some(grant.patient_id())).await?;
        active.ssn_ciphertext = Set(ssn.as_ref().map(|s| cipher.encrypt_ssn(s)));
        active.ssn_index = Set(index);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await.map_err(conflict_or_store)?;
    view(
        cipher,
        updated,
        PatientFields::for_role(role),
        SsnForm::Full,
    )
}

/// The id of the patient with this MRN, for administrators assigning care
/// teams; nothing else about the patient is returned.
pub async fn id_by_mrn<C: ConnectionTrait>(db: &C, mrn: &str) -> DomainResult<i64> {
    patient::Entity::find()
        .select_only()
        .column(patient::Column::Id)
        .filter(patient::Column::Mrn.eq(mrn))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(DomainError::NotFound("No patient has that MRN."))
}
