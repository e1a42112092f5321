//! Maps the bundle's `Patient` to an [`ImportedPatient`].
//!
//! Every record of the file hangs on this patient and clinicians find people by name and
//! birth date, so a Patient without a family name, a given name or a full birth date
//! refuses the whole file instead of importing a guess. Contact details are optional.

use chrono::NaiveDate;

use super::bundle::{invalid, join_present, non_blank};
use super::raw::{Address, CodeableConcept, ContactPoint, HumanName, PatientContact, RawResource};
use super::{FhirError, FieldProblem, ImportedPatient, ResourceRef};

pub(super) fn map_patient(
    raw: &RawResource,
    at: &ResourceRef,
) -> Result<ImportedPatient, FhirError> {
    let fhir_id = at.id.clone().unwrap_or_default();
    let identifiers = raw
        .identifier
        .get(at, "identifier")?
        .map_or(&[][..], Vec::as_slice);
    let names = raw.name.require(at, "name")?;
    let name = ["official", "usual"]
        .iter()
        .find_map(|usage| names.iter().find(|n| n.usage.as_deref() == Some(usage)))
        .or(names.first())
        .ok_or_else(|| invalid(at, "name", FieldProblem::Missing))?;
    let last_name = non_blank(name.family.as_deref())
        .ok_or_else(|| invalid(at, "name.family", FieldProblem::Missing))?;
    let first_name = name.given.join(" ");
    if first_name.trim().is_empty() {
        return Err(invalid(at, "name.given", FieldProblem::Missing));
    }
    let birth_date = raw.birth_date.require(at, "birthDate")?;
    let date_of_birth = NaiveDate::parse_from_str(birth_date, "%Y-%m-%d")
        .map_err(|_| invalid(at, "birthDate", FieldProblem::NotADate))?;
    let sex = match raw.gender.get(at, "gender")?.map(String::as_str) {
        None => "unknown",
        Some(code @ ("male" | "female" | "other" | "unknown")) => code,
        Some(_) => return Err(invalid(at, "gender", FieldProblem::UnknownCode)),
    };
    let telecom = raw
        .telecom
        .get(at, "telecom")?
        .map_or(&[][..], Vec::as_slice);
    let addresses = raw
        .address
        .get(at, "address")?
        .map_or(&[][..], Vec::as_slice);
    let contacts = raw
        .contact
        .get(at, "contact")?
        .map_or(&[][..], Vec::as_slice);

    let mrn = identifiers
        .iter()
        .filter(|identifier| identifier.kind.as_ref().is_some_and(|t| t.has_code("MR")))
        .find_map(|identifier| non_blank(identifier.value.as_deref()))
        .unwrap_or(&fhir_id)
        .to_owned();
    let ssn = identifiers
        .iter()
        .filter(|identifier| identifier.system.as_deref() == Some("http://hl7.org/fhir/sid/us-ssn"))
        .find_map(|identifier| normalized_ssn(identifier.value.as_deref()?));
    let home = addresses
        .iter()
        .find(|a| a.usage.as_deref() == Some("home"));
    Ok(ImportedPatient {
        mrn,
        first_name,
        last_name: last_name.to_owned(),
        date_of_birth,
        sex: sex.to_owned(),
        phone: phone_number(telecom).map(str::to_owned),
        address: home.or(addresses.first()).and_then(Address::one_line),
        emergency_contact: emergency_contact(contacts),
        ssn,
        fhir_id,
    })
}

/// `ddd-dd-dddd`, or `None` for a value that cannot be an SSN: not nine digits, or an
/// area, group or serial of all zeros, or area 666. The 900-999 area is accepted because
/// synthetic data uses it precisely because it is never issued.
fn normalized_ssn(value: &str) -> Option<String> {
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        return None;
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 9 {
        return None;
    }
    let (area, group, serial) = (&digits[..3], &digits[3..5], &digits[5..]);
    if matches!(area, "000" | "666") || group == "00" || serial == "0000" {
        return None;
    }
    Some(format!("{area}-{group}-{serial}"))
}

fn phone_number(telecom: &[ContactPoint]) -> Option<&str> {
    telecom
        .iter()
        .filter(|point| point.system.as_deref() == Some("phone"))
        .find_map(|point| non_blank(point.value.as_deref()))
}

/// The contact marked as emergency contact (HL7 v2 table 0131 code `C`), else the first.
fn emergency_contact(contacts: &[PatientContact]) -> Option<String> {
    let contact = contacts
        .iter()
        .find(|c| c.relationship.iter().any(|r| r.has_code("C")))
        .or(contacts.first())?;
    let name = contact.name.as_ref().and_then(HumanName::full);
    let relationship = contact.relationship.iter().find_map(CodeableConcept::label);
    let phone = phone_number(&contact.telecom);
    let who = match (name, relationship) {
        (Some(name), Some(relationship)) => Some(format!("{name} ({relationship})")),
        (Some(name), None) => Some(name),
        (None, relationship) => relationship.map(str::to_owned),
    };
    join_present([who, phone.map(str::to_owned)], ", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::support::{fixture, parse_value, resource_mut, valid_bundle};
    use super::super::{FhirError, FieldProblem, parse_bundle};
    use super::normalized_ssn;

    const PATIENT_ID: &str = "0f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b";

    #[test]
    fn a_patient_without_a_birth_date_is_refused_naming_only_the_field() {
        let error = parse_bundle(&fixture("patient_missing_birth_date.json")).unwrap_err();

        let message = error.to_string();
        assert!(matches!(
            error,
            FhirError::InvalidField {
                field: "birthDate",
                problem: FieldProblem::Missing,
                ..
            }
        ));
        assert_eq!(
            message,
            "Patient/3b2a1908-7766-4554-9332-211000ffeedd: field `birthDate` is missing"
        );
    }

    #[test]
    fn an_unknown_gender_is_refused_without_quoting_it() {
        let mut bundle = valid_bundle();
        resource_mut(&mut bundle, PATIENT_ID)["gender"] = json!("Quill-specific");

        let message = parse_value(&bundle).unwrap_err().to_string();

        assert_eq!(
            message,
            format!("Patient/{PATIENT_ID}: field `gender` holds a code outside its value set")
        );
    }

    #[test]
    fn a_patient_without_a_family_name_is_refused() {
        let mut bundle = valid_bundle();
        resource_mut(&mut bundle, PATIENT_ID)["name"] =
            json!([{"use": "official", "given": ["Ada"]}]);

        let error = parse_value(&bundle).unwrap_err();

        assert!(matches!(
            error,
            FhirError::InvalidField {
                field: "name.family",
                ..
            }
        ));
    }

    #[test]
    fn without_an_mr_identifier_the_fhir_id_is_the_mrn_and_gender_defaults_to_unknown() {
        let mut bundle = valid_bundle();
        let patient = resource_mut(&mut bundle, PATIENT_ID);
        patient["identifier"] = json!([]);
        patient.as_object_mut().unwrap().remove("gender");

        let imported = parse_value(&bundle).expect("valid").patient;

        assert_eq!(imported.mrn, PATIENT_ID);
        assert_eq!(imported.sex, "unknown");
        assert_eq!(imported.ssn, None);
    }

    #[test]
    fn ssns_are_normalized_and_impossible_ones_dropped() {
        assert_eq!(
            normalized_ssn("999-12-3456").as_deref(),
            Some("999-12-3456")
        );
        assert_eq!(normalized_ssn("999123456").as_deref(), Some("999-12-3456"));
        assert_eq!(
            normalized_ssn("999 12 3456").as_deref(),
            Some("999-12-3456")
        );
        for impossible in [
            "000-12-3456",
            "666-12-3456",
            "999-00-3456",
            "999-12-0000",
            "12-3456",
            "999-12-345X",
            "",
        ] {
            assert_eq!(normalized_ssn(impossible), None, "{impossible}");
        }
    }
}
