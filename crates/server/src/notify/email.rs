//! Emergency alerts by e-mail (`SMTP_URL`, `EMERGENCY_NOTIFICATION_EMAIL`).

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::GrantAlert;

#[derive(Clone)]
pub struct EmailChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl EmailChannel {
    /// `smtp_url` as lettre reads it: `smtp://host:port` (with STARTTLS
    /// when `?tls=required`), `smtps://user:pass@host:465`.
    pub fn new(smtp_url: &str, from: &str, to: &[String]) -> Result<EmailChannel, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|_| "SMTP_URL is not a valid SMTP URL".to_string())?
            .timeout(Some(Duration::from_secs(5)))
            .build();
        let from = from
            .parse()
            .map_err(|_| "SMTP_FROM is not a valid address".to_string())?;
        let to = to
            .iter()
            .map(|a| {
                a.parse()
                    .map_err(|_| "EMERGENCY_NOTIFICATION_EMAIL has an invalid address".to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        if to.is_empty() {
            return Err("EMERGENCY_NOTIFICATION_EMAIL is required with SMTP_URL".into());
        }
        Ok(EmailChannel {
            transport,
            from,
            to,
        })
    }

    pub async fn send(&self, alert: &GrantAlert) -> Result<(), String> {
        let mut message = Message::builder().from(self.from.clone()).subject(format!(
            "HealthSecure alert: emergency access grant #{}",
            alert.grant_id
        ));
        for to in &self.to {
            message = message.to(to.clone());
        }
        let message = message
            .body(body(alert))
            .map_err(|_| "could not build the message".to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            if e.is_transient() {
                "temporary SMTP failure".to_string()
            } else {
                "SMTP delivery failed".to_string()
            }
        })
    }
}

/// Ids, role, category and times only: the justification and anything
/// about the patient stay in HealthSecure, behind sign-in.
fn body(alert: &GrantAlert) -> String {
    let role = alert.user_role.map_or("unknown", |r| r.as_str());
    let mut text = format!(
        "Emergency (break-glass) access was granted.\n\n\
         Grant:       #{}\n\
         Clinician:   user #{} ({role})\n\
         Patient:     internal id #{}\n\
         Category:    {}\n\
         Requested:   {}\n\
         Expires:     {}\n\n\
         Every access under this grant is audited. Review the grant and record an outcome",
        alert.grant_id,
        alert.user_id,
        alert.patient_id,
        alert.reason_category,
        alert.requested_at.format("%Y-%m-%d %H:%M:%S UTC"),
        alert.expires_at.format("%Y-%m-%d %H:%M:%S UTC"),
    );
    match &alert.review_url {
        Some(url) => text.push_str(&format!(":\n{url}\n")),
        None => text.push_str(" in HealthSecure under Emergency review.\n"),
    }
    text
}
