//! The domain: every kind of document, one folder each, and the registry that lists them.
//!
//! A kind implements [`DocType`] (its name, its summary, who may read it, which changes a
//! person may make, and the hooks for what the relay derives from it) in its own folder, and
//! takes one line in [`registry!`] below. Everything else (the relay core, the rules engine,
//! the app's read model) goes through [`DocKind`] and [`Summary`] and names no kind.
//!
//! Every document carries `kind` at its root; the relay uses it (and the scope fields `grid`,
//! `household`, `subject`) to decide who may read and write it. See ARCHITECTURE.md.

pub(crate) mod erasure;
pub mod errors;
pub mod kind;
pub mod limits;
pub mod scope;

pub mod board;
pub mod charter;
pub mod community;
pub mod drawing;
pub mod event;
pub mod field_note;
pub mod fund;
pub mod grant_call;
pub mod grid;
pub mod group;
pub mod local_case;
pub mod merchant;
pub mod owners_vote;
pub mod patrols;
pub mod people;
pub mod proposal;
pub mod requests;
pub mod resource;
pub mod roadmap;
pub mod site_plan;
pub mod sorting;
pub mod talks;
pub mod training;
pub mod volunteer;
pub mod works;

pub use errors::{InputError, ModelError};
pub use kind::{DocType, Edit, Prior, Projection, Verdict, Write};
pub use scope::{SCHEMA, Scope, doc_kind};

/// Generates [`DocKind`] (one variant per kind, dispatching to its [`DocType`]) and
/// [`Summary`] (one variant per kind, holding its summary; stored as JSON with `kind` beside
/// the summary's own fields).
macro_rules! registry {
    ($($variant:ident => $ty:path),+ $(,)?) => {
        /// Which kind of document this is: the permission boundary (ARCHITECTURE.md).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum DocKind {
            $($variant,)+
        }

        impl DocKind {
            /// Every registered kind.
            pub const ALL: &'static [DocKind] = &[$(DocKind::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $(DocKind::$variant => <$ty as DocType>::NAME,)+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == s)
            }

            pub fn may_read(self, p: &crate::policy::Principal, scope: &Scope) -> bool {
                match self { $(DocKind::$variant => <$ty as DocType>::may_read(p, scope),)+ }
            }

            pub fn scope_missing(self, scope: &Scope) -> Option<&'static str> {
                match self { $(DocKind::$variant => <$ty as DocType>::scope_missing(scope),)+ }
            }

            pub fn check(self, w: &Write<'_>) -> Verdict {
                match self { $(DocKind::$variant => <$ty as DocType>::check(w),)+ }
            }

            pub fn check_everyone(self, w: &Write<'_>) -> Verdict {
                match self { $(DocKind::$variant => <$ty as DocType>::check_everyone(w),)+ }
            }

            pub fn prior(self, doc: &automerge::Automerge, changes: &[automerge::Change]) -> Option<Prior> {
                match self { $(DocKind::$variant => <$ty as DocType>::prior(doc, changes),)+ }
            }

            pub fn field_limit(self, parent: Option<&str>, field: &str) -> Option<usize> {
                match self { $(DocKind::$variant => <$ty as DocType>::field_limit(parent, field),)+ }
            }

            pub fn list_limit(self, field: &str) -> Option<usize> {
                match self { $(DocKind::$variant => <$ty as DocType>::list_limit(field),)+ }
            }

            pub fn daily_max(self) -> Option<u32> {
                match self { $(DocKind::$variant => <$ty as DocType>::DAILY_MAX,)+ }
            }

            pub fn time_fields(self) -> &'static [&'static str] {
                match self { $(DocKind::$variant => <$ty as DocType>::TIME_FIELDS,)+ }
            }

            pub fn name_fields(self) -> &'static [&'static str] {
                match self { $(DocKind::$variant => <$ty as DocType>::NAME_FIELDS,)+ }
            }

            pub fn public_text_fields(self) -> &'static [&'static str] {
                match self { $(DocKind::$variant => <$ty as DocType>::PUBLIC_TEXT_FIELDS,)+ }
            }

            pub fn defines_grids(self) -> bool {
                match self { $(DocKind::$variant => <$ty as DocType>::DEFINES_GRIDS,)+ }
            }

            pub fn grids(self, doc: &automerge::Automerge) -> Option<Vec<String>> {
                match self { $(DocKind::$variant => <$ty as DocType>::grids(doc),)+ }
            }

            pub fn display_name(self, doc: &automerge::Automerge) -> Option<String> {
                match self { $(DocKind::$variant => <$ty as DocType>::display_name(doc),)+ }
            }

            pub fn party(self, doc: &automerge::Automerge) -> Option<crate::policy::Party> {
                match self { $(DocKind::$variant => <$ty as DocType>::party(doc),)+ }
            }

            pub fn is_directory(self) -> bool {
                match self { $(DocKind::$variant => <$ty as DocType>::DIRECTORY,)+ }
            }

            pub fn delegates(self, doc: &automerge::Automerge) -> Option<Vec<String>> {
                match self { $(DocKind::$variant => <$ty as DocType>::delegates(doc),)+ }
            }

            pub fn team(self, doc: &automerge::Automerge) -> Option<Vec<String>> {
                match self { $(DocKind::$variant => <$ty as DocType>::team(doc),)+ }
            }

            pub fn photos(self, doc: &automerge::Automerge) -> Vec<String> {
                match self { $(DocKind::$variant => <$ty as DocType>::photos(doc),)+ }
            }

            pub fn shows_photo_of(
                self,
                doc: &automerge::Automerge,
                hash: &str,
                source: &crate::ids::DocumentId,
                source_kind: DocKind,
            ) -> bool {
                match self {
                    $(DocKind::$variant => <$ty as DocType>::shows_photo_of(doc, hash, source, source_kind),)+
                }
            }

            pub fn projects(self, changes: &[automerge::Change]) -> bool {
                match self { $(DocKind::$variant => <$ty as DocType>::projects(changes),)+ }
            }

            pub fn projection(
                self,
                id: &crate::ids::DocumentId,
                doc: &automerge::Automerge,
                now: crate::time::Millis,
            ) -> Option<Projection> {
                match self { $(DocKind::$variant => <$ty as DocType>::projection(id, doc, now),)+ }
            }

            pub fn projection_group(self, scope: &Scope) -> Option<String> {
                match self { $(DocKind::$variant => <$ty as DocType>::projection_group(scope),)+ }
            }

            pub fn outlives_people(self) -> bool {
                match self { $(DocKind::$variant => <$ty as DocType>::OUTLIVES_PEOPLE,)+ }
            }

            pub fn anonymise(
                self,
                doc: &mut automerge::Automerge,
                person: &str,
            ) -> Option<Result<Vec<String>, ModelError>> {
                match self { $(DocKind::$variant => <$ty as DocType>::anonymise(doc, person),)+ }
            }

            pub fn unname(
                self,
                doc: &mut automerge::Automerge,
                name: &str,
            ) -> Option<Result<(), ModelError>> {
                match self { $(DocKind::$variant => <$ty as DocType>::unname(doc, name),)+ }
            }
        }

        /// What a device shows of a document, read once when the document changes and kept
        /// beside it in storage (the app's read model): the views read these, so opening the
        /// app reads small records instead of loading and walking every document.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Summary {
            $($variant(<$ty as DocType>::Summary),)+
            /// A document this version cannot read (a newer kind, or not yet complete).
            Other,
        }

        impl Summary {
            pub fn of(doc: &automerge::Automerge) -> Summary {
                let read = || -> Option<Summary> {
                    Some(match doc_kind(doc)? {
                        $(DocKind::$variant => Summary::$variant(<$ty as DocType>::summarise(doc)?),)+
                    })
                };
                read().unwrap_or(Summary::Other)
            }

            pub fn kind(&self) -> Option<DocKind> {
                match self {
                    $(Summary::$variant(_) => Some(DocKind::$variant),)+
                    Summary::Other => None,
                }
            }
        }

        /// A command for a document of some kind ([`DocType::Command`]), sent as JSON with
        /// `doc` (the kind's name) beside the command's own fields.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Command {
            $($variant(<$ty as DocType>::Command),)+
        }

        impl Command {
            pub fn kind(&self) -> DocKind {
                match self { $(Command::$variant(_) => DocKind::$variant,)+ }
            }

            /// Applies the command; a document of another kind is refused untouched.
            pub fn apply(
                &self,
                doc: &mut automerge::Automerge,
                now: crate::time::Millis,
            ) -> Result<(), ModelError> {
                // Only a command that creates a record may start from an empty document (it
                // writes the record's kind): any other edit of an empty copy is of a record
                // this device does not hold yet, and is refused before it touches `doc`.
                if doc.get_heads().is_empty() {
                    let mut probe = automerge::Automerge::new();
                    match match self { $(Command::$variant(c) => <$ty as DocType>::apply(&mut probe, c, now),)+ } {
                        Err(ModelError::WrongKind { found: None, .. }) => {
                            return Err(InputError::NotHeldYet.into())
                        }
                        Err(e) => return Err(e),
                        Ok(()) => {}
                    }
                    if crate::domain::scope::expect_kind(&probe, self.kind()).is_err() {
                        return Err(InputError::NotHeldYet.into());
                    }
                }
                match self { $(Command::$variant(c) => <$ty as DocType>::apply(doc, c, now),)+ }
            }
        }

        $(impl From<<$ty as DocType>::Command> for Command {
            fn from(c: <$ty as DocType>::Command) -> Self {
                Command::$variant(c)
            }
        })+

        impl serde::Serialize for Command {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error;
                let value = match self {
                    $(Command::$variant(c) => serde_json::to_value(c).map_err(S::Error::custom)?,)+
                };
                let serde_json::Value::Object(mut map) = value else {
                    return Err(S::Error::custom("a command is a map"));
                };
                map.insert("doc".into(), self.kind().as_str().into());
                serde::Serialize::serialize(&map, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for Command {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                let mut map = serde_json::Map::deserialize(d)?;
                let kind = map.remove("doc");
                let value = serde_json::Value::Object(map);
                match kind.as_ref().and_then(|k| k.as_str()).and_then(DocKind::parse) {
                    $(Some(DocKind::$variant) => Ok(Command::$variant(
                        serde_json::from_value(value).map_err(D::Error::custom)?,
                    )),)+
                    None => Err(D::Error::custom("a command for an unknown kind")),
                }
            }
        }

        impl serde::Serialize for Summary {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error;
                let (kind, value) = match self {
                    $(Summary::$variant(v) => (
                        DocKind::$variant.as_str(),
                        serde_json::to_value(v).map_err(S::Error::custom)?,
                    ),)+
                    Summary::Other => ("other", serde_json::Value::Object(Default::default())),
                };
                let serde_json::Value::Object(mut map) = value else {
                    return Err(S::Error::custom("a summary is a map"));
                };
                map.insert("kind".into(), kind.into());
                serde::Serialize::serialize(&map, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for Summary {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                let mut map = serde_json::Map::deserialize(d)?;
                let kind = map.remove("kind");
                let value = serde_json::Value::Object(map);
                Ok(match kind.as_ref().and_then(|k| k.as_str()).and_then(DocKind::parse) {
                    $(Some(DocKind::$variant) => Summary::$variant(
                        serde_json::from_value(value).map_err(D::Error::custom)?,
                    ),)+
                    // A kind a newer version wrote: shown as nothing until this one updates.
                    None => Summary::Other,
                })
            }
        }
    };
}

// The registry: one line per kind of document.
registry! {
    Community => community::Kind,
    Request => requests::Kind,
    Person => people::Kind,
    Board => board::Kind,
    Grid => grid::Kind,
    Patrols => patrols::Kind,
    Talk => talks::Kind,
    TalkSeries => talks::SeriesKind,
    Fund => fund::Kind,
    Proposal => proposal::Kind,
    GrantCall => grant_call::Kind,
    OwnersVote => owners_vote::Kind,
    VoteSheet => owners_vote::SheetKind,
    Sorting => sorting::Kind,
    Reminder => sorting::ReminderKind,
    Works => works::Kind,
    Merchant => merchant::Kind,
    Event => event::Kind,
    Roster => event::roster::Kind,
    Volunteer => volunteer::Kind,
    Group => group::Kind,
    FieldNote => field_note::Kind,
    Charter => charter::Kind,
    Training => training::Kind,
    Roadmap => roadmap::Kind,
    LocalCase => local_case::Kind,
    SitePlan => site_plan::Kind,
    Resource => resource::Kind,
    Drawing => drawing::Kind,
    DrawingGallery => drawing::GalleryKind,
}

impl serde::Serialize for DocKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DocKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DocKind::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown kind {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_name_that_parses_back() {
        let mut names: Vec<&str> = DocKind::ALL.iter().map(|k| k.as_str()).collect();
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(*k));
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), DocKind::ALL.len());
        assert_eq!(DocKind::parse("other"), None);
    }

    /// 王秀英 files a request about a broken stairwell light.
    fn file_a_request() -> Command {
        use crate::domain::requests::{Colour, Filing, RequestCommand, RequestDraft};
        RequestCommand::File {
            draft: RequestDraft {
                title: "楼道灯坏了".into(),
                category: "facilities".into(),
                colour: Some(Colour::Red),
                grid: "g07".into(),
                ..RequestDraft::default()
            },
            filing: Filing {
                filed_by: "p-wang".into(),
                subject: "p-wang".into(),
                household: "h-1".into(),
            },
            name: "王秀英".into(),
            source: String::new(),
        }
        .into()
    }

    #[test]
    fn a_command_survives_json_and_does_what_the_edit_does() {
        use crate::domain::requests::{EventKind, RequestCommand};
        let file = file_a_request();
        let answer: Command = RequestCommand::AddEvent {
            by: "p-li".into(),
            by_name: "李".into(),
            kind: EventKind::Detail {
                text: "三楼".into(),
            },
            photos: Vec::new(),
        }
        .into();
        let mut doc = automerge::Automerge::new();
        for (c, at) in [(&file, 1_000), (&answer, 2_000)] {
            let json = serde_json::to_string(c).unwrap();
            assert!(json.contains(r#""doc":"request""#), "{json}");
            let back: Command = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, c);
            back.apply(&mut doc, at).unwrap();
        }
        let r = requests::Request::read(&doc).unwrap();
        assert_eq!(
            (r.title.as_str(), r.filed_by_name.as_str()),
            ("楼道灯坏了", "王秀英")
        );
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].at, 2_000);
        // A command for one kind does not apply to a document of another.
        let follow: Command = board::BoardCommand::Follow {
            key: "k".into(),
            person: "p".into(),
            on: true,
        }
        .into();
        assert!(follow.apply(&mut doc, 3_000).is_err());
        assert!(serde_json::from_str::<Command>(r#"{"doc":"meeting","op":"x"}"#).is_err());
    }

    #[test]
    fn only_a_command_that_creates_a_record_may_start_from_an_empty_document() {
        use crate::domain::people::{ConsentMethod, PersonCommand};
        // Staff grant a consent on a person's record before it reached the phone: refused,
        // and the empty copy is left untouched (no second history of the record).
        let grant: Command = PersonCommand::GrantConsent {
            volunteer: "p-chen".into(),
            volunteer_name: "陈小雨".into(),
            by: "p-zhang".into(),
            method: ConsentMethod::InPerson,
        }
        .into();
        let mut doc = automerge::Automerge::new();
        let refused = grant.apply(&mut doc, 1_000);
        assert!(
            matches!(refused, Err(ModelError::Input(InputError::NotHeldYet))),
            "{refused:?}"
        );
        assert!(doc.get_heads().is_empty());
        // Filing a request starts one.
        let file = file_a_request();
        file.apply(&mut doc, 1_000).unwrap();
        assert!(!doc.get_heads().is_empty());
    }

    #[test]
    fn a_summary_of_an_unknown_kind_reads_as_other() {
        let s: Summary = serde_json::from_str(r#"{"kind":"meeting","x":1}"#).unwrap();
        assert_eq!(s, Summary::Other);
        let json = serde_json::to_string(&Summary::Other).unwrap();
        assert_eq!(json, r#"{"kind":"other"}"#);
    }
}
