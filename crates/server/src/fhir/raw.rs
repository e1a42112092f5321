//! The serde model of the parts of a FHIR R4 resource that the importer reads.
//!
//! The file is parsed once, straight into these structs; what the importer never reads
//! (narratives, claim lines, base64 documents: most of a Synthea file's bytes) is
//! skipped by the parser without being built. Every resource, whatever its type, is read
//! into one [`RawResource`] holding each member some mapping uses. A member name can
//! have different shapes in different resource types (`address` is a list in Patient and
//! an object in Location, `type` a list in Encounter and a single concept in Claim), so a
//! member whose shape does not fit is recorded as such instead of failing the parse; the
//! mapping, which knows the resource type, decides whether that is an error.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use super::bundle::{invalid, join_present, non_blank};
use super::sensitive;
use super::{FhirError, FieldProblem, ResourceRef};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawBundle {
    pub(super) resource_type: Option<String>,
    #[serde(default)]
    pub(super) entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawEntry {
    pub(super) full_url: Option<String>,
    pub(super) resource: Option<RawResource>,
}

/// The union of the members that some mapping reads, for any resource type.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawResource {
    pub(super) resource_type: Option<String>,
    pub(super) id: Member<String>,
    pub(super) subject: Member<Reference>,
    pub(super) identifier: Member<Vec<Identifier>>,
    pub(super) name: Member<Vec<HumanName>>,
    pub(super) gender: Member<String>,
    pub(super) birth_date: Member<String>,
    pub(super) telecom: Member<Vec<ContactPoint>>,
    pub(super) address: Member<Vec<Address>>,
    pub(super) contact: Member<Vec<PatientContact>>,
    pub(super) code: Member<CodeableConcept>,
    pub(super) status: Member<String>,
    pub(super) clinical_status: Member<CodeableConcept>,
    pub(super) verification_status: Member<CodeableConcept>,
    pub(super) onset_date_time: Member<String>,
    pub(super) recorded_date: Member<String>,
    pub(super) abatement_date_time: Member<String>,
    pub(super) class: Member<Coding>,
    #[serde(rename = "type")]
    pub(super) kind: Member<Vec<CodeableConcept>>,
    pub(super) period: Member<Period>,
    pub(super) reason_code: Member<Vec<CodeableConcept>>,
    pub(super) reason_reference: Member<Vec<Reference>>,
    pub(super) medication_codeable_concept: Member<CodeableConcept>,
    pub(super) medication_reference: Member<Reference>,
    pub(super) authored_on: Member<String>,
    pub(super) intent: Member<String>,
    pub(super) dosage_instruction: Member<Vec<Dosage>>,
    pub(super) performed_date_time: Member<String>,
    pub(super) performed_period: Member<Period>,
    pub(super) effective_date_time: Member<String>,
    pub(super) effective_period: Member<Period>,
    pub(super) issued: Member<String>,
    pub(super) value_quantity: Member<Quantity>,
    pub(super) value_codeable_concept: Member<CodeableConcept>,
    pub(super) value_string: Member<String>,
    pub(super) component: Member<Vec<Component>>,
}

/// A resource member as found: absent (or `null`), present with the expected shape, or
/// present with another shape. Reading it is cheap because members are small; the large
/// parts of a resource are never members.
#[derive(Default)]
pub(super) enum Member<T> {
    #[default]
    Absent,
    Present(T),
    WrongShape,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Member<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Member::Absent);
        }
        Ok(T::deserialize(value).map_or(Member::WrongShape, Member::Present))
    }
}

impl<T> Member<T> {
    pub(super) fn get(
        &self,
        at: &ResourceRef,
        field: &'static str,
    ) -> Result<Option<&T>, FhirError> {
        match self {
            Member::Absent => Ok(None),
            Member::Present(value) => Ok(Some(value)),
            Member::WrongShape => Err(invalid(at, field, FieldProblem::WrongType)),
        }
    }

    pub(super) fn require(&self, at: &ResourceRef, field: &'static str) -> Result<&T, FhirError> {
        self.get(at, field)?
            .ok_or_else(|| invalid(at, field, FieldProblem::Missing))
    }
}

impl Member<String> {
    pub(super) fn get_str(
        &self,
        at: &ResourceRef,
        field: &'static str,
    ) -> Result<Option<&str>, FhirError> {
        Ok(self.get(at, field)?.map(String::as_str))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Coding {
    pub(super) system: Option<String>,
    pub(super) code: Option<String>,
    pub(super) display: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CodeableConcept {
    pub(super) coding: Vec<Coding>,
    pub(super) text: Option<String>,
}

impl CodeableConcept {
    /// The human wording: the concept's text, else the first coding display.
    pub(super) fn label(&self) -> Option<&str> {
        non_blank(self.text.as_deref()).or_else(|| {
            self.coding
                .iter()
                .find_map(|c| non_blank(c.display.as_deref()))
        })
    }

    pub(super) fn code_or_label(&self) -> Option<&str> {
        self.coding
            .iter()
            .find_map(|c| non_blank(c.code.as_deref()))
            .or_else(|| self.label())
    }

    pub(super) fn has_code(&self, code: &str) -> bool {
        self.coding.iter().any(|c| c.code.as_deref() == Some(code))
    }

    pub(super) fn is_sensitive(&self) -> bool {
        let coded = self.coding.iter().any(|coding| {
            let by_code = coding
                .code
                .as_deref()
                .and_then(|code| sensitive::category_of_code(coding.system.as_deref(), code));
            let by_display = coding
                .display
                .as_deref()
                .and_then(sensitive::category_of_text);
            by_code.or(by_display).is_some()
        });
        coded
            || self
                .text
                .as_deref()
                .and_then(sensitive::category_of_text)
                .is_some()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Identifier {
    pub(super) system: Option<String>,
    pub(super) value: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: Option<CodeableConcept>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct HumanName {
    #[serde(rename = "use")]
    pub(super) usage: Option<String>,
    pub(super) text: Option<String>,
    pub(super) family: Option<String>,
    pub(super) given: Vec<String>,
}

impl HumanName {
    pub(super) fn full(&self) -> Option<String> {
        if let Some(text) = non_blank(self.text.as_deref()) {
            return Some(text.to_owned());
        }
        let parts = self
            .given
            .iter()
            .map(String::as_str)
            .chain(self.family.as_deref());
        let parts: Vec<&str> = parts.filter(|p| !p.trim().is_empty()).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ContactPoint {
    pub(super) system: Option<String>,
    pub(super) value: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Address {
    #[serde(rename = "use")]
    pub(super) usage: Option<String>,
    pub(super) line: Vec<String>,
    pub(super) city: Option<String>,
    pub(super) state: Option<String>,
    pub(super) postal_code: Option<String>,
}

impl Address {
    /// `line, city, state postalCode`, leaving out whatever part is missing.
    pub(super) fn one_line(&self) -> Option<String> {
        let lines = self
            .line
            .iter()
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect::<Vec<_>>();
        let region = [self.state.as_deref(), self.postal_code.as_deref()]
            .into_iter()
            .flatten();
        let region = region
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        join_present(
            [
                (!lines.is_empty()).then(|| lines.join(", ")),
                non_blank(self.city.as_deref()).map(str::to_owned),
                (!region.is_empty()).then_some(region),
            ],
            ", ",
        )
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PatientContact {
    pub(super) relationship: Vec<CodeableConcept>,
    pub(super) name: Option<HumanName>,
    pub(super) telecom: Vec<ContactPoint>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Reference {
    pub(super) reference: Option<String>,
    pub(super) display: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Period {
    pub(super) start: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Dosage {
    pub(super) text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Quantity {
    pub(super) value: Option<serde_json::Number>,
    pub(super) comparator: Option<String>,
    pub(super) unit: Option<String>,
    pub(super) code: Option<String>,
}

impl Quantity {
    /// `<40 copies/mL`, `64.75 kg`: the number as written in the file, then the unit.
    pub(super) fn to_text(&self) -> String {
        let number = self
            .value
            .as_ref()
            .map_or_else(|| "?".to_owned(), ToString::to_string);
        let comparator = self.comparator.as_deref().unwrap_or_default();
        match non_blank(self.unit.as_deref()).or(non_blank(self.code.as_deref())) {
            Some(unit) => format!("{comparator}{number} {unit}"),
            None => format!("{comparator}{number}"),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Component {
    pub(super) code: CodeableConcept,
    pub(super) value_quantity: Option<Quantity>,
    pub(super) value_codeable_concept: Option<CodeableConcept>,
}
