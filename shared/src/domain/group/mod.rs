//! Self-governing groups 自治组织: a stairwell autonomy group 楼道自治小组, a volunteer team
//! 志愿服务队, an interest club 兴趣社团 (the article's community set out to grow twelve). One
//! document per group: staff open it and name its leader; residents join and leave it
//! themselves (each membership an entry in the member's own name, never deleted: leaving
//! writes when); the leader keeps the group's record of what it did, each activity linking
//! the event, proposal or meeting it was. A group is *active* in a period when it recorded an
//! activity held in it (indicator 19).
//!
//! Members' names are read by everyone in the community, as on the notice board of a
//! stairwell: the join form says so.

mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_obj, list_maps};
use crate::domain::errors::chars;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

/// A group's name (`7号楼楼道自治小组`).
pub const NAME_MAX: usize = 30;
/// What the group is for, as its leader writes it.
pub const ABOUT_MAX: usize = 500;
/// An activity's title (`三月楼道议事会`).
pub const TITLE_MAX: usize = 60;
/// An activity's note.
pub const NOTE_MAX: usize = 300;
/// Memberships kept (joins, each with its leaving): a large club over years, with room.
pub const MEMBERS_MAX: usize = 2_000;
/// Activities kept: weekly for five years, with room.
pub const ACTIVITIES_MAX: usize = 1_000;
/// How many times one person may join the same group (each join an entry): a quota so
/// nobody fills a group's list by joining and leaving.
pub const JOINS_MAX: usize = 10;

/// What kind of group it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// 楼道自治小组: the neighbours of one stairwell.
    #[default]
    Stairwell,
    /// 志愿服务队.
    Volunteers,
    /// 兴趣社团: a choir, a taiji team, a balcony-garden club.
    Interest,
    /// 其他.
    Other,
}

impl GroupKind {
    pub const ALL: [GroupKind; 4] = [
        GroupKind::Stairwell,
        GroupKind::Volunteers,
        GroupKind::Interest,
        GroupKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Stairwell => "stairwell",
            GroupKind::Volunteers => "volunteers",
            GroupKind::Interest => "interest",
            GroupKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What an activity was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// The group's own meeting (议事、排练、例会).
    #[default]
    Meeting,
    /// An event the group held (linking the event's document when the app holds it).
    Event,
    /// A micro-grant proposal the group filed (linking the proposal).
    Proposal,
    /// Anything else the group did (a clean-up, a visit).
    Other,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 4] = [
        ActivityKind::Meeting,
        ActivityKind::Event,
        ActivityKind::Proposal,
        ActivityKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Meeting => "meeting",
            ActivityKind::Event => "event",
            ActivityKind::Proposal => "proposal",
            ActivityKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One membership: a person joined, and perhaps left (written `by` the member, in their
/// own name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The entry's object id in the document.
    pub id: String,
    pub person: String,
    pub name: String,
    pub joined_at: Millis,
    pub left_at: Option<Millis>,
}

impl Member {
    pub fn is_live(&self) -> bool {
        self.left_at.is_none()
    }
}

/// One thing the group did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    pub kind: ActivityKind,
    /// When it was held.
    pub at: Millis,
    pub title: String,
    /// The event's or proposal's document id, when it links one.
    pub doc: Option<String>,
    pub note: String,
    pub by: String,
    pub by_name: String,
}

/// A group, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub kind: GroupKind,
    pub about: String,
    /// The leader's person id (empty until staff name one).
    pub leader: String,
    pub leader_name: String,
    pub created_at: Millis,
    /// Every membership, oldest first.
    pub members: Vec<Member>,
    /// Newest first.
    pub activities: Vec<Activity>,
}

impl Group {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Group)?;
        let root = Fields::of(doc, &ROOT);
        let mut members: Vec<Member> = root
            .obj("members", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|m| {
                        let f = Fields::of(doc, &m);
                        Some(Member {
                            id: m.to_string(),
                            person: f.str("by")?,
                            name: f.str("by_name").unwrap_or_default(),
                            joined_at: f.i64("joined_at")?,
                            left_at: f.i64("left_at"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        members.sort_by(|a, b| a.joined_at.cmp(&b.joined_at).then(a.id.cmp(&b.id)));
        let mut activities: Vec<Activity> = root
            .obj("activities", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|a| {
                        let f = Fields::of(doc, &a);
                        Some(Activity {
                            id: a.to_string(),
                            kind: ActivityKind::parse(&f.str("kind")?)?,
                            at: f.i64("at")?,
                            title: f.str("title")?,
                            doc: f.str("doc").filter(|d| !d.is_empty()),
                            note: f.str("note").unwrap_or_default(),
                            by: f.str("by").unwrap_or_default(),
                            by_name: f.str("by_name").unwrap_or_default(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        activities.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        Ok(Group {
            name: root.str("name").ok_or(ModelError::Malformed("name"))?,
            kind: root
                .str("group_kind")
                .and_then(|k| GroupKind::parse(&k))
                .unwrap_or(GroupKind::Other),
            about: root.str("about").unwrap_or_default(),
            leader: root.str("leader").unwrap_or_default(),
            leader_name: root.str("leader_name").unwrap_or_default(),
            created_at: root.i64("created_at").unwrap_or_default(),
            members,
            activities,
        })
    }

    /// The members now (each person once, the latest join).
    pub fn live_members(&self) -> Vec<&Member> {
        self.members.iter().filter(|m| m.is_live()).collect()
    }

    /// The person's membership now, if they are a member.
    pub fn membership(&self, person: &str) -> Option<&Member> {
        self.members
            .iter()
            .rev()
            .find(|m| m.person == person && m.is_live())
    }

    /// The activities held in `[from, to)`.
    pub fn activities_in(&self, from: Millis, to: Millis) -> Vec<&Activity> {
        self.activities
            .iter()
            .filter(|a| a.at >= from && a.at < to)
            .collect()
    }

    /// Active in `[from, to)`: it recorded an activity held then (indicator 19).
    pub fn active_in(&self, from: Millis, to: Millis) -> bool {
        self.activities.iter().any(|a| a.at >= from && a.at < to)
    }

    /// The members at time `t` (joined by then and not yet left).
    pub fn members_at(&self, t: Millis) -> usize {
        self.members
            .iter()
            .filter(|m| m.joined_at <= t && m.left_at.is_none_or(|l| l > t))
            .count()
    }
}

/// Indicator 19: how many of `groups` were active in `[from, to)`.
pub fn active_groups(groups: &[&Group], from: Millis, to: Millis) -> usize {
    groups.iter().filter(|g| g.active_in(from, to)).count()
}

/// What a summary says of a group: the group with the figures its card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub group: Group,
    pub members: usize,
    pub last_activity: Option<Millis>,
}

impl GroupSummary {
    pub fn of(group: Group) -> Self {
        GroupSummary {
            members: group.live_members().len(),
            last_activity: group.activities.first().map(|a| a.at),
            group,
        }
    }
}

/// A group as staff fill it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GroupDraft {
    pub name: String,
    pub kind: GroupKind,
    pub about: String,
    /// The leader's person id (may be empty).
    #[serde(default)]
    pub leader: String,
    /// The leader's name as the app shows it (the relay checks it against its records).
    #[serde(default)]
    pub leader_name: String,
}

impl GroupDraft {
    /// What is wrong with it, in the order of the form.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            out.push(InputError::TitleEmpty);
        } else if chars(name) > NAME_MAX {
            out.push(InputError::TitleTooLong {
                len: chars(name),
                max: NAME_MAX,
            });
        }
        if chars(self.about.trim()) > ABOUT_MAX {
            out.push(InputError::DescriptionTooLong {
                len: chars(self.about.trim()),
                max: ABOUT_MAX,
            });
        }
        if let Some(found) = crate::pii::find(&self.about).first() {
            out.push(InputError::PersonalData { what: found.kind });
        }
        out
    }
}

/// An activity as the leader fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActivityDraft {
    pub kind: ActivityKind,
    /// When it was held.
    pub at: Millis,
    pub title: String,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub note: String,
}

impl ActivityDraft {
    /// What is wrong with it, in the order of the form; `now` bounds the date (an activity
    /// is recorded once held, within the relay's year of backdating).
    pub fn problems(&self, now: Millis) -> Vec<InputError> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            out.push(InputError::TitleEmpty);
        } else if chars(title) > TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: chars(title),
                max: TITLE_MAX,
            });
        }
        if self.at > now + crate::domain::limits::CLOCK_TOLERANCE
            || self.at < now - crate::domain::limits::BACKDATE_MAX
        {
            out.push(InputError::BadDate);
        }
        if chars(self.note.trim()) > NOTE_MAX {
            out.push(InputError::TextTooLong {
                len: chars(self.note.trim()),
                max: NOTE_MAX,
            });
        }
        for text in [&self.title, &self.note] {
            if let Some(found) = crate::pii::find(text).first() {
                out.push(InputError::PersonalData { what: found.kind });
                break;
            }
        }
        out
    }
}

/// What staff, the leader and residents do to a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum GroupCommand {
    /// Staff: a new group in an empty document.
    Create { draft: GroupDraft },
    /// Staff: name, kind, about and leader; the leader: the about text.
    Edit { draft: GroupDraft },
    /// A person joins, in their own name.
    Join { person: String, name: String },
    /// A person leaves (their live membership).
    Leave { person: String },
    /// The leader (or staff) records an activity, in `by`'s name.
    Record {
        by: String,
        by_name: String,
        draft: ActivityDraft,
    },
}

impl GroupCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            GroupCommand::Create { draft } => create(doc, draft, now),
            GroupCommand::Edit { draft } => edit(doc, draft),
            GroupCommand::Join { person, name } => join(doc, person, name, now),
            GroupCommand::Leave { person } => leave(doc, person, now),
            GroupCommand::Record { by, by_name, draft } => {
                record(doc, by, by_name, draft, now).map(|_| ())
            }
        }
    }
}

fn first_problem(problems: Vec<InputError>) -> Result<(), ModelError> {
    match problems.into_iter().next() {
        Some(p) => Err(p.into()),
        None => Ok(()),
    }
}

/// Writes a new group into an empty document.
pub fn create(doc: &mut Automerge, draft: &GroupDraft, now: Millis) -> Result<(), ModelError> {
    first_problem(draft.problems())?;
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("group"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Group.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "name", draft.name.trim())?;
        tx.put(ROOT, "group_kind", draft.kind.as_str())?;
        tx.put(ROOT, "about", draft.about.trim())?;
        if !draft.leader.trim().is_empty() {
            tx.put(ROOT, "leader", draft.leader.trim())?;
            tx.put(ROOT, "leader_name", draft.leader_name.trim())?;
        }
        tx.put(ROOT, "created_at", now)?;
        tx.put_object(ROOT, "members", ObjType::List)?;
        tx.put_object(ROOT, "activities", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Writes what changed of name, kind, about and leader.
pub fn edit(doc: &mut Automerge, draft: &GroupDraft) -> Result<(), ModelError> {
    first_problem(draft.problems())?;
    let was = Group::read(doc)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if was.name != draft.name.trim() {
            tx.put(ROOT, "name", draft.name.trim())?;
        }
        if was.kind != draft.kind {
            tx.put(ROOT, "group_kind", draft.kind.as_str())?;
        }
        if was.about != draft.about.trim() {
            tx.put(ROOT, "about", draft.about.trim())?;
        }
        let leader = draft.leader.trim();
        if was.leader != leader {
            if leader.is_empty() {
                tx.delete(ROOT, "leader")?;
                tx.delete(ROOT, "leader_name")?;
            } else {
                tx.put(ROOT, "leader", leader)?;
                tx.put(ROOT, "leader_name", draft.leader_name.trim())?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The person joins (a new membership entry), unless they are a member already.
pub fn join(doc: &mut Automerge, person: &str, name: &str, now: Millis) -> Result<(), ModelError> {
    let group = Group::read(doc)?;
    if group.membership(person).is_some() {
        return Err(ModelError::NotEmpty("membership"));
    }
    if group.members.iter().filter(|m| m.person == person).count() >= JOINS_MAX {
        return Err(ModelError::Malformed("joins"));
    }
    let list =
        get_obj(doc, &ROOT, "members", ObjType::List).ok_or(ModelError::Malformed("members"))?;
    let at = doc.length(&list);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let m = tx.insert_object(&list, at, ObjType::Map)?;
        tx.put(&m, "by", person)?;
        if !name.is_empty() {
            tx.put(&m, "by_name", name)?;
        }
        tx.put(&m, "joined_at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The person leaves: their live membership gets its leaving time.
pub fn leave(doc: &mut Automerge, person: &str, now: Millis) -> Result<(), ModelError> {
    let group = Group::read(doc)?;
    let Some(m) = group.membership(person) else {
        return Err(ModelError::Malformed("membership"));
    };
    let list =
        get_obj(doc, &ROOT, "members", ObjType::List).ok_or(ModelError::Malformed("members"))?;
    let entry = list_maps(doc, &list)
        .into_iter()
        .find(|e| e.to_string() == m.id)
        .ok_or(ModelError::Malformed("membership"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(&entry, "left_at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Appends an activity; returns its id.
pub fn record(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    draft: &ActivityDraft,
    now: Millis,
) -> Result<String, ModelError> {
    first_problem(draft.problems(now))?;
    expect_kind(doc, DocKind::Group)?;
    let list = get_obj(doc, &ROOT, "activities", ObjType::List)
        .ok_or(ModelError::Malformed("activities"))?;
    let at = doc.length(&list);
    let id = doc
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let a = tx.insert_object(&list, at, ObjType::Map)?;
            tx.put(&a, "kind", draft.kind.as_str())?;
            tx.put(&a, "at", draft.at)?;
            tx.put(&a, "title", draft.title.trim())?;
            if !draft.doc.trim().is_empty() {
                tx.put(&a, "doc", draft.doc.trim())?;
            }
            if !draft.note.trim().is_empty() {
                tx.put(&a, "note", draft.note.trim())?;
            }
            tx.put(&a, "by", by)?;
            if !by_name.is_empty() {
                tx.put(&a, "by_name", by_name)?;
            }
            Ok(a)
        })
        .map_err(|f| f.error)?
        .result;
    Ok(id.to_string())
}

/// The group kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "group";
    type Summary = GroupSummary;
    type Command = GroupCommand;

    fn apply(doc: &mut Automerge, command: &GroupCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<GroupSummary> {
        Group::read(doc).ok().map(GroupSummary::of)
    }

    /// Everyone in the community: a group is open to all its neighbours.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    /// The memberships already left (a leaving is written once) and the leader as it was.
    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        Some(crate::domain::Prior::new(rules::Before::of(doc)))
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX as PERSON_NAME_MAX};
        Some(match (parent, field) {
            (None, "name") => NAME_MAX,
            (_, "about") => ABOUT_MAX,
            (_, "title") => TITLE_MAX,
            (_, "note") => NOTE_MAX,
            (_, "name" | "by_name" | "leader_name") => PERSON_NAME_MAX,
            (_, "by" | "leader" | "doc" | "kind" | "group_kind") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "members" => MEMBERS_MAX,
            "activities" => ACTIVITIES_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["at", "created_at", "joined_at", "left_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["about", "title", "note"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's memberships go (the group's list is of people who are there); the
    /// activities they recorded stay, unsigned; a leader erased leaves the group without one.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let group = Group::read(doc).ok()?;
        let mine: Vec<String> = group
            .members
            .iter()
            .filter(|m| m.person == person)
            .map(|m| m.id.clone())
            .collect();
        let leads = group.leader == person;
        let leader_named = !group.leader_name.is_empty();
        let signed = group.activities.iter().any(|a| a.by == person);
        if mine.is_empty() && !leads && !signed {
            return None;
        }
        let mut run = || -> Result<Vec<String>, ModelError> {
            if !mine.is_empty()
                && let Some(list) = get_obj(doc, &ROOT, "members", ObjType::List)
            {
                let entries = list_maps(doc, &list);
                let mut at: Vec<usize> = entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| mine.contains(&e.to_string()))
                    .map(|(i, _)| i)
                    .collect();
                at.sort_unstable_by(|a, b| b.cmp(a));
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    for i in &at {
                        tx.delete(&list, *i)?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
            }
            if leads {
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.delete(ROOT, "leader")?;
                    if leader_named {
                        tx.delete(ROOT, "leader_name")?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
            }
            if signed {
                crate::domain::erasure::unsign(doc, "activities", person, false)
                    .unwrap_or(Ok(Vec::new()))?;
            }
            Ok(Vec::new())
        };
        Some(run())
    }
}

#[cfg(test)]
mod tests;
