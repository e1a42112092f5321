//! What demo patients are made of: fictional names and places, and the record templates
//! drawn for them, each with the code that decides, through the sensitive lists, whether
//! the record is sensitive.

use super::{RecordType, Severity};

pub(super) const FEMALE_FIRST_NAMES: &[&str] = &[
    "Alice", "Beatrice", "Clara", "Dolores", "Elena", "Fiona", "Grace", "Hannah", "Irene", "Julia",
    "Keiko", "Lucia", "Maya", "Nadia", "Olivia", "Priya", "Rosa", "Sofia", "Tamara", "Yasmin",
];
pub(super) const MALE_FIRST_NAMES: &[&str] = &[
    "Aaron", "Bruno", "Carlos", "Daniel", "Emeka", "Felix", "George", "Hiroshi", "Ivan", "Jonas",
    "Kwame", "Liam", "Marco", "Nikhil", "Oscar", "Pavel", "Rafael", "Samuel", "Tomas", "Victor",
];
pub(super) const LAST_NAMES: &[&str] = &[
    "Abbott",
    "Becker",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ishikawa",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Underwood",
    "Varga",
    "Whitfield",
    "Yilmaz",
    "Zhou",
];
pub(super) const STREETS: &[&str] = &[
    "Maple Street",
    "Oak Avenue",
    "Cedar Lane",
    "Birch Road",
    "Willow Way",
    "Harbor Drive",
    "Orchard Court",
    "Meadow Lane",
    "Hillcrest Road",
    "Riverside Drive",
];
pub(super) const TOWNS: &[(&str, &str, &str)] = &[
    ("Fairview", "OR", "97024"),
    ("Lakewood", "CO", "80226"),
    ("Riverton", "WY", "82501"),
    ("Brookfield", "WI", "53005"),
    ("Greenville", "SC", "29601"),
    ("Milford", "CT", "06460"),
];
pub(super) const RELATIONSHIPS: &[&str] = &["Spouse", "Parent", "Sibling", "Child"];

pub(super) const SNOMED: &str = "http://snomed.info/sct";
pub(super) const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
pub(super) const LOINC: &str = "http://loinc.org";

/// One kind of demo record. `measured` makes the notes a random value in range, as an
/// imported Observation's notes carry its value.
pub(super) struct Template {
    pub(super) record_type: RecordType,
    pub(super) coding: Option<(&'static str, &'static str)>,
    pub(super) diagnosis: &'static str,
    pub(super) treatment: Option<&'static str>,
    pub(super) medications: Option<&'static str>,
    pub(super) notes: Option<&'static str>,
    pub(super) measured: Option<Measurement>,
    pub(super) severity: Severity,
    pub(super) reproductive_age_women_only: bool,
}

pub(super) struct Measurement {
    pub(super) low: f64,
    pub(super) high: f64,
    pub(super) decimals: usize,
    pub(super) unit: &'static str,
}

const fn base(
    record_type: RecordType,
    coding: Option<(&'static str, &'static str)>,
    diagnosis: &'static str,
) -> Template {
    Template {
        record_type,
        coding,
        diagnosis,
        treatment: None,
        medications: None,
        notes: None,
        measured: None,
        severity: Severity::Low,
        reproductive_age_women_only: false,
    }
}

const fn condition(code: &'static str, diagnosis: &'static str, severity: Severity) -> Template {
    Template {
        severity,
        notes: Some("clinical status: active"),
        ..base(RecordType::Condition, Some((SNOMED, code)), diagnosis)
    }
}

const fn visit(
    code: &'static str,
    diagnosis: &'static str,
    notes: &'static str,
    severity: Severity,
) -> Template {
    Template {
        severity,
        notes: Some(notes),
        ..base(RecordType::Encounter, Some((SNOMED, code)), diagnosis)
    }
}

const fn prescription(
    code: Option<&'static str>,
    medication: &'static str,
    reason: &'static str,
    dosage: &'static str,
) -> Template {
    let coding = match code {
        Some(code) => Some((RXNORM, code)),
        None => None,
    };
    Template {
        medications: Some(medication),
        treatment: Some(dosage),
        notes: Some("status: active; intent: order"),
        ..base(RecordType::Medication, coding, reason)
    }
}

const fn procedure(code: &'static str, name: &'static str, reason: &'static str) -> Template {
    Template {
        treatment: Some(name),
        notes: Some("status: completed"),
        severity: Severity::Medium,
        ..base(RecordType::Procedure, Some((SNOMED, code)), reason)
    }
}

const fn vital(
    code: &'static str,
    label: &'static str,
    low: f64,
    high: f64,
    decimals: usize,
    unit: &'static str,
) -> Template {
    Template {
        measured: Some(Measurement {
            low,
            high,
            decimals,
            unit,
        }),
        ..base(RecordType::Observation, Some((LOINC, code)), label)
    }
}

const fn for_reproductive_age_women(template: Template) -> Template {
    Template {
        reproductive_age_women_only: true,
        ..template
    }
}

/// A health problem as a demo patient has it: the condition, and the visits,
/// prescriptions, procedures and measurements that go with it.
pub(super) struct Problem {
    pub(super) condition: Template,
    pub(super) follow_ups: &'static [Template],
}

const fn problem(condition: Template, follow_ups: &'static [Template]) -> Problem {
    Problem {
        condition,
        follow_ups,
    }
}

const EMERGENCY_ADMISSION: Template = visit(
    "50849002",
    "Emergency room admission",
    "Emergency encounter; status: finished",
    Severity::High,
);

pub(super) const PROBLEMS: &[Problem] = &[
    problem(
        condition("59621000", "Essential hypertension", Severity::Medium),
        &[
            prescription(
                Some("314076"),
                "Lisinopril 10 MG Oral Tablet",
                "Essential hypertension",
                "One tablet by mouth daily",
            ),
            procedure("40701008", "Echocardiography", "Essential hypertension"),
            vital(
                "8480-6",
                "Systolic blood pressure",
                128.0,
                172.0,
                0,
                "mm[Hg]",
            ),
        ],
    ),
    problem(
        condition("44054006", "Type 2 diabetes mellitus", Severity::Medium),
        &[
            prescription(
                Some("860975"),
                "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet",
                "Type 2 diabetes mellitus",
                "One tablet by mouth with the evening meal",
            ),
            vital("4548-4", "Hemoglobin A1c", 6.5, 9.8, 1, "%"),
        ],
    ),
    problem(
        condition("49436004", "Atrial fibrillation", Severity::High),
        &[
            procedure(
                "180325003",
                "Electrical cardioversion",
                "Atrial fibrillation",
            ),
            vital("8867-4", "Heart rate", 88.0, 140.0, 0, "/min"),
            EMERGENCY_ADMISSION,
        ],
    ),
    problem(
        condition("195967001", "Asthma", Severity::Medium),
        &[EMERGENCY_ADMISSION],
    ),
    problem(
        condition("10509002", "Acute bronchitis", Severity::Low),
        &[],
    ),
    problem(
        condition(
            "36923009",
            "Major depression, single episode",
            Severity::Medium,
        ),
        &[prescription(
            None,
            "Sertraline 50 MG Oral Tablet",
            "Major depression, single episode",
            "One tablet by mouth every morning",
        )],
    ),
    problem(
        condition("21897009", "Generalized anxiety disorder", Severity::Medium),
        &[],
    ),
    problem(
        condition("5602001", "Opioid abuse", Severity::High),
        &[
            prescription(
                None,
                "Buprenorphine 2 MG / Naloxone 0.5 MG Sublingual Tablet",
                "Opioid abuse",
                "One tablet under the tongue daily",
            ),
            procedure("60112009", "Drug addiction counseling", "Opioid abuse"),
        ],
    ),
    problem(
        condition("7200002", "Alcoholism", Severity::Medium),
        &[EMERGENCY_ADMISSION],
    ),
    problem(
        condition(
            "86406008",
            "Human immunodeficiency virus infection",
            Severity::High,
        ),
        &[
            prescription(
                None,
                "Bictegravir 50 MG / Emtricitabine 200 MG / Tenofovir alafenamide 25 MG Oral Tablet",
                "Human immunodeficiency virus infection",
                "One tablet by mouth daily",
            ),
            vital("20447-9", "HIV viral load", 20.0, 90000.0, 0, "copies/mL"),
        ],
    ),
    problem(
        condition("41040004", "Complete trisomy 21 syndrome", Severity::Medium),
        &[],
    ),
    problem(
        for_reproductive_age_women(condition("72892002", "Normal pregnancy", Severity::Low)),
        &[
            for_reproductive_age_women(visit(
                "424619006",
                "Prenatal visit",
                "Ambulatory encounter; status: finished",
                Severity::Low,
            )),
            for_reproductive_age_women(procedure(
                "252160004",
                "Standard pregnancy test",
                "Normal pregnancy",
            )),
        ],
    ),
];

/// Records anyone may have, whatever their problems.
pub(super) const ROUTINE: &[Template] = &[
    visit(
        "162673000",
        "General examination of patient",
        "Ambulatory encounter; status: finished",
        Severity::Low,
    ),
    vital("29463-7", "Body weight", 48.0, 115.0, 1, "kg"),
    vital("8867-4", "Heart rate", 55.0, 95.0, 0, "/min"),
    vital(
        "8480-6",
        "Systolic blood pressure",
        102.0,
        128.0,
        0,
        "mm[Hg]",
    ),
    for_reproductive_age_women(prescription(
        Some("757594"),
        "Jolivette 28 Day Pack",
        "Contraception",
        "One tablet by mouth daily",
    )),
];
