//! Maps Condition, Encounter, MedicationRequest and Procedure resources to records.
//!
//! A record's `diagnosis` says why: the condition itself, or the reason an encounter,
//! prescription or procedure names (resolved inside the bundle when it is a reference),
//! falling back to what was done when no reason is given. `treatment`, `medications`
//! and `notes` say what was done and how it stands.

use super::bundle::{
    Context, first_instant, instant, invalid, join_present, non_blank, required_label, source_id,
};
use super::raw::{CodeableConcept, Coding, RawResource};
use super::sensitive;
use super::{FhirError, FieldProblem, ImportedRecord, RecordType, ResourceRef, Severity};

pub(super) fn map_condition(
    raw: &RawResource,
    at: &ResourceRef,
) -> Result<ImportedRecord, FhirError> {
    let code = raw.code.require(at, "code")?;
    let diagnosis = required_label(code, at, "code")?;
    let onset = raw.onset_date_time.get_str(at, "onsetDateTime")?;
    let recorded = raw.recorded_date.get_str(at, "recordedDate")?;
    let candidates = [(onset, "onsetDateTime"), (recorded, "recordedDate")];
    let recorded_at = first_instant(at, &candidates, "onsetDateTime")?;
    let clinical = raw.clinical_status.get(at, "clinicalStatus")?;
    let verification = raw.verification_status.get(at, "verificationStatus")?;
    let abated = match raw.abatement_date_time.get(at, "abatementDateTime")? {
        Some(value) => Some(instant(value, at, "abatementDateTime")?),
        None => None,
    };
    let notes = join_present(
        [
            clinical
                .and_then(CodeableConcept::code_or_label)
                .map(|s| format!("clinical status: {s}")),
            verification
                .and_then(CodeableConcept::code_or_label)
                .map(|s| format!("verification: {s}")),
            abated.map(|date| format!("abated: {}", date.date_naive())),
        ],
        "; ",
    );
    let severity = if diagnosis.to_lowercase().starts_with("history of") {
        Severity::Low
    } else {
        super::implied_severity(diagnosis).unwrap_or(Severity::Medium)
    };
    Ok(ImportedRecord {
        source_id: source_id(at),
        record_type: RecordType::Condition,
        diagnosis: diagnosis.to_owned(),
        treatment: None,
        notes,
        medications: None,
        severity,
        sensitive: code.is_sensitive(),
        recorded_at,
    })
}

pub(super) fn map_encounter(
    raw: &RawResource,
    at: &ResourceRef,
    context: &Context,
) -> Result<ImportedRecord, FhirError> {
    let class = raw.class.get(at, "class")?;
    let types = raw.kind.get(at, "type")?.map_or(&[][..], Vec::as_slice);
    let reasons = Reasons::of(raw, at, context)?;
    let period = raw.period.require(at, "period")?;
    let start = period.start.as_deref();
    let recorded_at = first_instant(at, &[(start, "period.start")], "period.start")?;
    let status = raw.status.get_str(at, "status")?;

    let class_label = class.map(encounter_class_label);
    let type_label = types.iter().find_map(CodeableConcept::label);
    let diagnosis = reasons
        .first_label()
        .or(type_label)
        .map(str::to_owned)
        .or_else(|| class_label.map(|c| format!("{c} encounter")))
        .ok_or_else(|| invalid(at, "type", FieldProblem::Missing))?;
    let class_floor = match class.and_then(|c| c.code.as_deref()) {
        Some("EMER") => Severity::High,
        Some("IMP" | "ACUTE") => Severity::Medium,
        _ => Severity::Low,
    };
    let implied = [Some(diagnosis.as_str()), type_label]
        .into_iter()
        .flatten()
        .filter_map(super::implied_severity)
        .max();
    let notes = join_present(
        [
            class_label.map(|c| format!("{c} encounter")),
            type_label.filter(|t| *t != diagnosis).map(str::to_owned),
            status.map(|s| format!("status: {s}")),
        ],
        "; ",
    );
    Ok(ImportedRecord {
        source_id: source_id(at),
        record_type: RecordType::Encounter,
        treatment: None,
        notes,
        medications: None,
        severity: class_floor.max(implied.unwrap_or(Severity::Low)),
        sensitive: reasons.is_sensitive() || types.iter().any(CodeableConcept::is_sensitive),
        recorded_at,
        diagnosis,
    })
}

fn encounter_class_label(class: &Coding) -> &str {
    match class.code.as_deref() {
        Some("AMB") => "Ambulatory",
        Some("EMER") => "Emergency",
        Some("IMP" | "ACUTE") => "Inpatient",
        Some("VR") => "Virtual",
        Some("HH") => "Home health",
        _ => non_blank(class.display.as_deref())
            .or(class.code.as_deref())
            .unwrap_or("Unclassified"),
    }
}

pub(super) fn map_medication(
    raw: &RawResource,
    at: &ResourceRef,
    context: &Context,
) -> Result<ImportedRecord, FhirError> {
    let concept = raw
        .medication_codeable_concept
        .get(at, "medicationCodeableConcept")?;
    let reference = raw.medication_reference.get(at, "medicationReference")?;
    let referenced = reference.and_then(|r| context.concept_at(r));
    let medication_concept = concept.or(referenced);
    let medication = match (medication_concept, reference) {
        (Some(concept), _) => required_label(concept, at, "medicationCodeableConcept")?,
        (None, Some(reference)) => non_blank(reference.display.as_deref())
            .ok_or_else(|| invalid(at, "medicationReference", FieldProblem::NoText))?,
        (None, None) => {
            return Err(invalid(
                at,
                "medicationCodeableConcept",
                FieldProblem::Missing,
            ));
        }
    };
    let reasons = Reasons::of(raw, at, context)?;
    let authored = raw.authored_on.get_str(at, "authoredOn")?;
    let recorded_at = first_instant(at, &[(authored, "authoredOn")], "authoredOn")?;
    let dosage = raw.dosage_instruction.get(at, "dosageInstruction")?;
    let status = raw.status.get_str(at, "status")?;
    let intent = raw.intent.get_str(at, "intent")?;

    let diagnosis = reasons.first_label().unwrap_or(medication);
    let sensitive = reasons.is_sensitive()
        || medication_concept.is_some_and(CodeableConcept::is_sensitive)
        || sensitive::category_of_text(medication).is_some();
    Ok(ImportedRecord {
        source_id: source_id(at),
        record_type: RecordType::Medication,
        diagnosis: diagnosis.to_owned(),
        treatment: dosage
            .and_then(|d| d.iter().find_map(|d| non_blank(d.text.as_deref())))
            .map(str::to_owned),
        notes: join_present(
            [
                status.map(|s| format!("status: {s}")),
                intent.map(|i| format!("intent: {i}")),
            ],
            "; ",
        ),
        medications: Some(medication.to_owned()),
        severity: super::implied_severity(diagnosis).unwrap_or(Severity::Low),
        sensitive,
        recorded_at,
    })
}

pub(super) fn map_procedure(
    raw: &RawResource,
    at: &ResourceRef,
    context: &Context,
) -> Result<ImportedRecord, FhirError> {
    let code = raw.code.require(at, "code")?;
    let procedure = required_label(code, at, "code")?;
    let performed = raw.performed_date_time.get_str(at, "performedDateTime")?;
    let period = raw.performed_period.get(at, "performedPeriod")?;
    let period_start = period.and_then(|p| p.start.as_deref());
    let candidates = [
        (performed, "performedDateTime"),
        (period_start, "performedPeriod.start"),
    ];
    let recorded_at = first_instant(at, &candidates, "performedDateTime")?;
    let reasons = Reasons::of(raw, at, context)?;
    let status = raw.status.get_str(at, "status")?;

    let diagnosis = reasons.first_label().unwrap_or(procedure);
    let implied = [diagnosis, procedure]
        .into_iter()
        .filter_map(super::implied_severity)
        .max();
    Ok(ImportedRecord {
        source_id: source_id(at),
        record_type: RecordType::Procedure,
        diagnosis: diagnosis.to_owned(),
        treatment: Some(procedure.to_owned()),
        notes: status.map(|s| format!("status: {s}")),
        medications: None,
        severity: implied.unwrap_or(Severity::Medium),
        sensitive: code.is_sensitive() || reasons.is_sensitive(),
        recorded_at,
    })
}

/// Why something was done: `reasonCode` concepts, and `reasonReference` targets resolved
/// within the bundle (a Procedure pointing at a pregnancy Condition is about pregnancy).
struct Reasons<'a> {
    concepts: Vec<&'a CodeableConcept>,
    displays: Vec<&'a str>,
}

impl<'a> Reasons<'a> {
    fn of(
        raw: &'a RawResource,
        at: &ResourceRef,
        context: &Context<'a>,
    ) -> Result<Self, FhirError> {
        let codes = raw
            .reason_code
            .get(at, "reasonCode")?
            .map_or(&[][..], Vec::as_slice);
        let references = raw
            .reason_reference
            .get(at, "reasonReference")?
            .map_or(&[][..], Vec::as_slice);
        let mut concepts: Vec<&CodeableConcept> = codes.iter().collect();
        let mut displays = Vec::new();
        for reference in references {
            match context.concept_at(reference) {
                Some(concept) => concepts.push(concept),
                None => displays.extend(non_blank(reference.display.as_deref())),
            }
        }
        Ok(Reasons { concepts, displays })
    }

    fn first_label(&self) -> Option<&'a str> {
        self.concepts
            .iter()
            .find_map(|c| c.label())
            .or(self.displays.first().copied())
    }

    fn is_sensitive(&self) -> bool {
        self.concepts.iter().any(|c| c.is_sensitive())
            || self
                .displays
                .iter()
                .any(|d| sensitive::category_of_text(d).is_some())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::support::{parse_value, record, resource_mut, valid_bundle};
    use super::super::{FhirError, FieldProblem, RecordType, Severity};

    #[test]
    fn a_condition_takes_its_wording_status_and_onset() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let condition = record(&bundle, "Condition/cond-htn");

        assert_eq!(condition.record_type, RecordType::Condition);
        assert_eq!(condition.diagnosis, "Essential hypertension");
        assert_eq!(
            condition.notes.as_deref(),
            Some("clinical status: active; verification: confirmed")
        );
        assert_eq!(
            condition.recorded_at.to_rfc3339(),
            "2019-05-02T07:30:00+00:00"
        );
        assert_eq!(
            (condition.severity, condition.sensitive),
            (Severity::Medium, false)
        );
    }

    #[test]
    fn a_condition_without_onset_is_dated_by_its_recorded_date_and_a_display_serves_as_wording() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let depression = record(&bundle, "Condition/cond-mdd");

        assert_eq!(depression.diagnosis, "Major depressive disorder (disorder)");
        assert_eq!(
            depression.recorded_at.to_rfc3339(),
            "2021-11-20T00:00:00+00:00"
        );
        assert!(depression.sensitive);
    }

    #[test]
    fn a_condition_without_code_names_the_resource_and_the_field() {
        let mut bundle = valid_bundle();
        resource_mut(&mut bundle, "cond-htn")
            .as_object_mut()
            .unwrap()
            .remove("code");

        let error = parse_value(&bundle).unwrap_err();

        assert!(matches!(
            error,
            FhirError::InvalidField {
                field: "code",
                problem: FieldProblem::Missing,
                ..
            }
        ));
        assert_eq!(
            error.to_string(),
            "Condition/cond-htn: field `code` is missing"
        );
    }

    #[test]
    fn an_emergency_encounter_is_at_least_high_and_its_reason_is_the_diagnosis() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let visit = record(&bundle, "Encounter/enc-er");

        assert_eq!(visit.diagnosis, "Chest pain (finding)");
        let notes = "Emergency encounter; Emergency room admission (procedure); status: finished";
        assert_eq!(visit.notes.as_deref(), Some(notes));
        assert_eq!(visit.severity, Severity::High);
    }

    #[test]
    fn an_encounter_for_a_life_threatening_event_is_critical() {
        let mut bundle = valid_bundle();
        resource_mut(&mut bundle, "enc-er")["reasonCode"] = json!([{"text": "Cardiac arrest"}]);

        let imported = parse_value(&bundle).expect("valid");
        let visit = record(&imported, "Encounter/enc-er");

        assert_eq!(visit.severity, Severity::Critical);
    }

    #[test]
    fn a_prescription_for_a_sensitive_condition_is_sensitive_and_names_that_condition() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let prescription = record(&bundle, "MedicationRequest/med-sertraline");

        assert_eq!(
            prescription.diagnosis,
            "Major depressive disorder (disorder)"
        );
        assert_eq!(
            prescription.medications.as_deref(),
            Some("Sertraline 50 MG Oral Tablet")
        );
        assert_eq!(
            prescription.treatment.as_deref(),
            Some("One tablet by mouth every morning")
        );
        assert!(prescription.sensitive);
    }

    #[test]
    fn a_reason_given_as_a_relative_reference_is_resolved() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let prescription = record(&bundle, "MedicationRequest/med-lisinopril");

        assert_eq!(prescription.diagnosis, "Essential hypertension");
        assert!(!prescription.sensitive);
    }

    #[test]
    fn a_procedure_done_for_a_sensitive_condition_is_sensitive() {
        let mut bundle = valid_bundle();
        let reason = json!([{"reference": "urn:uuid:5a0c9b1e-1111-4c2d-9e3f-000000000002"}]);
        resource_mut(&mut bundle, "proc-echo")["reasonReference"] = reason;

        let imported = parse_value(&bundle).expect("valid");
        let procedure = record(&imported, "Procedure/proc-echo");

        assert_eq!(procedure.source_id, "Procedure/proc-echo");
        assert_eq!(procedure.treatment.as_deref(), Some("Echocardiography"));
        assert!(procedure.sensitive);
    }

    #[test]
    fn a_prescription_without_any_medication_is_refused() {
        let mut bundle = valid_bundle();
        let medication = resource_mut(&mut bundle, "med-lisinopril");
        medication
            .as_object_mut()
            .unwrap()
            .remove("medicationCodeableConcept");

        let error = parse_value(&bundle).unwrap_err();

        let message =
            "MedicationRequest/med-lisinopril: field `medicationCodeableConcept` is missing";
        assert_eq!(error.to_string(), message);
    }
}
