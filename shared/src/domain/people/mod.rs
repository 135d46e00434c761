//! People: each person's own record (name, phone, flat, age, household, grid) and the
//! consents they give volunteers to act for them (代办授权).

mod commands;
mod consent;
mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use crate::docutil::{get_bool, get_i64, get_str};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

pub use commands::PersonCommand;
pub use consent::{
    Consent, ConsentMethod, consents, grant_consent, grant_consent_named, withdraw_consent,
};

pub const PHONE_MAX: usize = 32;
/// A flat (building-unit-room).
pub const FLAT_MAX: usize = 32;

/// What a device keeps of a person (stored as `{"kind":"person","person":{…},"consents":[…]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub person: Person,
    pub consents: Vec<Consent>,
    /// The party the person represents at the talks, and their title there (staff write it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<Seat>,
    /// The exclusive floor area of the person's flat in hundredths of m² (staff write it;
    /// owners' votes take their roll from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<i64>,
}

/// A person's seat at the four-party talks: which party they represent, with a short title
/// (业委会主任, 物业经理, 社区顾问…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub party: crate::policy::Party,
    pub title: String,
}

/// The most characters of a seat's title.
pub const PARTY_TITLE_MAX: usize = 30;

/// The largest exclusive floor area a flat's record may carry: 2,000 m² (in hundredths).
pub const AREA_MAX: i64 = 200_000;

/// Reads a floor area as typed (`89.5`, `89.50 m²`, `89.5平方米`) into hundredths of m²: above
/// zero, at most [`AREA_MAX`], at most two decimal places.
pub fn parse_area(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = ["平方米", "m²", "m2", "㎡", "平米"]
        .iter()
        .fold(s, |s, unit| s.strip_suffix(unit).unwrap_or(s))
        .trim();
    crate::domain::talks::split::parse_hundredths(s).filter(|a| (1..=AREA_MAX).contains(a))
}

/// Hundredths of m² for display: `89.5`, `114.23`, `90`.
pub fn area_text(area: i64) -> String {
    match area % 100 {
        0 => format!("{}", area / 100),
        r if r % 10 == 0 => format!("{}.{}", area / 100, r / 10),
        r => format!("{}.{r:02}", area / 100),
    }
}

/// Records the exclusive floor area of the person's flat (owners' votes take their roll from
/// it), or removes it (`None`). Staff only (the relay refuses anyone else writing it).
pub fn set_area(doc: &mut Automerge, area: Option<i64>) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Person)?;
    if area.is_some_and(|a| !(1..=AREA_MAX).contains(&a)) {
        return Err(ModelError::Malformed("area"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        match area {
            Some(a) => tx.put(ROOT, "area", a)?,
            None => tx.delete(ROOT, "area")?,
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The person's seat at the talks, if their record gives one.
pub fn seat(doc: &Automerge) -> Option<Seat> {
    let party = get_str(doc, &ROOT, "party").and_then(|p| crate::policy::Party::parse(&p))?;
    Some(Seat {
        party,
        title: get_str(doc, &ROOT, "party_title").unwrap_or_default(),
    })
}

/// Gives a person a seat at the talks, or takes it away (`None`). Staff only (the relay
/// refuses anyone else writing these fields of a record).
pub fn set_seat(doc: &mut Automerge, seat: Option<&Seat>) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Person)?;
    let title = seat.map(|s| {
        s.title
            .trim()
            .chars()
            .take(PARTY_TITLE_MAX)
            .collect::<String>()
    });
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        match (seat, &title) {
            (Some(s), Some(t)) => {
                tx.put(ROOT, "party", s.party.as_str())?;
                tx.put(ROOT, "party_title", t.as_str())?;
            }
            _ => {
                tx.delete(ROOT, "party")?;
                tx.delete(ROOT, "party_title")?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The person kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "person";
    type Summary = PersonSummary;
    type Command = PersonCommand;

    fn apply(doc: &mut Automerge, command: &PersonCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<PersonSummary> {
        Some(PersonSummary {
            person: Person::read(doc).ok()?,
            consents: consents(doc),
            seat: seat(doc),
            area: get_i64(doc, &ROOT, "area").filter(|a| *a > 0),
        })
    }

    /// The person; grid workers of their grid; volunteers they consent to; staff.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff()
            || scope.subject.as_deref() == Some(p.person.as_str())
            || p.works_grid(scope.grid.as_deref())
            || p.acts_for(scope.subject.as_deref())
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_names(w)
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::ID_MAX;
        Some(match field {
            "phone" => PHONE_MAX,
            "flat" => FLAT_MAX,
            "method" | "granted_by" | "withdrawn_by" => ID_MAX,
            "volunteer_name" => crate::domain::limits::NAME_MAX,
            "party" => ID_MAX,
            "party_title" => PARTY_TITLE_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["granted_at", "withdrawn_at"];

    const DIRECTORY: bool = true;

    fn display_name(doc: &Automerge) -> Option<String> {
        get_str(doc, &ROOT, "name").filter(|n| !n.is_empty())
    }

    fn party(doc: &Automerge) -> Option<crate::policy::Party> {
        seat(doc).map(|s| s.party)
    }

    /// The volunteers this person currently consents to.
    fn delegates(doc: &Automerge) -> Option<Vec<String>> {
        let mut v: Vec<String> = consents(doc)
            .into_iter()
            .filter(|c| c.active())
            .map(|c| c.volunteer)
            .collect();
        v.sort();
        Some(v)
    }
}

/// A person's own record: personal data, kept only in documents entitled devices receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The person id (`p-…`), written as the document's `subject`.
    pub id: String,
    pub name: String,
    pub phone: String,
    /// Building-unit-room, e.g. `7-2-301`.
    pub flat: String,
    pub birth_year: Option<i64>,
    pub lives_alone: bool,
    pub household: String,
    pub grid: String,
}

impl Person {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Person)?;
        let s = |k: &str| get_str(doc, &ROOT, k).unwrap_or_default();
        Ok(Person {
            id: s("subject"),
            name: s("name"),
            phone: s("phone"),
            flat: s("flat"),
            birth_year: get_i64(doc, &ROOT, "birth_year"),
            lives_alone: get_bool(doc, &ROOT, "lives_alone").unwrap_or(false),
            household: s("household"),
            grid: s("grid"),
        })
    }

    pub fn create(&self, doc: &mut Automerge) -> Result<(), ModelError> {
        if doc_kind(doc).is_some() {
            return Err(ModelError::NotEmpty("person"));
        }
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "kind", DocKind::Person.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "subject", self.id.as_str())?;
            tx.put(ROOT, "name", self.name.as_str())?;
            tx.put(ROOT, "phone", self.phone.as_str())?;
            tx.put(ROOT, "flat", self.flat.as_str())?;
            if let Some(y) = self.birth_year {
                tx.put(ROOT, "birth_year", y)?;
            }
            tx.put(ROOT, "lives_alone", self.lives_alone)?;
            tx.put(ROOT, "household", self.household.as_str())?;
            tx.put(ROOT, "grid", self.grid.as_str())?;
            // Created up front: two phones creating it concurrently would lose one's entries.
            tx.put_object(ROOT, "consents", ObjType::Map)?;
            Ok(())
        })
        .map_err(|f| f.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod area_tests {
    use super::*;

    #[test]
    fn a_floor_area_is_read_as_typed_and_kept_in_hundredths_of_a_square_metre() {
        assert_eq!(parse_area("89.5"), Some(8_950));
        assert_eq!(parse_area(" 114.23 m² "), Some(11_423));
        assert_eq!(parse_area("90平方米"), Some(9_000));
        assert_eq!(parse_area("0"), None, "a flat has some area");
        assert_eq!(parse_area("89.555"), None, "two decimal places at most");
        assert_eq!(parse_area("2000.01"), None, "no flat is that large");
        assert_eq!(parse_area("八十"), None);
        assert_eq!(
            (area_text(8_950), area_text(11_423), area_text(9_000)),
            ("89.5".into(), "114.23".into(), "90".into())
        );
    }

    #[test]
    fn staff_record_a_flats_area_in_the_summary_and_can_take_it_away() {
        let mut doc = Automerge::new();
        Person {
            id: "p-1".into(),
            name: "王".into(),
            phone: "1".into(),
            flat: "7-2-301".into(),
            birth_year: None,
            lives_alone: false,
            household: "h-1".into(),
            grid: "g07".into(),
        }
        .create(&mut doc)
        .unwrap();
        let area = |doc: &Automerge| Kind::summarise(doc).and_then(|p| p.area);
        PersonCommand::SetArea { area: Some(8_950) }
            .apply(&mut doc, 1)
            .unwrap();
        assert_eq!(area(&doc), Some(8_950));
        assert!(
            PersonCommand::SetArea { area: Some(0) }
                .apply(&mut doc, 2)
                .is_err()
        );
        PersonCommand::SetArea { area: None }
            .apply(&mut doc, 3)
            .unwrap();
        assert_eq!(area(&doc), None);
    }
}
