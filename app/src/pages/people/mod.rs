//! People 居民: staff's list of the community's people (from the relay's records and their
//! person documents), inviting someone new (a code to read out and a QR code to scan), a
//! person's page (devices: rename, revoke a lost phone; erasure), and the consents a person
//! gave. Needs a connection: only the relay can enrol, revoke or erase.

pub mod consents;
pub mod list;
pub mod person;

pub use consents::Consents;
pub use list::{InviteCard, PeoplePage};
pub use person::PersonPage;

use leptos::prelude::*;
use linli_shared::api::PersonRow;
use linli_shared::domain::people::PersonSummary;
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::i18n::Lang;
use crate::platform::http::HttpError;
use crate::state::App;

pub fn role_name(l: Lang, r: Role) -> &'static str {
    match r {
        Role::Resident => l.t("居民", "Resident"),
        Role::Volunteer => l.t("志愿者", "Volunteer"),
        Role::GridWorker => l.t("网格员", "Grid worker"),
        Role::Staff => l.t("社区工作者", "Staff"),
    }
}

pub(super) fn api_error(l: Lang, e: &HttpError) -> String {
    match e {
        HttpError::Network(_) => l
            .t("需要联网才能操作。", "This needs a connection.")
            .to_string(),
        HttpError::Status { message, .. } => message.clone(),
    }
}

/// The name of the person a relay record points at, from their document if this device has it.
pub(super) fn name_of(app: &App, row: &PersonRow) -> String {
    let doc = row
        .person_doc
        .as_deref()
        .and_then(|d| DocumentId::parse(d).ok());
    doc.and_then(|d| {
        app.summary(&d, |s| match s {
            linli_shared::domain::Summary::Person(PersonSummary { person, .. }) => {
                Some(person.name.clone())
            }
            _ => None,
        })
        .flatten()
    })
    // Someone without a record (the first staff member, invited when the relay started), or
    // an erased person: their role says who they are, never a raw id.
    .unwrap_or_else(|| {
        let l = app.lang.get_untracked();
        if row.erased {
            l.t("已删除的居民", "Erased person").to_string()
        } else {
            format!(
                "{}（{}）",
                role_name(l, row.role),
                l.t("未登记姓名", "no name on record")
            )
        }
    })
}
