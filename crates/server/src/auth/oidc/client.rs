//! Talking to the providers: discovery, the authorization request, and the
//! code exchange whose ID token the library verifies (signature, `iss`,
//! `aud`, `exp`, `nonce`).
//!
//! Discovery is lazy and cached per provider for an hour, so a provider
//! that is down at start-up does not stop the server (password sign-in
//! still works) and a provider's key rotation is picked up: an ID token
//! signed with a key the cached set lacks triggers one fresh discovery.

use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::url::Url;
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthenticationFlow, AuthorizationCode,
    ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use super::flow::{FLOW_TTL_SECS, PendingFlow, ReturnTo};
use super::settings::ProviderSettings;

const METADATA_TTL: Duration = Duration::from_secs(3600);

/// Every claim of the ID token, kept for the group-to-role mapping.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub all: Map<String, Value>,
}

impl AdditionalClaims for OtherClaims {}

type Tokens = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Only public-key signatures are accepted on ID tokens: the client
/// secret is a credential, not a key anyone else's token may be signed with.
const ALLOWED_ALGS: [CoreJwsSigningAlgorithm; 10] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EcdsaP521Sha512,
    CoreJwsSigningAlgorithm::EdDsa,
];

/// Why talking to a provider did not yield a verified identity. Each maps
/// to an audit reason code; none carries a code or token value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderFailure {
    /// Discovery failed: the provider is unreachable or misconfigured.
    Unavailable,
    /// The provider refused the code (reused, expired, or the PKCE
    /// verifier does not match the challenge).
    CodeRefused,
    MissingIdToken,
    NonceMismatch,
    /// Signature, issuer, audience, expiry or access-token hash wrong.
    InvalidIdToken,
}

impl ProviderFailure {
    pub fn reason_code(self) -> &'static str {
        match self {
            ProviderFailure::Unavailable => "provider_unavailable",
            ProviderFailure::CodeRefused => "code_refused",
            ProviderFailure::MissingIdToken => "id_token_missing",
            ProviderFailure::NonceMismatch => "nonce_mismatch",
            ProviderFailure::InvalidIdToken => "id_token_invalid",
        }
    }
}

/// Who the provider says signed in, after the ID token was verified.
#[derive(Clone, Debug)]
pub struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    /// The e-mail address, only when the provider marks it verified.
    pub verified_email: Option<String>,
    pub claims: Map<String, Value>,
    /// The authentication methods the provider reports (`amr`, RFC 8176).
    pub amr: Vec<String>,
}

/// `amr` values that show a second factor or a hardware-bound key.
const MFA_METHODS: &[&str] = &["mfa", "otp", "hwk", "sc"];

impl VerifiedIdentity {
    /// Whether the provider says the person used a second factor.
    pub fn used_second_factor(&self) -> bool {
        self.amr.iter().any(|m| MFA_METHODS.contains(&m.as_str()))
    }
}

/// An authorization request, ready to send the browser to.
pub struct Authorization {
    pub url: Url,
    pub flow: PendingFlow,
}

struct Discovered {
    metadata: CoreProviderMetadata,
    fetched_at: Instant,
}

/// One configured provider and what discovery found about it.
pub struct Provider {
    pub settings: ProviderSettings,
    discovered: Mutex<Option<Discovered>>,
}

impl Provider {
    pub fn new(settings: ProviderSettings) -> Provider {
        Provider {
            settings,
            discovered: Mutex::new(None),
        }
    }

    /// The provider's metadata, from the cache while it is fresh. Waiting
    /// callers share one discovery rather than each starting their own.
    async fn metadata(
        &self,
        http: &reqwest::Client,
        refresh: bool,
    ) -> Result<CoreProviderMetadata, ProviderFailure> {
        let mut cached = self.discovered.lock().await;
        if let Some(found) = cached.as_ref()
            && !refresh
            && found.fetched_at.elapsed() < METADATA_TTL
        {
            return Ok(found.metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|_| ProviderFailure::Unavailable)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(|err| {
                tracing::warn!(provider = %self.settings.id, error = %err, "sign-on provider discovery failed");
                ProviderFailure::Unavailable
            })?;
        *cached = Some(Discovered {
            metadata: metadata.clone(),
            fetched_at: Instant::now(),
        });
        Ok(metadata)
    }

    async fn client(
        &self,
        http: &reqwest::Client,
        refresh: bool,
    ) -> Result<OidcClient, ProviderFailure> {
        let metadata = self.metadata(http, refresh).await?;
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|_| ProviderFailure::Unavailable)?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(
                self.settings.client_secret.expose().clone(),
            )),
        )
        .set_redirect_uri(redirect))
    }

    /// Builds the authorization request: code flow, PKCE S256 and fresh
    /// random `state` and `nonce`, all of which the returned flow keeps.
    pub async fn authorize(
        &self,
        http: &reqwest::Client,
        return_to: ReturnTo,
    ) -> Result<Authorization, ProviderFailure> {
        let client = self.client(http, false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<openidconnect::core::CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        // The library asks for `openid` itself.
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        let flow = PendingFlow {
            provider: self.settings.id.clone(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to,
            expires_at: chrono::Utc::now().timestamp() + FLOW_TTL_SECS,
        };
        Ok(Authorization { url, flow })
    }

    /// Exchanges the code (with the flow's PKCE verifier) and verifies the
    /// ID token against the flow's nonce.
    pub async fn redeem(
        &self,
        http: &reqwest::Client,
        code: &str,
        flow: &PendingFlow,
    ) -> Result<VerifiedIdentity, ProviderFailure> {
        let client = self.client(http, false).await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| ProviderFailure::Unavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request_async(http)
            .await
            .map_err(|err| {
                tracing::warn!(provider = %self.settings.id, error = %err, "sign-on code exchange failed");
                ProviderFailure::CodeRefused
            })?;
        let nonce = Nonce::new(flow.nonce.clone());
        let entra = self.settings.is_entra();
        match verify(&client, &tokens, &nonce, entra) {
            Err(VerifyError::UnknownKey) => {
                // The provider may have rotated its keys since discovery.
                let fresh = self.client(http, true).await?;
                verify(&fresh, &tokens, &nonce, entra)
                    .map_err(|err| err.into_failure(&self.settings.id))
            }
            other => other.map_err(|err| err.into_failure(&self.settings.id)),
        }
    }
}

enum VerifyError {
    UnknownKey,
    Failure(ProviderFailure, String),
}

impl VerifyError {
    fn into_failure(self, provider: &str) -> ProviderFailure {
        match self {
            VerifyError::UnknownKey => {
                tracing::warn!(
                    provider,
                    "ID token signed with a key the provider does not publish"
                );
                ProviderFailure::InvalidIdToken
            }
            VerifyError::Failure(failure, detail) => {
                tracing::warn!(
                    provider,
                    reason = failure.reason_code(),
                    detail,
                    "ID token refused"
                );
                failure
            }
        }
    }
}

fn verify(
    client: &OidcClient,
    tokens: &Tokens,
    nonce: &Nonce,
    entra: bool,
) -> Result<VerifiedIdentity, VerifyError> {
    let id_token = tokens.id_token().ok_or(VerifyError::Failure(
        ProviderFailure::MissingIdToken,
        "no id_token in the token response".into(),
    ))?;
    let verifier = client.id_token_verifier().set_allowed_algs(ALLOWED_ALGS);
    let invalid = |detail: String| VerifyError::Failure(ProviderFailure::InvalidIdToken, detail);
    let claims = match id_token.claims(&verifier, nonce) {
        Ok(claims) => claims,
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => return Err(VerifyError::UnknownKey),
        Err(ClaimsVerificationError::InvalidNonce(detail)) => {
            return Err(VerifyError::Failure(ProviderFailure::NonceMismatch, detail));
        }
        Err(err) => return Err(invalid(err.to_string())),
    };
    // The access token is not used, but a provider that binds it to the ID
    // token gets the binding checked, as the specification asks.
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token.signing_alg().map_err(|e| invalid(e.to_string()))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| invalid(e.to_string()))?;
        let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
            .map_err(|e| invalid(e.to_string()))?;
        if actual != *expected {
            return Err(invalid("at_hash does not match the access token".into()));
        }
    }
    let other = &claims.additional_claims().all;
    let email = claims.email().map(|e| e.as_str());
    Ok(VerifiedIdentity {
        issuer: claims.issuer().as_str().to_string(),
        subject: claims.subject().as_str().to_string(),
        verified_email: verified_email(email, claims.email_verified(), other, entra),
        claims: other.clone(),
        amr: claims
            .auth_method_refs()
            .map(|methods| methods.iter().map(|m| m.as_str().to_string()).collect())
            .unwrap_or_default(),
    })
}

/// The e-mail address when the provider vouches for it: `email_verified`
/// is true. Entra ID never sends that claim; for it, the optional claim
/// `xms_edov` (the address's domain is verified by the tenant that holds
/// the account) stands in, and only when `email_verified` is absent.
fn verified_email(
    email: Option<&str>,
    email_verified: Option<bool>,
    other: &Map<String, Value>,
    entra: bool,
) -> Option<String> {
    let domain_owner_verified = || {
        matches!(other.get("xms_edov"), Some(Value::Bool(true)))
            || matches!(other.get("xms_edov"), Some(Value::String(s)) if s == "true" || s == "1")
    };
    let vouched = match email_verified {
        Some(verified) => verified,
        None => entra && domain_owner_verified(),
    };
    email.filter(|_| vouched).map(str::to_string)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_second_factor_is_read_from_amr() {
        let identity = |amr: &[&str]| VerifiedIdentity {
            issuer: "https://idp.example".into(),
            subject: "s".into(),
            verified_email: None,
            claims: Map::new(),
            amr: amr.iter().map(|m| m.to_string()).collect(),
        };
        assert!(identity(&["pwd", "mfa"]).used_second_factor());
        assert!(identity(&["otp"]).used_second_factor());
        assert!(identity(&["hwk"]).used_second_factor());
        assert!(!identity(&["pwd"]).used_second_factor());
        assert!(!identity(&[]).used_second_factor());
    }

    use super::*;
    use serde_json::json;

    fn other(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn an_address_counts_only_when_the_provider_vouches_for_it() {
        let none = Map::new();
        let email = Some("a@hospital.example");

        assert_eq!(
            verified_email(email, Some(true), &none, false).as_deref(),
            email
        );
        assert_eq!(verified_email(email, Some(false), &none, false), None);
        assert_eq!(verified_email(email, None, &none, false), None);
        assert_eq!(verified_email(None, Some(true), &none, false), None);
    }

    #[test]
    fn entra_domain_owner_verification_stands_in_only_for_entra() {
        let edov = other(json!({ "xms_edov": true }));
        let email = Some("a@hospital.example");

        assert_eq!(verified_email(email, None, &edov, true).as_deref(), email);
        assert_eq!(verified_email(email, None, &edov, false), None);
        assert_eq!(
            verified_email(email, None, &other(json!({ "xms_edov": false })), true),
            None
        );
        assert_eq!(verified_email(email, None, &Map::new(), true), None);
        // An explicit `email_verified: false` is never overridden.
        assert_eq!(verified_email(email, Some(false), &edov, true), None);
    }
}
