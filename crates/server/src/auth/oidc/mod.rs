//! Single sign-on with OpenID Connect: HealthSecure as a relying party of
//! Google, Microsoft Entra ID or any issuer found by discovery.
//!
//! The flow is the authorization code flow with PKCE (S256), `state` and
//! `nonce`, all single use and bound to the browser that started it
//! (`flow`). The `openidconnect` library checks the ID token's signature,
//! issuer, audience, expiry and nonce (`client`). Which account the
//! identity reaches is decided in `domain::identities`; the group-to-role
//! mapping can only confirm an account's role, never grant one (`roles`).

pub mod client;
pub mod flow;
pub mod roles;
pub mod settings;

use std::time::Duration;

pub use client::{Authorization, Provider, ProviderFailure, VerifiedIdentity};
pub use flow::{FlowCookieError, FlowSealer, PendingFlow, ReturnTo};
pub use roles::RoleMapping;
pub use settings::ProviderSettings;

/// The configured providers, the HTTP client that talks to them and the
/// key that seals flow cookies.
pub struct SsoProviders {
    providers: Vec<Provider>,
    http: reqwest::Client,
    sealer: FlowSealer,
}

impl SsoProviders {
    /// Builds the registry; no provider is contacted yet.
    pub fn new(settings: &[ProviderSettings], signing_secret: &[u8]) -> Result<Self, String> {
        // No redirects: a provider's endpoints are taken from its own
        // discovery document, and following a redirect from one of them
        // could send a request (with the client secret) anywhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the sign-on HTTP client: {e}"))?;
        Ok(SsoProviders {
            providers: settings.iter().cloned().map(Provider::new).collect(),
            http,
            sealer: FlowSealer::new(signing_secret),
        })
    }

    pub fn list(&self) -> impl Iterator<Item = &ProviderSettings> {
        self.providers.iter().map(|p| &p.settings)
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.settings.id == id)
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn sealer(&self) -> &FlowSealer {
        &self.sealer
    }
}
