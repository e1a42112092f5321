use std::io::Read;

use clap::Subcommand;

use crate::audit::{Action, AuditEvent, Outcome, Purpose};
use crate::auth::{NewPassword, PasswordHasher};
use crate::config::Config;
use crate::domain::Email;
use crate::domain::users::{self, NewUser};
use crate::policy::Role;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// doctor, nurse or admin
        #[arg(long)]
        role: String,
        /// Read the initial password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Make the user choose a new password at first sign-in.
        #[arg(long)]
        must_change_password: bool,
    },
    /// Remove an account's authenticator app and recovery codes (a lost
    /// phone, or the only administrator locked out); its refresh sessions
    /// end, and the next sign-in leads through enrolment again.
    ResetMfa {
        #[arg(long)]
        email: String,
    },
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    if let UserCommand::ResetMfa { email } = command {
        return reset_mfa(config, &email).await;
    }
    let UserCommand::Create {
        email,
        name,
        role,
        password_stdin: _,
        must_change_password,
    } = command
    else {
        unreachable!("handled above");
    };
    let email = Email::parse(&email)
        .ok_or_else(|| anyhow::anyhow!("--email is not a valid email address"))?;
    let role = Role::parse(&role)
        .ok_or_else(|| anyhow::anyhow!("--role must be doctor, nurse or admin"))?;
    let name = crate::domain::bounded_text("name", &name, 200)
        .map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.strip_suffix('\n').unwrap_or(&password);
    let password = password.strip_suffix('\r').unwrap_or(password).to_string();
    let password = NewPassword::parse(password).map_err(|e| anyhow::anyhow!("password: {e}"))?;

    let hasher = PasswordHasher::new(config.bcrypt_cost, 1);
    let password_hash = hasher.hash(&password).await?;
    let db = super::open(config).await?;
    let audit = super::audit_sink(config).await?;
    let created = users::create(
        &db,
        NewUser {
            email,
            name,
            role,
            password_hash,
            must_change_password,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let event = AuditEvent::new(Action::UserCreate, Outcome::Allowed, &super::cli_client())
        .purpose(Purpose::Operations)
        .reason_text(&format!("target_user={}", created.id));
    audit.record(event).await?;
    println!(
        "Created {} account {} (id {}).",
        created.role, created.email, created.id
    );
    Ok(())
}

async fn reset_mfa(config: &Config, email: &str) -> anyhow::Result<()> {
    let db = super::open(config).await?;
    let audit = super::audit_sink(config).await?;
    let account = users::find_by_email(&db, email)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("--email: there is no account with this address"))?;
    let had = crate::domain::mfa::reset(&db, account.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::auth::refresh::revoke_user_families(&db, account.id, None).await?;
    let event = AuditEvent::new(Action::AuthMfaReset, Outcome::Allowed, &super::cli_client())
        .purpose(Purpose::Operations)
        .reason_code(if had { "reset" } else { "nothing_to_reset" })
        .reason_text(&format!("target_user={}", account.id));
    audit.record(event).await?;
    if had {
        println!(
            "Removed the authenticator of {}; the next sign-in sets up a new one where the role requires it.",
            account.email
        );
    } else {
        println!(
            "{} had no authenticator set up; nothing changed.",
            account.email
        );
    }
    Ok(())
}
