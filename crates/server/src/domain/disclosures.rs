//! Disclosures made outside the system, recorded by a doctor on the care
//! team so the patient's accounting of disclosures is complete. Recorded
//! disclosures are never changed or removed.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde::Serialize;

use super::error::DomainResult;
use super::types::bounded_text;
use crate::policy::{DOCTORS, PatientWriteGrant, require_role};
use crate::store::entities::disclosure;

/// A checked disclosure, ready to record.
#[derive(Clone, Debug)]
pub struct NewDisclosure {
    pub recipient: String,
    pub purpose: String,
    pub description: String,
    pub disclosed_on: NaiveDate,
}

impl NewDisclosure {
    pub fn parse(
        recipient: &str,
        purpose: &str,
        description: &str,
        disclosed_on: &str,
    ) -> Result<NewDisclosure, String> {
        Ok(NewDisclosure {
            recipient: bounded_text("recipient", recipient, 200)?,
            purpose: bounded_text("purpose", purpose, 200)?,
            description: bounded_text("description", description, 1000)?,
            disclosed_on: disclosure_date(disclosed_on)?,
        })
    }
}

/// A calendar date, not in the future anywhere: the last time zone to
/// reach a date is fourteen hours ahead of UTC, so a doctor far east of
/// Greenwich can record today's disclosure.
fn disclosure_date(raw: &str) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| "`disclosed_at` must be a date written YYYY-MM-DD.".to_string())?;
    let latest = (Utc::now() + Duration::hours(14)).date_naive();
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date");
    if date > latest || date < earliest {
        return Err("`disclosed_at` must be a real date, not in the future.".into());
    }
    Ok(date)
}

#[derive(Clone, Debug, Serialize)]
pub struct DisclosureView {
    pub id: i64,
    pub patient_id: i64,
    pub recipient: String,
    pub purpose: String,
    pub description: String,
    pub disclosed_at: NaiveDate,
    pub recorded_by: i64,
    pub recorded_at: chrono::DateTime<Utc>,
}

impl From<disclosure::Model> for DisclosureView {
    fn from(row: disclosure::Model) -> Self {
        DisclosureView {
            id: row.id,
            patient_id: row.patient_id,
            recipient: row.recipient,
            purpose: row.purpose,
            description: row.description,
            disclosed_at: row.disclosed_on,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        }
    }
}

/// Records a disclosure of the grant's patient, by the grant's doctor.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    grant: &PatientWriteGrant,
    new: NewDisclosure,
) -> DomainResult<DisclosureView> {
    require_role(grant.caller(), DOCTORS)?;
    let row = disclosure::ActiveModel {
        patient_id: Set(grant.patient_id()),
        recorded_by: Set(grant.caller().user_id),
        recorded_by_role: Set(grant.caller().role.as_str().to_string()),
        recipient: Set(new.recipient),
        purpose: Set(new.purpose),
        description: Set(new.description),
        disclosed_on: Set(new.disclosed_on),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    };
    Ok(row.insert(db).await?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disclosures_need_every_field_and_a_date_that_has_happened() {
        let today = Utc::now().date_naive().to_string();
        assert!(NewDisclosure::parse("Dr Who", "treatment", "discharge summary", &today).is_ok());
        assert!(NewDisclosure::parse(" ", "treatment", "summary", &today).is_err());
        assert!(NewDisclosure::parse("a", "b", &"x".repeat(1001), &today).is_err());
        assert!(NewDisclosure::parse("a", &"p".repeat(201), "c", &today).is_err());
        let next_week = (Utc::now() + Duration::days(7)).date_naive().to_string();
        let err = NewDisclosure::parse("a", "b", "c", &next_week).unwrap_err();
        assert!(err.contains("`disclosed_at`"), "{err}");
        assert!(NewDisclosure::parse("a", "b", "c", "04/12/2026").is_err());
    }
}
