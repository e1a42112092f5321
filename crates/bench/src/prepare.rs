//! Builds the benchmark database: copies of the real Synthea bundles until
//! there are enough patients, and care teams for the benchmark doctors.
//!
//! Copies go through `importer::store_bundle`, the importer's own storage
//! path (one transaction per patient, the SSN encrypted with its blind
//! index), so the rows are exactly what an import of that many bundles
//! would leave. Only identifiers change: the FHIR id, the MRN and the SSN,
//! which must be unique. Copy SSNs use areas 900-998, which the Synthea
//! bundles (area 999) never use.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::Utc;
use healthsecure::config::Config;
use healthsecure::fhir::{PatientBundle, parse_bundle};
use healthsecure::importer::{collect_files, store_bundle};
use healthsecure::phi::PhiCipher;
use healthsecure::store::{self, entities::care_team, entities::patient, entities::user};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};

/// Concurrent bundle writers on a server database: enough to overlap one
/// transaction's commit with the next one's inserts. SQLite gets one: its
/// transactions start as readers, and a second writer's upgrade fails at
/// once with "database is locked" instead of waiting.
const SERVER_WRITERS: usize = 4;

pub async fn multiply(config: &Config, dir: &Path, target: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let url = config.database_url.expose();
    let writers_wanted = match store::Engine::of(url) {
        store::Engine::Sqlite => 1,
        _ => SERVER_WRITERS,
    };
    let db = store::connect(url, writers_wanted as u32).await?;
    let bundles = read_bundles(dir)?;
    let present = patient::Entity::find().count(&db).await? as usize;
    let missing = target.saturating_sub(present);
    let cipher = PhiCipher::new(config.phi_key.expose());
    let bundles = Arc::new(bundles);

    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..writers_wanted {
        let (db, cipher, bundles) = (db.clone(), cipher.clone(), bundles.clone());
        writers.spawn(async move {
            let mut records = 0usize;
            for n in (writer..missing).step_by(writers_wanted) {
                let copy = copy_of(&bundles[n % bundles.len()], n / bundles.len() + 1, n);
                let outcome = store_bundle(&db, &cipher, &copy)
                    .await
                    .map_err(|e| anyhow::anyhow!("copy {n}: {e}"))?;
                records += outcome.records_created;
            }
            anyhow::Ok(records)
        });
    }
    let mut records = 0;
    while let Some(done) = writers.join_next().await {
        records += done??;
    }
    println!(
        "{{\"patients_before\": {present}, \"copies\": {missing}, \"records_created\": {records}, \"seconds\": {:.1}}}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn read_bundles(dir: &Path) -> anyhow::Result<Vec<PatientBundle>> {
    let files = collect_files(&[dir.to_path_buf()]).context("cannot list the bundles")?;
    let bundles: Vec<PatientBundle> = files
        .iter()
        .filter_map(|file| parse_bundle(&std::fs::read(file).ok()?).ok())
        .collect();
    if bundles.is_empty() {
        bail!("no patient bundle in {}", dir.display());
    }
    Ok(bundles)
}

/// The `copy`-th copy of `bundle`, with identifiers unique across copies.
fn copy_of(bundle: &PatientBundle, copy: usize, serial: usize) -> PatientBundle {
    let mut copy_bundle = bundle.clone();
    let patient = &mut copy_bundle.patient;
    patient.fhir_id = format!("{}-bench-{copy}", patient.fhir_id);
    patient.mrn = format!("{}-B{copy}", patient.mrn);
    if patient.ssn.is_some() {
        patient.ssn = Some(copy_ssn(serial));
    }
    copy_bundle
}

/// A distinct, structurally valid SSN for each serial number.
fn copy_ssn(serial: usize) -> String {
    let area = 900 + serial / (99 * 9999);
    let group = serial / 9999 % 99 + 1;
    let number = serial % 9999 + 1;
    format!("{area:03}-{group:02}-{number:04}")
}

pub async fn care_teams(
    config: &Config,
    doctor_emails: &[String],
    ids_out: &Path,
    names_out: &Path,
) -> anyhow::Result<()> {
    let db = store::connect(config.database_url.expose(), 2).await?;
    let mut doctors = Vec::new();
    for email in doctor_emails {
        let row = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&db)
            .await?
            .with_context(|| format!("no user {email}"))?;
        doctors.push(row.id);
    }
    let patients: Vec<(i64, String)> = patient::Entity::find()
        .select_only()
        .column(patient::Column::Id)
        .column(patient::Column::LastName)
        .order_by_asc(patient::Column::Id)
        .into_tuple()
        .all(&db)
        .await?;

    let now = Utc::now();
    let txn = db.begin().await?;
    let rows: Vec<care_team::ActiveModel> = patients
        .iter()
        .enumerate()
        .map(|(i, (patient_id, _))| care_team::ActiveModel {
            user_id: Set(doctors[i % doctors.len()]),
            patient_id: Set(*patient_id),
            assigned_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        care_team::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;

    let first: Vec<&(i64, String)> = patients.iter().step_by(doctors.len()).collect();
    let ids: Vec<String> = first.iter().map(|(id, _)| id.to_string()).collect();
    let mut names: Vec<&str> = first.iter().map(|(_, name)| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    std::fs::write(ids_out, ids.join("\n") + "\n")?;
    std::fs::write(names_out, names.join("\n") + "\n")?;
    println!(
        "{{\"assignments\": {}, \"first_doctor_patients\": {}, \"distinct_last_names\": {}}}",
        patients.len(),
        ids.len(),
        names.len()
    );
    Ok(())
}

pub async fn count(config: &Config, table: &str) -> anyhow::Result<()> {
    if !matches!(table, "audit_log" | "bench_bare_log") {
        bail!("count: only audit_log or bench_bare_log");
    }
    let db: DatabaseConnection = store::connect(config.database_url.expose(), 1).await?;
    println!("{}", rows_in(&db, table).await?);
    Ok(())
}

pub async fn rows_in(db: &DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let backend = db.get_database_backend();
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .context("COUNT returned no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}
