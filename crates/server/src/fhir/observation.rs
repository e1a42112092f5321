//! Maps the selected Observations to records and counts the rest as skipped.
//!
//! A Synthea history holds thousands of Observations, most of them survey answers or
//! per-visit repeats that would bury the few values a clinician looks for. Only the
//! codes listed here become records; the value, with its unit, goes to `notes`.

use super::bundle::{first_instant, join_present, non_blank, source_id};
use super::raw::{CodeableConcept, Component, Quantity, RawResource};
use super::sensitive::{self, Terminology};
use super::{FhirError, ImportedRecord, RecordType, ResourceRef, Severity};

/// The Observations worth a medical record: vital signs and a few laboratory values that
/// a clinician scans first. Everything else (survey answers, plans, social history) is
/// counted as skipped. CIEL numbers cover bundles exported from OpenMRS.
const SELECTED_OBSERVATIONS: &[SelectedObservation] = &[
    selected("Body weight", &["29463-7", "3141-9"], &["5089"]),
    selected("Body mass index", &["39156-5"], &["1342"]),
    selected("Blood pressure", &["85354-9", "55284-4"], &[]),
    selected("Systolic blood pressure", &["8480-6"], &["5085"]),
    selected("Diastolic blood pressure", &["8462-4"], &["5086"]),
    selected("Heart rate", &["8867-4"], &["5087"]),
    selected("Body temperature", &["8310-5"], &["5088"]),
    selected("Oxygen saturation", &["2708-6", "59408-5"], &["5092"]),
    selected("Hemoglobin A1c", &["4548-4"], &[]),
    selected("Glucose", &["2339-0", "2345-7"], &[]),
    selected("Total cholesterol", &["2093-3"], &[]),
    selected("HIV viral load", &["20447-9", "25836-8"], &["856"]),
    selected(
        "HIV test",
        &["75622-1", "56888-1", "7917-8"],
        &["1030", "1040"],
    ),
];

struct SelectedObservation {
    label: &'static str,
    loinc: &'static [&'static str],
    ciel: &'static [&'static str],
}

const fn selected(
    label: &'static str,
    loinc: &'static [&'static str],
    ciel: &'static [&'static str],
) -> SelectedObservation {
    SelectedObservation { label, loinc, ciel }
}

/// `None` for an Observation outside [`SELECTED_OBSERVATIONS`].
pub(super) fn map_observation(
    raw: &RawResource,
    at: &ResourceRef,
) -> Result<Option<ImportedRecord>, FhirError> {
    let code = raw.code.require(at, "code")?;
    let Some(selected) = selected_observation(code) else {
        return Ok(None);
    };
    let effective = raw.effective_date_time.get_str(at, "effectiveDateTime")?;
    let period = raw.effective_period.get(at, "effectivePeriod")?;
    let issued = raw.issued.get_str(at, "issued")?;
    let candidates = [
        (effective, "effectiveDateTime"),
        (
            period.and_then(|p| p.start.as_deref()),
            "effectivePeriod.start",
        ),
        (issued, "issued"),
    ];
    let recorded_at = first_instant(at, &candidates, "effectiveDateTime")?;
    let quantity = raw.value_quantity.get(at, "valueQuantity")?;
    let value_concept = raw.value_codeable_concept.get(at, "valueCodeableConcept")?;
    let value_text = raw.value_string.get_str(at, "valueString")?;
    let components = raw
        .component
        .get(at, "component")?
        .map_or(&[][..], Vec::as_slice);

    let value = quantity
        .map(Quantity::to_text)
        .or_else(|| value_concept.and_then(concept_text))
        .or_else(|| non_blank(value_text).map(str::to_owned))
        .or_else(|| join_present(components.iter().map(component_text), "; "));
    let sensitive = code.is_sensitive()
        || value_concept.is_some_and(CodeableConcept::is_sensitive)
        || sensitive::category_of_text(selected.label).is_some();
    Ok(Some(ImportedRecord {
        source_id: source_id(at),
        record_type: RecordType::Observation,
        diagnosis: selected.label.to_owned(),
        treatment: None,
        notes: value,
        medications: None,
        severity: Severity::Low,
        sensitive,
        recorded_at,
    }))
}

/// `Systolic blood pressure: 120 mm[Hg]`, for one part of a panel.
fn component_text(component: &Component) -> Option<String> {
    let label = selected_observation(&component.code)
        .map(|selected| selected.label)
        .or_else(|| component.code.label())?;
    let value = component
        .value_quantity
        .as_ref()
        .map(Quantity::to_text)
        .or_else(|| {
            component
                .value_codeable_concept
                .as_ref()
                .and_then(concept_text)
        })?;
    Some(format!("{label}: {value}"))
}

fn concept_text(concept: &CodeableConcept) -> Option<String> {
    concept.label().map(str::to_owned)
}

fn selected_observation(code: &CodeableConcept) -> Option<&'static SelectedObservation> {
    code.coding.iter().find_map(|coding| {
        let (terminology, code) =
            sensitive::identify(coding.system.as_deref(), coding.code.as_deref()?);
        SELECTED_OBSERVATIONS
            .iter()
            .find(|selected| match terminology {
                Terminology::Loinc => selected.loinc.contains(&code),
                Terminology::Ciel => selected.ciel.contains(&code),
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::support::{parse_value, record, resource_mut, valid_bundle};
    use super::super::{FhirError, Severity};

    #[test]
    fn a_selected_vital_sign_keeps_its_value_and_unit_in_notes() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let weight = record(&bundle, "Observation/obs-weight");

        assert_eq!(weight.diagnosis, "Body weight");
        assert_eq!(weight.notes.as_deref(), Some("72.5 kg"));
        assert_eq!((weight.severity, weight.sensitive), (Severity::Low, false));
    }

    #[test]
    fn a_blood_pressure_panel_lists_its_components() {
        let bundle = parse_value(&valid_bundle()).expect("valid");

        let pressure = record(&bundle, "Observation/obs-bp");

        let notes = "Systolic blood pressure: 128 mm[Hg]; Diastolic blood pressure: 82 mm[Hg]";
        assert_eq!(pressure.notes.as_deref(), Some(notes));
    }

    #[test]
    fn an_openmrs_hiv_viral_load_is_selected_and_sensitive() {
        let mut bundle = valid_bundle();
        let observation = resource_mut(&mut bundle, "obs-smoking");
        observation["code"] = json!({"coding": [{
            "system": "http://loinc.org",
            "code": "856AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "display": "HIV viral load"
        }]});
        observation["valueQuantity"] = json!({"value": 40, "comparator": "<", "unit": "copies/mL"});

        let imported = parse_value(&bundle).expect("valid");
        let viral_load = record(&imported, "Observation/obs-smoking");

        assert_eq!(viral_load.diagnosis, "HIV viral load");
        assert_eq!(viral_load.notes.as_deref(), Some("<40 copies/mL"));
        assert!(viral_load.sensitive);
    }

    #[test]
    fn an_unselected_observation_is_still_checked_for_a_code() {
        let mut bundle = valid_bundle();
        resource_mut(&mut bundle, "obs-smoking")["code"] = json!("72166-2");

        let error = parse_value(&bundle).unwrap_err();

        assert!(matches!(
            error,
            FhirError::InvalidField { field: "code", .. }
        ));
    }
}
