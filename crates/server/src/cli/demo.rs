//! Demo data for trying the product on one machine: staff of every role,
//! care teams, and synthetic patients when the database has none.

use base64::Engine;
use chrono::Utc;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::auth::{NewPassword, PasswordHasher};
use crate::config::Config;
use crate::domain::Email;
use crate::domain::users::{self, NewUser};
use crate::fhir::synthetic_patients;
use crate::importer::store_bundle;
use crate::policy::Role;
use crate::store::entities::{care_team, patient};

const DEMO_SEED: u64 = 20_261_204;

struct DemoStaff {
    email: &'static str,
    name: &'static str,
    role: Role,
}

const STAFF: &[DemoStaff] = &[
    DemoStaff {
        email: "meredith.okafor@demo.healthsecure.test",
        name: "Dr. Meredith Okafor",
        role: Role::Doctor,
    },
    DemoStaff {
        email: "samuel.lindqvist@demo.healthsecure.test",
        name: "Dr. Samuel Lindqvist",
        role: Role::Doctor,
    },
    DemoStaff {
        email: "priya.raman@demo.healthsecure.test",
        name: "Priya Raman, RN",
        role: Role::Nurse,
    },
    DemoStaff {
        email: "tomas.ortega@demo.healthsecure.test",
        name: "Tomás Ortega, RN",
        role: Role::Nurse,
    },
    DemoStaff {
        email: "grace.whitfield@demo.healthsecure.test",
        name: "Grace Whitfield",
        role: Role::Admin,
    },
];

/// A fresh random password for each demo account on every run, so no
/// password is ever shared between installations or written in the code.
fn random_password() -> String {
    let mut bytes = [0u8; 12];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "Demo-{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

pub async fn run(config: &Config, patient_count: usize) -> anyhow::Result<()> {
    if config.is_production() {
        anyhow::bail!(
            "ENVIRONMENT=production: demo accounts and demo patients are for development only"
        );
    }
    let db = super::open(config).await?;
    let cipher = super::cipher(config);
    let hasher = PasswordHasher::new(config.bcrypt_cost, 2);

    let existing_patients = patient::Entity::find().count(&db).await?;
    if existing_patients == 0 {
        for bundle in synthetic_patients(DEMO_SEED, patient_count) {
            store_bundle(&db, &cipher, &bundle).await?;
        }
        println!(
            "Generated {patient_count} synthetic demo patients (SSNs in the never-issued 900 range)."
        );
    }

    let mut sign_ins = Vec::new();
    let mut clinicians = Vec::new();
    for staff in STAFF {
        let password = random_password();
        let hash = hasher
            .hash(&NewPassword::parse(password.clone()).map_err(anyhow::Error::msg)?)
            .await?;
        let id = match users::find_by_email(&db, staff.email).await? {
            Some(existing) => {
                users::set_password_hash(&db, existing.id, hash, false).await?;
                existing.id
            }
            None => {
                let email = Email::parse(staff.email).expect("demo emails are valid");
                let new = NewUser {
                    email,
                    name: staff.name.into(),
                    role: staff.role,
                    password_hash: hash,
                    must_change_password: false,
                };
                users::create(&db, new).await?.id
            }
        };
        if staff.role.is_clinician() {
            clinicians.push(id);
        }
        sign_ins.push((staff, password));
    }

    // Each doctor-and-nurse pair looks after its own half of the first
    // patients, with a few shared, so care-team scoping is visible at once.
    let patient_ids: Vec<i64> = patient::Entity::find()
        .select_only()
        .column(patient::Column::Id)
        .order_by_asc(patient::Column::Id)
        .limit(24)
        .into_tuple()
        .all(&db)
        .await?;
    for (index, patient_id) in patient_ids.iter().enumerate() {
        let team = if index % 2 == 0 {
            [clinicians[0], clinicians[2]]
        } else {
            [clinicians[1], clinicians[3]]
        };
        let shared = index % 6 == 0;
        let members = if shared {
            clinicians.clone()
        } else {
            team.to_vec()
        };
        for user_id in members {
            assign(&db, user_id, *patient_id).await?;
        }
    }

    println!();
    println!("Demo sign-ins (new passwords on every run of `healthsecure demo`):");
    for (staff, password) in &sign_ins {
        println!(
            "  {:<6} {:<42} {}",
            staff.role.as_str(),
            staff.email,
            password
        );
    }
    let required: Vec<&str> = config
        .mfa
        .required_roles
        .iter()
        .map(|r| r.as_str())
        .collect();
    if !required.is_empty() {
        println!();
        println!(
            "Two-step sign-in is required for: {} (MFA_REQUIRED_ROLES).",
            required.join(", ")
        );
        println!(
            "The first sign-in of such an account shows a QR code: scan it with an authenticator app"
        );
        println!(
            "(any TOTP app), enter the six-digit code it shows, and keep the recovery codes it gives."
        );
        println!(
            "Later sign-ins ask for the current code. Lost the phone? `healthsecure user reset-mfa --email <address>`."
        );
    }
    Ok(())
}

async fn assign(
    db: &sea_orm::DatabaseConnection,
    user_id: i64,
    patient_id: i64,
) -> anyhow::Result<()> {
    let exists = care_team::Entity::find()
        .filter(care_team::Column::UserId.eq(user_id))
        .filter(care_team::Column::PatientId.eq(patient_id))
        .count(db)
        .await?
        > 0;
    if !exists {
        care_team::ActiveModel {
            user_id: Set(user_id),
            patient_id: Set(patient_id),
            assigned_by: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
