//! Deterministic demo patients.
//!
//! A fresh installation needs data that looks like a clinic's (a few conditions,
//! visits, prescriptions, vital signs, some of them sensitive) without a single real
//! person in it. Every identifier is fictional by construction: SSNs lie in the 900-999
//! area that is never issued, phone numbers in the 555-0100..555-0199 range set aside
//! for fiction, MRNs carry a `DEMO-` prefix. A record's sensitive flag comes from the
//! same lists as an imported one, so the demo shows exactly what the import would.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::sensitive;
use super::synthetic_catalog::{
    FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, Measurement, PROBLEMS, Problem,
    RELATIONSHIPS, ROUTINE, STREETS, TOWNS, Template,
};
use super::{ImportedPatient, ImportedRecord, PatientBundle, RecordType};

pub(super) fn generate(seed: u64, count: usize) -> Vec<PatientBundle> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut issued_ssns = HashSet::new();
    (1..=count)
        .map(|number| demo_patient(&mut rng, number, &mut issued_ssns))
        .collect()
}

fn demo_patient(
    rng: &mut StdRng,
    number: usize,
    issued_ssns: &mut HashSet<String>,
) -> PatientBundle {
    let female = rng.random_bool(0.5);
    let first_name = pick(rng, given_names(female));
    let last_name = pick(rng, LAST_NAMES);
    let earliest_birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default();
    let date_of_birth = earliest_birth + Days::new(rng.random_range(0..65 * 365));
    let (town, state, postal_code) = pick(rng, TOWNS);
    let house = rng.random_range(2..9_000);
    let address = format!(
        "{house} {}, {town}, {state} {postal_code}",
        pick(rng, STREETS)
    );
    let emergency_contact = rng.random_bool(0.7).then(|| {
        let contact_is_female = rng.random_bool(0.5);
        let name = pick(rng, given_names(contact_is_female));
        let relationship = pick(rng, RELATIONSHIPS);
        format!(
            "{name} {last_name} ({relationship}), {}",
            fictional_phone(rng)
        )
    });
    let ssn = unissued_ssn(rng, issued_ssns);
    let fhir_id = format!("demo-{number:06}");
    let of_reproductive_age = female && (1978..=1996).contains(&date_of_birth.year());
    let needs_sensitive = number % 3 == 1;
    let records = demo_records(
        rng,
        &fhir_id,
        date_of_birth,
        of_reproductive_age,
        needs_sensitive,
    );
    let patient = ImportedPatient {
        mrn: format!("DEMO-{number:06}"),
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        date_of_birth,
        sex: if female { "female" } else { "male" }.to_owned(),
        phone: Some(fictional_phone(rng)),
        address: Some(address),
        emergency_contact,
        ssn: Some(ssn),
        fhir_id,
    };
    let skipped = BTreeMap::new();
    PatientBundle {
        patient,
        records,
        skipped,
    }
}

fn given_names(female: bool) -> &'static [&'static str] {
    if female {
        FEMALE_FIRST_NAMES
    } else {
        MALE_FIRST_NAMES
    }
}

/// `9dd-dd-dddd` with a non-zero group and serial, unique within `issued`.
fn unissued_ssn(rng: &mut StdRng, issued: &mut HashSet<String>) -> String {
    loop {
        let area = rng.random_range(900..1000);
        let group = rng.random_range(1..100);
        let serial = rng.random_range(1..10_000);
        let candidate = format!("{area}-{group:02}-{serial:04}");
        if issued.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// 3-8 records: the conditions of one or two problems first, then their follow-ups and
/// routine records, in date order. About one problem in six is a sensitive one;
/// `needs_sensitive` makes sure of one, so that every third patient shows the
/// restricted view.
fn demo_records(
    rng: &mut StdRng,
    fhir_id: &str,
    date_of_birth: NaiveDate,
    of_reproductive_age: bool,
    needs_sensitive: bool,
) -> Vec<ImportedRecord> {
    let eligible = |t: &Template| of_reproductive_age || !t.reproductive_age_women_only;
    let (sensitive_problems, common_problems): (Vec<&Problem>, Vec<&Problem>) = PROBLEMS
        .iter()
        .filter(|p| eligible(&p.condition))
        .partition(|p| is_sensitive(&p.condition));
    let mut problems: Vec<&Problem> = Vec::new();
    for _ in 0..rng.random_range(1..=2) {
        let pool = if rng.random_bool(1.0 / 6.0) {
            &sensitive_problems
        } else {
            &common_problems
        };
        let candidate = pick(rng, pool);
        if !problems.iter().any(|p| std::ptr::eq(*p, candidate)) {
            problems.push(candidate);
        }
    }
    if needs_sensitive && !problems.iter().any(|p| is_sensitive(&p.condition)) {
        problems[0] = pick(rng, &sensitive_problems);
    }

    let mut chosen: Vec<&Template> = problems.iter().map(|p| &p.condition).collect();
    let follow_ups = problems.iter().flat_map(|p| p.follow_ups).chain(ROUTINE);
    let mut extras: Vec<&Template> = follow_ups.filter(|t| eligible(t)).collect();
    let count = rng.random_range(3..=8);
    while chosen.len() < count && !extras.is_empty() {
        chosen.push(extras.swap_remove(rng.random_range(0..extras.len())));
    }

    let first_day = date_of_birth.max(NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default());
    let last_day = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or_default();
    let start = first_day.and_time(NaiveTime::MIN).and_utc();
    let span_seconds = (last_day - first_day).num_seconds().max(1);
    let mut offsets: Vec<i64> = chosen
        .iter()
        .map(|_| rng.random_range(0..span_seconds))
        .collect();
    offsets.sort_unstable();
    chosen
        .into_iter()
        .zip(offsets)
        .enumerate()
        .map(|(index, (template, offset))| ImportedRecord {
            source_id: format!(
                "{}/{fhir_id}-{}",
                resource_type(template.record_type),
                index + 1
            ),
            record_type: template.record_type,
            diagnosis: template.diagnosis.to_owned(),
            treatment: template.treatment.map(str::to_owned),
            notes: template
                .measured
                .as_ref()
                .map(|m| m.sample(rng))
                .or(template.notes.map(str::to_owned)),
            medications: template.medications.map(str::to_owned),
            severity: template.severity,
            sensitive: is_sensitive(template),
            recorded_at: start + TimeDelta::seconds(offset),
        })
        .collect()
}

/// The rule the importer applies to a resource: a listed code, or a sensitive term in
/// any of the record's wording.
fn is_sensitive(template: &Template) -> bool {
    let by_code = template
        .coding
        .is_some_and(|(system, code)| sensitive::category_of_code(Some(system), code).is_some());
    let wording = [
        Some(template.diagnosis),
        template.treatment,
        template.medications,
    ];
    by_code
        || wording
            .into_iter()
            .flatten()
            .any(|text| sensitive::category_of_text(text).is_some())
}

impl Measurement {
    fn sample(&self, rng: &mut StdRng) -> String {
        let value = rng.random_range(self.low..=self.high);
        format!("{value:.prec$} {}", self.unit, prec = self.decimals)
    }
}

fn resource_type(record_type: RecordType) -> &'static str {
    match record_type {
        RecordType::Condition => "Condition",
        RecordType::Encounter => "Encounter",
        RecordType::Medication => "MedicationRequest",
        RecordType::Procedure => "Procedure",
        RecordType::Observation => "Observation",
    }
}

fn fictional_phone(rng: &mut StdRng) -> String {
    format!("555-01{:02}", rng.random_range(0..100))
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::super::synthetic_catalog::{PROBLEMS, ROUTINE};
    use super::super::{RecordType, synthetic_patients};
    use super::is_sensitive;

    #[test]
    fn the_same_seed_yields_the_same_patients_and_another_seed_others() {
        assert_eq!(synthetic_patients(7, 25), synthetic_patients(7, 25));
        assert_ne!(synthetic_patients(7, 25), synthetic_patients(8, 25));
    }

    #[test]
    fn identifiers_are_fictional_by_construction() {
        let bundles = synthetic_patients(42, 300);

        let mut ssns = HashSet::new();
        for (index, bundle) in bundles.iter().enumerate() {
            let patient = &bundle.patient;
            assert_eq!(patient.mrn, format!("DEMO-{:06}", index + 1));
            let ssn = patient
                .ssn
                .as_deref()
                .expect("every demo patient has an SSN");
            let digits: String = ssn.chars().filter(char::is_ascii_digit).collect();
            assert!(
                ssn.starts_with('9') && ssn.len() == 11 && digits.len() == 9,
                "{ssn}"
            );
            assert!(&ssn[4..6] != "00" && &ssn[7..] != "0000");
            assert!(ssns.insert(ssn.to_owned()), "SSNs are unique");
            let phones = [
                patient.phone.as_deref(),
                patient.emergency_contact.as_deref(),
            ];
            for text in phones.into_iter().flatten() {
                let phone = &text[text.len() - 8..];
                assert!(phone.starts_with("555-01"), "{text}");
            }
        }
    }

    #[test]
    fn each_patient_has_three_to_eight_dated_records_and_the_set_mixes_types() {
        let bundles = synthetic_patients(3, 60);

        let mut types = HashSet::new();
        for bundle in &bundles {
            let records = &bundle.records;
            assert!((3..=8).contains(&records.len()));
            let born = bundle.patient.date_of_birth;
            assert!(records.iter().all(|r| r.recorded_at.date_naive() >= born));
            let ids: HashSet<_> = records.iter().map(|r| &r.source_id).collect();
            assert_eq!(ids.len(), records.len());
            types.extend(records.iter().map(|r| r.record_type));
        }
        assert_eq!(types.len(), RecordType::ALL.len());
    }

    #[test]
    fn every_third_patient_from_the_first_has_a_sensitive_record() {
        let bundles = synthetic_patients(11, 30);

        for bundle in bundles.iter().step_by(3) {
            assert!(
                bundle.records.iter().any(|r| r.sensitive),
                "{}",
                bundle.patient.mrn
            );
        }
    }

    #[test]
    fn pregnancy_and_contraception_records_go_to_women_only() {
        let bundles = synthetic_patients(5, 200);

        let reproductive = ["Normal pregnancy", "Prenatal visit", "Contraception"];
        for bundle in bundles.iter().filter(|b| b.patient.sex == "male") {
            let diagnoses = bundle.records.iter().map(|r| r.diagnosis.as_str());
            assert!(diagnoses.into_iter().all(|d| !reproductive.contains(&d)));
        }
    }

    #[test]
    fn the_shared_lists_flag_exactly_the_templates_meant_to_be_sensitive() {
        let conditions = PROBLEMS.iter().map(|p| &p.condition);
        let follow_ups = PROBLEMS.iter().flat_map(|p| p.follow_ups);
        let flagged: Vec<&str> = conditions
            .chain(follow_ups)
            .chain(ROUTINE)
            .filter(|t| is_sensitive(t))
            .map(|t| t.medications.or(t.treatment).unwrap_or(t.diagnosis))
            .collect();

        let expected = [
            "Major depression, single episode",
            "Generalized anxiety disorder",
            "Opioid abuse",
            "Alcoholism",
            "Human immunodeficiency virus infection",
            "Complete trisomy 21 syndrome",
            "Normal pregnancy",
            "Sertraline 50 MG Oral Tablet",
            "Buprenorphine 2 MG / Naloxone 0.5 MG Sublingual Tablet",
            "Drug addiction counseling",
            "Bictegravir 50 MG / Emtricitabine 200 MG / Tenofovir alafenamide 25 MG Oral Tablet",
            "HIV viral load",
            "Prenatal visit",
            "Standard pregnancy test",
            "Jolivette 28 Day Pack",
        ];
        assert_eq!(flagged, expected);
    }
}
