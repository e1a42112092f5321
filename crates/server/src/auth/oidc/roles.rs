//! The group-to-role mapping of a sign-on provider.
//!
//! HealthSecure keeps each account's role itself; single sign-on never
//! creates an account and never changes a role. A provider configured with
//! a mapping (`OIDC_<P>_ROLE_MAP="clinicians-a:doctor,ward-7:nurse"`) adds
//! one more condition to signing in: the groups the provider reports for the
//! person must map to the role the account already has. Someone removed from
//! the doctors' group at the hospital therefore stops reaching a doctor's
//! account through single sign-on at once, while a group that maps to a
//! higher role than the account's grants nothing.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use crate::policy::Role;

/// The claim read when a mapping names none: what most providers call it.
pub const DEFAULT_ROLE_CLAIM: &str = "groups";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMapping {
    /// The ID token claim holding the person's groups (or app roles).
    pub claim: String,
    /// Group name to role, in the configured order.
    pub groups: Vec<(String, Role)>,
}

impl RoleMapping {
    /// Parses `group:role` entries separated by commas. A group name may
    /// itself hold colons (the role is after the last one). On failure the
    /// error names the entry's position.
    pub fn parse(claim: Option<&str>, map: &str) -> Result<RoleMapping, String> {
        let mut groups = Vec::new();
        let entries = map.split(',').map(str::trim).filter(|e| !e.is_empty());
        for (position, entry) in entries.enumerate() {
            let parsed = entry
                .rsplit_once(':')
                .map(|(group, role)| (group.trim(), Role::parse(role.trim())))
                .filter(|(group, _)| !group.is_empty());
            let Some((group, Some(role))) = parsed else {
                return Err(format!(
                    "entry {} is not `group:role` with a role of doctor, nurse or admin",
                    position + 1
                ));
            };
            groups.push((group.to_string(), role));
        }
        if groups.is_empty() {
            return Err("lists no `group:role` entries".into());
        }
        let claim = claim.map(str::trim).filter(|c| !c.is_empty());
        Ok(RoleMapping {
            claim: claim.unwrap_or(DEFAULT_ROLE_CLAIM).to_string(),
            groups,
        })
    }

    /// The roles the person's groups map to; empty when the claim is
    /// missing or holds no mapped group.
    pub fn roles_for(&self, claims: &Map<String, Value>) -> HashSet<Role> {
        let held = group_names(claims, &self.claim);
        self.groups
            .iter()
            .filter(|(group, _)| held.contains(group.as_str()))
            .map(|(_, role)| *role)
            .collect()
    }

    /// Whether the provider's groups confirm the account's `role`.
    pub fn confirms(&self, claims: &Map<String, Value>, role: Role) -> bool {
        self.roles_for(claims).contains(&role)
    }
}

/// The claim's values as strings: an array of strings, or one string. A
/// claim name is looked up as written first; when absent, a dotted name is
/// followed into nested objects (`realm_access.roles`).
fn group_names<'a>(claims: &'a Map<String, Value>, claim: &str) -> BTreeSet<&'a str> {
    let value = claims.get(claim).or_else(|| nested(claims, claim));
    match value {
        Some(Value::String(one)) => BTreeSet::from([one.as_str()]),
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

fn nested<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut current = claims.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn a_mapping_is_read_from_group_role_pairs() {
        let mapping =
            RoleMapping::parse(None, " clinicians:doctor , ward-7:nurse,it-admins:admin ").unwrap();

        assert_eq!(mapping.claim, "groups");
        assert_eq!(
            mapping.groups,
            vec![
                ("clinicians".to_string(), Role::Doctor),
                ("ward-7".to_string(), Role::Nurse),
                ("it-admins".to_string(), Role::Admin),
            ]
        );
    }

    #[test]
    fn group_names_may_hold_colons_and_the_claim_may_be_named() {
        let mapping = RoleMapping::parse(Some("roles"), "urn:hospital:doctors:doctor").unwrap();

        assert_eq!(mapping.claim, "roles");
        assert_eq!(
            mapping.groups,
            vec![("urn:hospital:doctors".to_string(), Role::Doctor)]
        );
    }

    #[test]
    fn unknown_roles_and_malformed_entries_are_refused_by_position() {
        let err = RoleMapping::parse(None, "a:doctor,b:superuser").unwrap_err();
        assert!(err.contains("entry 2"), "{err}");
        assert!(!err.contains("superuser"), "{err}");
        assert!(RoleMapping::parse(None, "just-a-group").is_err());
        assert!(RoleMapping::parse(None, ":doctor").is_err());
        assert!(RoleMapping::parse(None, " , ").is_err());
    }

    #[test]
    fn groups_map_to_roles_from_an_array_or_a_single_string() {
        let mapping = RoleMapping::parse(None, "clinicians:doctor,ward-7:nurse").unwrap();

        let both = claims(json!({ "groups": ["ward-7", "clinicians", "canteen"] }));
        assert_eq!(
            mapping.roles_for(&both),
            HashSet::from([Role::Doctor, Role::Nurse])
        );
        let one = claims(json!({ "groups": "ward-7" }));
        assert_eq!(mapping.roles_for(&one), HashSet::from([Role::Nurse]));
    }

    #[test]
    fn the_mapping_confirms_only_the_role_the_account_already_has() {
        let mapping = RoleMapping::parse(None, "clinicians:doctor,it-admins:admin").unwrap();
        let doctor = claims(json!({ "groups": ["clinicians"] }));

        assert!(mapping.confirms(&doctor, Role::Doctor));
        assert!(!mapping.confirms(&doctor, Role::Nurse));
        assert!(!mapping.confirms(&doctor, Role::Admin));
    }

    #[test]
    fn a_missing_claim_or_unmapped_groups_confirm_nothing() {
        let mapping = RoleMapping::parse(None, "clinicians:doctor").unwrap();

        assert!(mapping.roles_for(&claims(json!({}))).is_empty());
        assert!(
            mapping
                .roles_for(&claims(json!({ "groups": ["canteen"] })))
                .is_empty()
        );
        assert!(
            mapping
                .roles_for(&claims(json!({ "groups": [42, null] })))
                .is_empty()
        );
    }

    #[test]
    fn dotted_claim_names_reach_into_nested_objects() {
        let mapping = RoleMapping::parse(Some("realm_access.roles"), "physician:doctor").unwrap();
        let nested = claims(json!({ "realm_access": { "roles": ["physician"] } }));

        assert!(mapping.confirms(&nested, Role::Doctor));
    }
}
