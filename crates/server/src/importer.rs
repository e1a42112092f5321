//! Storage side of the FHIR import and of the demo data: writes one parsed
//! patient bundle in one transaction, keyed so that importing the same
//! bundle twice changes nothing.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};

use crate::domain::{Ssn, is_unique_violation};
use crate::fhir::{FhirError, PatientBundle, parse_bundle};
use crate::phi::PhiCipher;
use crate::store::entities::{medical_record, patient};

/// What storing one bundle did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BundleOutcome {
    pub patient_id: i64,
    pub patient_created: bool,
    pub records_created: usize,
    pub records_present: usize,
    pub sensitive_created: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreBundleError {
    #[error("another patient already has this MRN or SSN")]
    Conflict,
    #[error("database: {0}")]
    Store(#[from] DbErr),
}

/// Rows per multi-row insert, well under every engine's parameter limit.
const INSERT_CHUNK: usize = 500;

/// Writes the bundle's patient (if new) and any records not yet stored, all
/// in one transaction: a failure leaves nothing of the bundle behind.
pub async fn store_bundle(
    db: &DatabaseConnection,
    cipher: &PhiCipher,
    bundle: &PatientBundle,
) -> Result<BundleOutcome, StoreBundleError> {
    let txn = db.begin().await?;
    let source = &bundle.patient;
    let existing = patient::Entity::find()
        .filter(patient::Column::FhirId.eq(source.fhir_id.as_str()))
        .one(&txn)
        .await?;
    let (patient_id, patient_created) = match existing {
        Some(row) => (row.id, false),
        None => {
            let ssn = source.ssn.as_deref().and_then(Ssn::parse);
            let now = Utc::now();
            let row = patient::ActiveModel {
                mrn: Set(source.mrn.clone()),
                fhir_id: Set(Some(source.fhir_id.clone())),
                first_name: Set(source.first_name.clone()),
                last_name: Set(source.last_name.clone()),
                date_of_birth: Set(source.date_of_birth),
                sex: Set(source.sex.clone()),
                phone: Set(source.phone.clone()),
                address: Set(source.address.clone()),
                emergency_contact: Set(source.emergency_contact.clone()),
                ssn_ciphertext: Set(ssn.as_ref().map(|s| cipher.encrypt_ssn(s))),
                ssn_index: Set(ssn.as_ref().map(|s| cipher.ssn_index(s))),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            let inserted = row.insert(&txn).await.map_err(|err| {
                if is_unique_violation(&err) {
                    StoreBundleError::Conflict
                } else {
                    StoreBundleError::Store(err)
                }
            })?;
            (inserted.id, true)
        }
    };

    let present: HashSet<String> = medical_record::Entity::find()
        .select_only()
        .column(medical_record::Column::SourceId)
        .filter(medical_record::Column::PatientId.eq(patient_id))
        .into_tuple::<Option<String>>()
        .all(&txn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let now = Utc::now();
    let new_records: Vec<_> = bundle
        .records
        .iter()
        .filter(|r| !present.contains(&r.source_id))
        .collect();
    let sensitive_created = new_records.iter().filter(|r| r.sensitive).count();
    for chunk in new_records.chunks(INSERT_CHUNK) {
        let rows = chunk.iter().map(|record| medical_record::ActiveModel {
            patient_id: Set(patient_id),
            doctor_id: Set(None),
            record_type: Set(record.record_type.as_str().to_string()),
            diagnosis: Set(record.diagnosis.chars().take(500).collect()),
            treatment: Set(record.treatment.clone()),
            notes: Set(record.notes.clone()),
            medications: Set(record.medications.clone()),
            severity: Set(record.severity.as_str().to_string()),
            sensitive: Set(record.sensitive),
            source_id: Set(Some(record.source_id.clone())),
            recorded_at: Set(record.recorded_at.fixed_offset()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        medical_record::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(BundleOutcome {
        patient_id,
        patient_created,
        records_created: new_records.len(),
        records_present: bundle.records.len() - new_records.len(),
        sensitive_created,
    })
}

/// Totals over one import run.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub files: usize,
    pub patients_created: usize,
    pub patients_present: usize,
    pub records_created: usize,
    pub records_present: usize,
    pub sensitive_created: usize,
    /// Resources not imported, by resource type.
    pub skipped: BTreeMap<String, usize>,
    /// Bundles with no patient in them (for example a hospital's
    /// organisation and location list); nothing to import.
    pub without_patient: Vec<PathBuf>,
    /// Files refused, with the reason (naming the resource, never a value).
    pub refused: Vec<(PathBuf, String)>,
    /// Ids of the patients created, for the audit trail.
    pub created_ids: Vec<i64>,
}

/// Expands folders into the `.json` files they hold, sorted, so a run is
/// repeatable.
pub fn collect_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} does not exist", path.display()),
            ));
        }
    }
    Ok(files)
}

/// What happened to one file, for progress output.
pub enum FileResult<'a> {
    Imported(&'a BundleOutcome),
    WithoutPatient,
    Refused(&'a str),
}

/// Imports every file, each on its own; one bad file does not stop the rest.
pub async fn import_files(
    db: &DatabaseConnection,
    cipher: &PhiCipher,
    files: &[PathBuf],
    mut progress: impl FnMut(usize, &Path, FileResult<'_>),
) -> ImportSummary {
    let mut summary = ImportSummary {
        files: files.len(),
        ..Default::default()
    };
    for (index, file) in files.iter().enumerate() {
        let parsed = std::fs::read(file)
            .map_err(|e| format!("cannot read the file: {}", e.kind()))
            .and_then(|bytes| {
                parse_bundle(&bytes).map_err(|err| match err {
                    FhirError::NoPatient => String::new(),
                    other => other.to_string(),
                })
            });
        let bundle = match parsed {
            Ok(bundle) => bundle,
            Err(reason) if reason.is_empty() => {
                progress(index, file, FileResult::WithoutPatient);
                summary.without_patient.push(file.clone());
                continue;
            }
            Err(reason) => {
                progress(index, file, FileResult::Refused(&reason));
                summary.refused.push((file.clone(), reason));
                continue;
            }
        };
        match store_bundle(db, cipher, &bundle).await {
            Ok(outcome) => {
                progress(index, file, FileResult::Imported(&outcome));
                if outcome.patient_created {
                    summary.patients_created += 1;
                    summary.created_ids.push(outcome.patient_id);
                } else {
                    summary.patients_present += 1;
                }
                summary.records_created += outcome.records_created;
                summary.records_present += outcome.records_present;
                summary.sensitive_created += outcome.sensitive_created;
                for (kind, count) in &bundle.skipped {
                    *summary.skipped.entry(kind.clone()).or_default() += count;
                }
            }
            Err(err) => {
                let reason = match err {
                    StoreBundleError::Conflict => {
                        "another patient already has this MRN or SSN".to_string()
                    }
                    StoreBundleError::Store(db) => format!("database error: {db}"),
                };
                progress(index, file, FileResult::Refused(&reason));
                summary.refused.push((file.clone(), reason));
            }
        }
    }
    summary
}
