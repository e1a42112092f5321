//! Sign-on providers, configured from the environment.
//!
//! Each provider is one group of variables, `OIDC_<PROVIDER>_*`, so an
//! operator adds a provider without touching a list elsewhere. Google and
//! Microsoft Entra ID have presets for their issuers; any other OpenID
//! provider is named by its issuer URL. Everything about the provider's
//! endpoints and keys is found later, by discovery.

use std::borrow::Cow;

use openidconnect::url::Url;

use super::roles::RoleMapping;
use crate::config::{ConfigError, Source};
use crate::secret::Secret;

pub const GOOGLE_ISSUER: &str = "https://accounts.google.com";
const ENTRA_LOGIN: &str = "https://login.microsoftonline.com";
/// The scopes every provider is asked for unless `OIDC_<P>_SCOPES` says more.
const DEFAULT_SCOPES: &[&str] = &["openid", "email", "profile"];

/// The variable suffixes of one provider, longest first so that a name
/// such as `OIDC_X_CLIENT_ID` is split at the right place.
const SUFFIXES: &[&str] = &[
    "_CLIENT_SECRET",
    "_REQUIRE_MFA",
    "_REDIRECT_URL",
    "_ROLE_CLAIM",
    "_CLIENT_ID",
    "_ROLE_MAP",
    "_ISSUER",
    "_SCOPES",
    "_TENANT",
    "_NAME",
];

/// One configured provider.
#[derive(Clone, Debug)]
pub struct ProviderSettings {
    /// Lower case, from the variables' name: `OIDC_HOSPITAL_IDP_*` is
    /// `hospital-idp`. It appears in the login and callback paths.
    pub id: String,
    /// Shown on the sign-in button.
    pub name: String,
    /// Exactly as the provider's discovery document states it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret<String>,
    /// This server's callback address, as registered with the provider.
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub roles: Option<RoleMapping>,
    /// `OIDC_<PROVIDER>_REQUIRE_MFA`: sign-ins whose ID token does not show
    /// a second factor in `amr` are refused.
    pub require_mfa: bool,
}

impl ProviderSettings {
    /// Whether the issuer is a Microsoft Entra ID tenant, whose tokens mark
    /// verified addresses differently (see `client`).
    pub fn is_entra(&self) -> bool {
        self.issuer.starts_with(&format!("{ENTRA_LOGIN}/"))
    }
}

fn invalid(variable: String, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable: Cow::Owned(variable),
        problem: problem.into(),
    }
}

/// Reads every provider whose variables are set, in the order of their ids.
pub fn from_source(
    env: &dyn Source,
    production: bool,
) -> Result<Vec<ProviderSettings>, ConfigError> {
    let mut prefixes: Vec<String> = env
        .keys()
        .iter()
        .filter_map(|key| provider_prefix(key))
        .collect();
    prefixes.sort();
    prefixes.dedup();
    prefixes
        .iter()
        .map(|prefix| provider(env, prefix, production))
        .collect()
}

/// `OIDC_GOOGLE_CLIENT_ID` → `GOOGLE`.
fn provider_prefix(key: &str) -> Option<String> {
    let rest = key.strip_prefix("OIDC_")?;
    let suffix = SUFFIXES.iter().find(|s| rest.ends_with(*s))?;
    Some(rest[..rest.len() - suffix.len()].to_string())
}

fn provider(
    env: &dyn Source,
    prefix: &str,
    production: bool,
) -> Result<ProviderSettings, ConfigError> {
    let var = |suffix: &str| format!("OIDC_{prefix}_{suffix}");
    let valid_prefix = !prefix.is_empty()
        && prefix.len() <= 32
        && !prefix.starts_with('_')
        && !prefix.ends_with('_')
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !valid_prefix {
        return Err(invalid(
            var("CLIENT_ID"),
            "a provider's name in OIDC_<PROVIDER>_* must be upper-case letters, digits and single underscores",
        ));
    }
    let required = |suffix: &str| {
        env.get(&var(suffix)).ok_or_else(|| {
            invalid(
                var(suffix),
                format!("is required when any OIDC_{prefix}_* variable is set"),
            )
        })
    };
    let id = prefix.to_ascii_lowercase().replace('_', "-");
    let issuer = issuer(env, prefix, production)?;
    let client_id = required("CLIENT_ID")?;
    let client_secret = Secret::new(required("CLIENT_SECRET")?);
    let redirect_url = required("REDIRECT_URL")?;
    let callback_path = format!("/api/auth/oidc/{id}/callback");
    match web_url(&redirect_url, production) {
        Ok(url) if url.path().ends_with(&callback_path) && url.query().is_none() => {}
        Ok(_) => {
            return Err(invalid(
                var("REDIRECT_URL"),
                format!("must be this server's address ending in {callback_path}"),
            ));
        }
        Err(problem) => return Err(invalid(var("REDIRECT_URL"), problem)),
    }
    let roles = match (env.get(&var("ROLE_MAP")), env.get(&var("ROLE_CLAIM"))) {
        (Some(map), claim) => Some(
            RoleMapping::parse(claim.as_deref(), &map)
                .map_err(|problem| invalid(var("ROLE_MAP"), problem))?,
        ),
        (None, Some(_)) => {
            return Err(invalid(
                var("ROLE_CLAIM"),
                format!("has no effect without OIDC_{prefix}_ROLE_MAP"),
            ));
        }
        (None, None) => None,
    };
    Ok(ProviderSettings {
        name: env
            .get(&var("NAME"))
            .unwrap_or_else(|| default_name(prefix, &id)),
        scopes: scopes(env.get(&var("SCOPES")).as_deref()),
        id,
        issuer,
        client_id,
        client_secret,
        redirect_url,
        roles,
        require_mfa: match env.get(&var("REQUIRE_MFA")).as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(invalid(var("REQUIRE_MFA"), "must be `true` or `false`")),
        },
    })
}

fn default_name(prefix: &str, id: &str) -> String {
    match prefix {
        "GOOGLE" => "Google".into(),
        "ENTRA" => "Microsoft".into(),
        _ => id.to_string(),
    }
}

/// The issuer: given, or from the Google and Entra presets.
fn issuer(env: &dyn Source, prefix: &str, production: bool) -> Result<String, ConfigError> {
    let variable = format!("OIDC_{prefix}_ISSUER");
    let tenant_variable = format!("OIDC_{prefix}_TENANT");
    let issuer = match (env.get(&variable), prefix, env.get(&tenant_variable)) {
        (Some(issuer), _, None) => issuer,
        (Some(_), _, Some(_)) => {
            return Err(invalid(
                tenant_variable,
                format!("set either {variable} or the tenant, not both"),
            ));
        }
        (None, "GOOGLE", None) => GOOGLE_ISSUER.to_string(),
        (None, "ENTRA", Some(tenant)) => {
            entra_issuer(&tenant).ok_or_else(|| invalid(tenant_variable, ENTRA_TENANT_PROBLEM))?
        }
        (None, _, Some(_)) => {
            return Err(invalid(
                tenant_variable,
                "only the ENTRA provider takes a tenant; set the issuer instead",
            ));
        }
        (None, "ENTRA", None) => {
            return Err(invalid(
                tenant_variable,
                "is required for Microsoft Entra ID: the directory (tenant) ID",
            ));
        }
        (None, _, None) => {
            return Err(invalid(
                variable,
                format!("is required when any OIDC_{prefix}_* variable is set"),
            ));
        }
    };
    let url = web_url(&issuer, production).map_err(|p| invalid(variable.clone(), p))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            variable,
            "must be the issuer URL alone, without a query or fragment",
        ));
    }
    Ok(issuer)
}

const ENTRA_TENANT_PROBLEM: &str = "must be the directory (tenant) ID, a GUID such as \
     72f988bf-86f1-41af-91ab-2d7cd011db47; multi-tenant sign-in (common, organizations, \
     consumers) is not supported";

/// The v2.0 issuer of one Entra ID tenant. Only a tenant GUID is accepted:
/// discovery answers with the GUID form, and the issuer must match exactly.
fn entra_issuer(tenant: &str) -> Option<String> {
    let tenant = tenant.trim().to_ascii_lowercase();
    let groups: Vec<&str> = tenant.split('-').collect();
    let shape = [8, 4, 4, 4, 12];
    let is_guid = groups.len() == shape.len()
        && groups
            .iter()
            .zip(shape)
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()));
    is_guid.then(|| format!("{ENTRA_LOGIN}/{tenant}/v2.0"))
}

/// An absolute https URL; development also accepts http, for a provider
/// or a server on this machine.
fn web_url(raw: &str, production: bool) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|_| "is not an absolute URL".to_string())?;
    match url.scheme() {
        "https" => {}
        "http" if !production => {}
        "http" => return Err("must use https in production".into()),
        _ => return Err("must be an https URL".into()),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host".into());
    }
    Ok(url)
}

/// `openid` always comes first; extra scopes are added after the defaults.
fn scopes(extra: Option<&str>) -> Vec<String> {
    let mut scopes: Vec<String> = DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect();
    let extra = extra.unwrap_or_default();
    for scope in extra.split([' ', ',']).filter(|s| !s.is_empty()) {
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_string());
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Role;
    use std::collections::HashMap;

    struct Env(HashMap<String, String>);

    impl Source for Env {
        fn get(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn keys(&self) -> Vec<String> {
            self.0.keys().cloned().collect()
        }
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env(pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect())
    }

    fn google() -> Vec<(&'static str, &'static str)> {
        vec![
            ("OIDC_GOOGLE_CLIENT_ID", "1234.apps.googleusercontent.com"),
            ("OIDC_GOOGLE_CLIENT_SECRET", "GOCSPX-not-a-real-secret"),
            (
                "OIDC_GOOGLE_REDIRECT_URL",
                "https://hs.example.org/api/auth/oidc/google/callback",
            ),
        ]
    }

    fn with(
        base: Vec<(&'static str, &'static str)>,
        extra: &[(&'static str, &'static str)],
    ) -> Env {
        let mut pairs = base;
        pairs.extend_from_slice(extra);
        env(&pairs)
    }

    #[test]
    fn no_variables_means_no_providers() {
        let providers = from_source(&env(&[("JWT_SECRET", "x")]), true).unwrap();
        assert!(providers.is_empty());
    }

    #[test]
    fn google_needs_only_its_client_and_redirect() {
        let providers = from_source(&with(google(), &[]), true).unwrap();

        assert_eq!(providers.len(), 1);
        let google = &providers[0];
        assert_eq!(google.id, "google");
        assert_eq!(google.name, "Google");
        assert_eq!(google.issuer, "https://accounts.google.com");
        assert_eq!(google.client_id, "1234.apps.googleusercontent.com");
        assert_eq!(google.scopes, vec!["openid", "email", "profile"]);
        assert!(google.roles.is_none());
        assert!(!google.is_entra());
        assert!(!format!("{google:?}").contains("GOCSPX"));
    }

    #[test]
    fn entra_builds_the_tenant_issuer_from_the_tenant_id() {
        let vars = env(&[
            ("OIDC_ENTRA_TENANT", "72F988BF-86F1-41AF-91AB-2D7CD011DB47"),
            ("OIDC_ENTRA_CLIENT_ID", "app-id"),
            ("OIDC_ENTRA_CLIENT_SECRET", "secret-value"),
            (
                "OIDC_ENTRA_REDIRECT_URL",
                "https://hs.example.org/api/auth/oidc/entra/callback",
            ),
        ]);

        let providers = from_source(&vars, true).unwrap();

        assert_eq!(providers[0].name, "Microsoft");
        assert!(providers[0].is_entra());
        assert_eq!(
            providers[0].issuer,
            "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
        );
    }

    #[test]
    fn entra_refuses_multi_tenant_and_domain_tenants() {
        for tenant in ["common", "organizations", "contoso.onmicrosoft.com"] {
            let vars = env(&[
                ("OIDC_ENTRA_TENANT", tenant),
                ("OIDC_ENTRA_CLIENT_ID", "app-id"),
                ("OIDC_ENTRA_CLIENT_SECRET", "secret-value"),
                (
                    "OIDC_ENTRA_REDIRECT_URL",
                    "https://hs.example.org/api/auth/oidc/entra/callback",
                ),
            ]);
            let err = from_source(&vars, true).unwrap_err();
            assert_eq!(err.variable, "OIDC_ENTRA_TENANT", "{tenant}");
        }
    }

    #[test]
    fn any_other_issuer_is_named_by_its_url_and_gets_an_id_from_its_name() {
        let vars = env(&[
            (
                "OIDC_HOSPITAL_IDP_ISSUER",
                "https://idp.hospital.example/realms/staff",
            ),
            ("OIDC_HOSPITAL_IDP_CLIENT_ID", "healthsecure"),
            ("OIDC_HOSPITAL_IDP_CLIENT_SECRET", "s3cret-value"),
            (
                "OIDC_HOSPITAL_IDP_REDIRECT_URL",
                "https://hs.example.org/api/auth/oidc/hospital-idp/callback",
            ),
            ("OIDC_HOSPITAL_IDP_NAME", "St Elsewhere staff"),
            ("OIDC_HOSPITAL_IDP_SCOPES", "groups offline_access email"),
        ]);

        let providers = from_source(&vars, true).unwrap();

        let idp = &providers[0];
        assert_eq!(idp.id, "hospital-idp");
        assert_eq!(idp.name, "St Elsewhere staff");
        assert_eq!(idp.issuer, "https://idp.hospital.example/realms/staff");
        assert_eq!(
            idp.scopes,
            vec!["openid", "email", "profile", "groups", "offline_access"]
        );
    }

    #[test]
    fn a_missing_variable_is_named() {
        let mut vars = google();
        vars.retain(|(k, _)| *k != "OIDC_GOOGLE_CLIENT_SECRET");
        let err = from_source(&env(&vars), true).unwrap_err();
        assert_eq!(err.variable, "OIDC_GOOGLE_CLIENT_SECRET");

        let err = from_source(&env(&[("OIDC_OKTA_CLIENT_ID", "x")]), true).unwrap_err();
        assert_eq!(err.variable, "OIDC_OKTA_ISSUER");
    }

    #[test]
    fn production_requires_https_and_the_callback_path() {
        let plain = with(
            google(),
            &[(
                "OIDC_GOOGLE_REDIRECT_URL",
                "http://hs.example.org/api/auth/oidc/google/callback",
            )],
        );
        let err = from_source(&plain, true).unwrap_err();
        assert_eq!(err.variable, "OIDC_GOOGLE_REDIRECT_URL");
        assert!(from_source(&plain, false).is_ok());

        let elsewhere = with(
            google(),
            &[(
                "OIDC_GOOGLE_REDIRECT_URL",
                "https://hs.example.org/after-login",
            )],
        );
        let err = from_source(&elsewhere, false).unwrap_err();
        assert!(err.problem.contains("/api/auth/oidc/google/callback"));

        let issuer = with(
            google(),
            &[("OIDC_GOOGLE_ISSUER", "http://accounts.google.com")],
        );
        assert_eq!(
            from_source(&issuer, true).unwrap_err().variable,
            "OIDC_GOOGLE_ISSUER"
        );
    }

    #[test]
    fn a_role_mapping_is_parsed_with_its_claim() {
        let vars = with(
            google(),
            &[
                ("OIDC_GOOGLE_ROLE_MAP", "doctors@hospital.example:doctor"),
                ("OIDC_GOOGLE_ROLE_CLAIM", "hd_groups"),
            ],
        );

        let roles = from_source(&vars, true).unwrap()[0].roles.clone().unwrap();

        assert_eq!(roles.claim, "hd_groups");
        assert_eq!(
            roles.groups,
            vec![("doctors@hospital.example".to_string(), Role::Doctor)]
        );
    }

    #[test]
    fn a_bad_role_mapping_or_a_claim_without_one_is_refused() {
        let bad = with(google(), &[("OIDC_GOOGLE_ROLE_MAP", "doctors:surgeon")]);
        assert_eq!(
            from_source(&bad, true).unwrap_err().variable,
            "OIDC_GOOGLE_ROLE_MAP"
        );
        let lonely = with(google(), &[("OIDC_GOOGLE_ROLE_CLAIM", "groups")]);
        assert_eq!(
            from_source(&lonely, true).unwrap_err().variable,
            "OIDC_GOOGLE_ROLE_CLAIM"
        );
    }

    #[test]
    fn several_providers_are_listed_by_id() {
        let vars = with(
            google(),
            &[
                ("OIDC_ACME_ISSUER", "https://login.acme.example"),
                ("OIDC_ACME_CLIENT_ID", "hs"),
                ("OIDC_ACME_CLIENT_SECRET", "acme-secret"),
                (
                    "OIDC_ACME_REDIRECT_URL",
                    "https://hs.example.org/api/auth/oidc/acme/callback",
                ),
            ],
        );

        let ids: Vec<String> = from_source(&vars, true)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();

        assert_eq!(ids, vec!["acme", "google"]);
    }

    #[test]
    fn provider_names_must_be_plain() {
        let vars = env(&[("OIDC_bad name_CLIENT_ID", "x")]);
        assert!(from_source(&vars, true).is_err());
    }
}
