//! Every route the HTTP modules declare is described, with its methods.

use std::collections::BTreeSet;

/// Where each module's router is mounted (see `app::router`). `records.rs`
/// holds two routers: its `/{id}/records` routes sit under `/api/patients`.
const MOUNTS: &[(&str, &str, &str)] = &[
    ("auth.rs", include_str!("../auth.rs"), "/api/auth"),
    ("sso/mod.rs", include_str!("../sso/mod.rs"), "/api/auth"),
    ("mfa.rs", include_str!("../mfa.rs"), "/api/auth"),
    (
        "patients.rs",
        include_str!("../patients.rs"),
        "/api/patients",
    ),
    ("records.rs", include_str!("../records.rs"), "/api/records"),
    (
        "disclosures.rs",
        include_str!("../disclosures.rs"),
        "/api/patients",
    ),
    ("admin.rs", include_str!("../admin.rs"), "/api/admin"),
    (
        "emergency.rs",
        include_str!("../emergency.rs"),
        "/api/emergency",
    ),
    ("audit.rs", include_str!("../audit.rs"), "/api/audit"),
    ("ops.rs", include_str!("../ops.rs"), ""),
    ("openapi/mod.rs", include_str!("mod.rs"), "/api"),
];

/// (method, path) of every `.route("path", ...)` in a module's source.
fn declared(file: &str, source: &str, prefix: &str) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let chunks: Vec<&str> = source.split(".route(").skip(1).collect();
    for chunk in chunks {
        // A call, not a mention in a comment: the path literal comes first.
        let Some(rest) = chunk.trim_start().strip_prefix('"') else {
            continue;
        };
        let path = &rest[..rest.find('"').unwrap()];
        // Up to the next `.route(` (the split) or the end of the function.
        let call = &rest[..rest.find("\n}").unwrap_or(rest.len())];
        let mount = if file == "records.rs" && path.ends_with("/records") {
            "/api/patients"
        } else {
            prefix
        };
        let full = format!("{mount}{}", if path == "/" { "" } else { path });
        for method in ["get", "post", "put", "delete"] {
            let call_of = |at: usize| {
                call[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| " (.:\n".contains(c))
            };
            let needle = format!("{method}(");
            if call.match_indices(&needle).any(|(at, _)| call_of(at)) {
                found.insert((method.to_string(), full.clone()));
            }
        }
    }
    found
}

#[test]
fn every_declared_route_and_method_is_in_the_description() {
    let document = super::document();
    let paths = document["paths"].as_object().unwrap();
    let mut declared_all = BTreeSet::new();
    for (file, source, prefix) in MOUNTS {
        let source = source.split("#[cfg(test)]").next().unwrap();
        declared_all.extend(declared(file, source, prefix));
    }

    assert!(declared_all.len() > 30, "found only {declared_all:?}");
    for (method, path) in &declared_all {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{} {path} is served but not described",
            method.to_uppercase()
        );
    }
    let described: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        described,
        declared_all.len(),
        "described but not served: check {declared_all:?}"
    );
}

#[test]
fn every_reference_resolves_and_every_operation_describes_its_errors() {
    let document = super::document();
    let text = document.to_string();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(
            schemas.contains_key(name),
            "{name} is referenced but not defined"
        );
    }
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["responses"]["default"].is_object(),
                "{method} {path} has no error response"
            );
        }
    }
}
