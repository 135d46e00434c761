//! Consent 代办授权: an elder lets a volunteer act for them, in person or on paper, and may
//! withdraw it; the record (who, when, how) stays.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use crate::docutil::{get_i64, get_obj, get_str, map_keys};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, ModelError};
use crate::time::Millis;

/// How an elder gave a volunteer their consent to act for them (代办授权).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Said so in person, to staff or on the elder's own phone.
    InPerson,
    /// Signed a paper form, kept by the residents' committee.
    Paper,
}

impl ConsentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::InPerson => "in_person",
            ConsentMethod::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in_person" => Some(ConsentMethod::InPerson),
            "paper" => Some(ConsentMethod::Paper),
            _ => None,
        }
    }
}

/// One consent recorded in a person's record: who may act for them, since when, how; and
/// whether (and by whom) it was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub volunteer: String,
    /// The volunteer's name as the relay has it, so the elder's phone (which does not hold the
    /// volunteer's record) shows who it is (may be empty in consents recorded before).
    #[serde(default)]
    pub volunteer_name: String,
    pub granted_at: Millis,
    pub granted_by: String,
    pub method: ConsentMethod,
    pub withdrawn_at: Option<Millis>,
    pub withdrawn_by: Option<String>,
}

impl Consent {
    pub fn active(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

/// The consents recorded in a person's record.
pub fn consents(doc: &Automerge) -> Vec<Consent> {
    let Some(map) = get_obj(doc, &ROOT, "consents", ObjType::Map) else {
        return Vec::new();
    };
    map_keys(doc, &map)
        .into_iter()
        .filter_map(|volunteer| {
            let c = get_obj(doc, &map, &volunteer, ObjType::Map)?;
            Some(Consent {
                granted_at: get_i64(doc, &c, "granted_at")?,
                granted_by: get_str(doc, &c, "granted_by").unwrap_or_default(),
                method: get_str(doc, &c, "method")
                    .and_then(|m| ConsentMethod::parse(&m))
                    .unwrap_or(ConsentMethod::InPerson),
                withdrawn_at: get_i64(doc, &c, "withdrawn_at"),
                withdrawn_by: get_str(doc, &c, "withdrawn_by"),
                volunteer_name: get_str(doc, &c, "volunteer_name").unwrap_or_default(),
                volunteer,
            })
        })
        .collect()
}

/// Records that the person consents to `volunteer` acting for them (replacing any earlier,
/// withdrawn consent to the same volunteer).
pub fn grant_consent(
    doc: &mut Automerge,
    volunteer: &str,
    by: &str,
    method: ConsentMethod,
    now: Millis,
) -> Result<(), ModelError> {
    grant_consent_named(doc, volunteer, "", by, method, now)
}

/// Records a consent with the volunteer's name (their name in the relay's records: the relay
/// refuses any other).
pub fn grant_consent_named(
    doc: &mut Automerge,
    volunteer: &str,
    volunteer_name: &str,
    by: &str,
    method: ConsentMethod,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Person)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let map = match get_obj(tx, &ROOT, "consents", ObjType::Map) {
            Some(m) => m,
            None => tx.put_object(ROOT, "consents", ObjType::Map)?,
        };
        let c = tx.put_object(&map, volunteer, ObjType::Map)?;
        tx.put(&c, "granted_at", now)?;
        tx.put(&c, "granted_by", by)?;
        tx.put(&c, "method", method.as_str())?;
        if !volunteer_name.is_empty() {
            tx.put(&c, "volunteer_name", volunteer_name)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Withdraws the consent given to `volunteer`. The record stays, marked withdrawn.
pub fn withdraw_consent(
    doc: &mut Automerge,
    volunteer: &str,
    by: &str,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Person)?;
    let c = get_obj(doc, &ROOT, "consents", ObjType::Map)
        .and_then(|m| get_obj(doc, &m, volunteer, ObjType::Map))
        .ok_or(ModelError::Malformed("consents"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(&c, "withdrawn_at", now)?;
        tx.put(&c, "withdrawn_by", by)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Person;
    use super::*;

    #[test]
    fn a_withdrawn_consent_stays_on_record_but_is_no_longer_active() {
        let mut doc = Automerge::new();
        Person {
            id: "p-elder".into(),
            name: "王".into(),
            phone: "1".into(),
            flat: "7-2-301".into(),
            birth_year: Some(1954),
            lives_alone: true,
            household: "h-1".into(),
            grid: "g07".into(),
        }
        .create(&mut doc)
        .unwrap();
        grant_consent(&mut doc, "p-vol", "p-staff", ConsentMethod::Paper, 10).unwrap();
        assert!(consents(&doc)[0].active());
        withdraw_consent(&mut doc, "p-vol", "p-elder", 20).unwrap();
        let c = &consents(&doc)[0];
        assert!(!c.active());
        assert_eq!(
            (c.granted_by.as_str(), c.withdrawn_by.as_deref()),
            ("p-staff", Some("p-elder"))
        );
        assert_eq!(c.method, ConsentMethod::Paper);
    }
}
