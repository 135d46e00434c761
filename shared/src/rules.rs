//! Write rules: what a change may do to a document, given who sent it. The relay runs
//! [`check_changes`] on every batch of incoming changes, on a trial copy of the document,
//! before storing or forwarding anything.
//!
//! Checks, in order:
//! 1. **Actor**: every change's actor id starts with the sending device's 12-byte id, so nobody
//!    writes in someone else's name and the history shows who did what.
//! 2. **Kind and scope**: a document says what it is; its kind never changes; a request has a
//!    grid, a household and a subject; the writer may read what they wrote.
//! 3. **Operations**: each operation is resolved to the field it touches (checking operations,
//!    not the resulting patches, so a write that loses a conflict is still checked), and each
//!    field has its writers (see the table in ARCHITECTURE.md). New history entries are read
//!    back and must be in the writer's name and of a kind their role may add.

use std::collections::HashSet;

use automerge::{Automerge, Change, ChangeHash, ObjId, ObjType, Prop, ReadDoc};

use crate::api::RefusalCode;
use crate::domain::{DocKind, Prior, Scope, Verdict, Write, doc_kind, limits};
use crate::policy::{Principal, Role};
use crate::time::Millis;

/// Refuses changes with more operations than any legitimate edit makes (a huge text splice),
/// before they are applied: reading the count costs nothing, applying them could cost seconds.
pub fn check_ops(changes: &[Change]) -> Result<(), Refusal> {
    let mut total = 0usize;
    for c in changes {
        if c.len() > limits::CHANGE_OPS_MAX {
            return Err(Refusal::new(
                RefusalCode::TooLarge,
                format!(
                    "a change of {} operations; at most {}",
                    c.len(),
                    limits::CHANGE_OPS_MAX
                ),
                changes,
            ));
        }
        total = total.saturating_add(c.len());
    }
    if total > limits::MESSAGE_OPS_MAX {
        return Err(Refusal::new(
            RefusalCode::TooLarge,
            format!(
                "{total} operations in one message; at most {}",
                limits::MESSAGE_OPS_MAX
            ),
            changes,
        ));
    }
    Ok(())
}

/// Why a change was refused. `code` is stable (the app maps it to a message in both
/// languages); `detail` is for the audit log and the person's notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: RefusalCode,
    pub detail: String,
    pub changes: Vec<ChangeHash>,
}

impl Refusal {
    pub fn new(code: RefusalCode, detail: impl Into<String>, changes: &[Change]) -> Self {
        Self {
            code,
            detail: detail.into(),
            changes: changes.iter().map(Change::hash).collect(),
        }
    }

    pub fn malformed(detail: String) -> Self {
        Self {
            code: RefusalCode::Malformed,
            detail,
            changes: Vec::new(),
        }
    }
}

/// What the rules need to know beyond the documents: the household each person belongs to,
/// and the relay's clock.
pub struct Ctx<'a> {
    pub household_of: &'a dyn Fn(&str) -> Option<String>,
    /// The relay's clock: written times must lie near it. `None` only in tests of other rules.
    pub now: Option<Millis>,
    /// The community's grids (`None`: not known yet, or a test of other rules).
    pub grids: Option<&'a std::collections::BTreeSet<String>>,
    /// A person's display name in the relay's records (`None`: not known).
    pub name_of: &'a dyn Fn(&str) -> Option<String>,
    /// The grid a household lives in, from the relay's records of its people (`None`: not
    /// known).
    pub household_grid: &'a dyn Fn(&str) -> Option<String>,
}

impl Ctx<'_> {
    /// A context that knows no households and no clock (for tests of rules that need neither).
    pub fn none() -> Ctx<'static> {
        Ctx {
            household_of: &|_| None,
            now: None,
            grids: None,
            name_of: &|_| None,
            household_grid: &|_| None,
        }
    }

    /// Whether a written time lies near the relay's clock (always, without a clock).
    pub fn time_ok(&self, t: Millis) -> bool {
        self.now.is_none_or(|now| {
            t <= now.saturating_add(limits::CLOCK_TOLERANCE)
                && t >= now.saturating_sub(limits::BACKDATE_MAX)
        })
    }
}

/// One operation, resolved to where it lands.
#[derive(Debug)]
pub struct Touch {
    /// Path from the root to the object the operation is on.
    pub path: Vec<Prop>,
    /// The map key it writes, for map objects.
    pub key: Option<String>,
    /// A list insertion (not an overwrite).
    pub insert: bool,
    /// A deletion.
    pub delete: bool,
    /// The object the operation is on was created in this same batch.
    pub in_new_object: bool,
    /// The id of the object this operation creates, if it creates one.
    pub creates: Option<String>,
    /// The object the operation is on.
    pub obj: ObjId,
}

impl Touch {
    /// The top-level field of the document the operation lands in.
    pub fn top(&self) -> Option<&str> {
        match self.path.first() {
            Some(Prop::Map(k)) => Some(k.as_str()),
            Some(Prop::Seq(_)) => None,
            None => self.key.as_deref(),
        }
    }
}

/// What the rules need of a document as it was before the changes: read before they are
/// applied, so the relay can apply changes in place and check the result.
#[derive(Debug, Clone, Default)]
pub struct Before {
    pub scope: Scope,
    /// What the document's kind needs to judge the changes ([`crate::domain::DocType::prior`]).
    pub prior: Option<Prior>,
}

impl Before {
    /// What the rules need to judge `changes` of `doc`.
    pub fn for_changes(doc: &Automerge, changes: &[Change]) -> Before {
        let scope = Scope::read(doc);
        let prior = scope.kind.and_then(|k| k.prior(doc, changes));
        Before { scope, prior }
    }
}

/// Checks a batch of new changes: `before` is the document as the relay held it, `after` the
/// trial copy with the changes applied.
pub fn check_changes(
    p: &Principal,
    ctx: &Ctx<'_>,
    before: &Before,
    after: &Automerge,
    changes: &[Change],
) -> Result<(), Refusal> {
    if changes.is_empty() {
        return Ok(());
    }
    let refuse = |code: RefusalCode, detail: String| Err(Refusal::new(code, detail, changes));
    check_ops(changes)?;
    if !p.actor_prefix.is_empty() {
        for c in changes {
            if !c.actor_id().to_bytes().starts_with(&p.actor_prefix) {
                return refuse(
                    RefusalCode::ForgedActor,
                    format!(
                        "change by actor {} does not belong to this device",
                        c.actor_id()
                    ),
                );
            }
        }
    }
    let old = before.scope.clone();
    let new = Scope::read(after);
    let Some(kind) = new.kind else {
        return refuse(
            RefusalCode::NoKind,
            "a document must say what kind it is".into(),
        );
    };
    if old.kind.is_some() && old.kind != new.kind {
        return refuse(
            RefusalCode::KindChanged,
            "a document's kind cannot change".into(),
        );
    }
    if let Some(missing) = kind.scope_missing(&new) {
        return refuse(RefusalCode::ScopeMissing, missing.into());
    }
    if let (Some(grid), Some(grids)) = (&new.grid, ctx.grids)
        && !grids.is_empty()
        && !grids.contains(grid)
        && new.grid != old.grid
    {
        return refuse(
            RefusalCode::UnknownGrid,
            format!("the community has no grid `{grid}`"),
        );
    }
    if !p.may_read(&new) {
        return refuse(
            RefusalCode::NotAllowed,
            format!("a {} may not write this {}", p.role.as_str(), kind.as_str()),
        );
    }
    let touches =
        touches(after, changes).map_err(|e| Refusal::new(RefusalCode::Malformed, e, changes))?;
    // Sizes hold for everyone, staff included.
    check_sizes(kind, after, &touches)
        .map_err(|(code, detail)| Refusal::new(code, detail, changes))?;
    // So does the guard against personal data in public text.
    check_public_text(kind, after, &touches)
        .map_err(|(code, detail)| Refusal::new(code, detail, changes))?;
    // Times and signatures hold for everyone too.
    check_times_and_names(kind, p, ctx, after, &touches)
        .map_err(|(code, detail)| Refusal::new(code, detail, changes))?;
    let write = Write {
        p,
        ctx,
        creating: old.kind.is_none(),
        old: &old,
        new: &new,
        prior: before.prior.as_ref(),
        after,
        touches: &touches,
    };
    let verdict = kind.check_everyone(&write).and_then(|()| {
        if p.role == Role::Staff {
            Ok(())
        } else {
            kind.check(&write)
        }
    });
    verdict.map_err(|(code, detail)| Refusal::new(code, detail, changes))
}

fn touches(after: &Automerge, changes: &[Change]) -> Result<Vec<Touch>, String> {
    let mut created: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for change in changes {
        let ex = change.decode();
        for (i, op) in ex.operations.iter().enumerate() {
            let op_id = format!("{}@{}", ex.start_op.get() + i as u64, ex.actor_id);
            let (path, obj_str, obj) = match &op.obj {
                automerge::legacy::ObjectId::Root => (Vec::new(), None, automerge::ROOT),
                automerge::legacy::ObjectId::Id(id) => {
                    let s = id.to_string();
                    let exid = after
                        .import_obj(&s)
                        .map_err(|e| format!("unknown object {s}: {e}"))?;
                    (path_of(after, &exid)?, Some(s), exid)
                }
            };
            let creates =
                matches!(op.action, automerge::legacy::OpType::Make(_)).then(|| op_id.clone());
            if let Some(c) = &creates {
                created.insert(c.clone());
            }
            out.push(Touch {
                in_new_object: obj_str.as_ref().is_some_and(|o| created.contains(o)),
                path,
                key: match &op.key {
                    automerge::legacy::Key::Map(k) => Some(k.to_string()),
                    automerge::legacy::Key::Seq(_) => None,
                },
                insert: op.insert,
                delete: matches!(op.action, automerge::legacy::OpType::Delete),
                creates,
                obj,
            });
        }
    }
    Ok(out)
}

/// Every field, key and list the changes wrote, measured as it is after them: strings (and
/// texts, and binary values) within their field's limit, map keys within [`limits::ID_MAX`],
/// lists within theirs. Each object is measured once, however many operations touched it.
fn check_sizes(kind: DocKind, after: &Automerge, touches: &[Touch]) -> Verdict {
    use automerge::{ScalarValue, Value};
    let too_large = |what: String, len: usize, max: usize| -> Verdict {
        Err((
            RefusalCode::TooLarge,
            format!("{what} is {len} long; at most {max}"),
        ))
    };
    let name_of = |path: &[Prop]| -> Option<String> {
        path.iter().rev().find_map(|p| match p {
            Prop::Map(k) => Some(k.clone()),
            Prop::Seq(_) => None,
        })
    };
    let mut seen: HashSet<(ObjId, Option<&str>)> = HashSet::new();
    for t in touches {
        if t.delete || !seen.insert((t.obj.clone(), t.key.as_deref())) {
            continue;
        }
        match &t.key {
            Some(key) => {
                if key.len() > limits::ID_MAX {
                    return too_large("a key".into(), key.len(), limits::ID_MAX);
                }
                let max = limits::of_field(Some(kind), None, key);
                let len = match after.get(&t.obj, key.as_str()) {
                    Ok(Some((Value::Scalar(v), _))) => match v.as_ref() {
                        ScalarValue::Str(s) => s.chars().count(),
                        ScalarValue::Bytes(b) | ScalarValue::Unknown { bytes: b, .. } => b.len(),
                        _ => 0,
                    },
                    Ok(Some((Value::Object(ObjType::Text), id))) => {
                        after.text(&id).map_or(0, |s| s.chars().count())
                    }
                    _ => 0,
                };
                if len > max {
                    return too_large(format!("`{key}`"), len, max);
                }
            }
            None => {
                let field = name_of(&t.path).unwrap_or_default();
                match after.object_type(&t.obj) {
                    Ok(ObjType::Text) => {
                        let max = limits::of_field(Some(kind), None, &field);
                        let len = after.text(&t.obj).map_or(0, |s| s.chars().count());
                        if len > max {
                            return too_large(format!("`{field}`"), len, max);
                        }
                    }
                    Ok(ObjType::List) => {
                        let n = after.length(&t.obj);
                        if let Some(max) = limits::of_list(Some(kind), &field)
                            && n > max
                        {
                            return too_large(format!("`{field}`"), n, max);
                        }
                        let max = limits::of_field(Some(kind), Some(&field), "*");
                        for item in after.list_range(&t.obj, ..) {
                            let len = match &item.value {
                                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => {
                                    s.chars().count()
                                }
                                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Bytes(
                                    b,
                                )) => b.len(),
                                _ => 0,
                            };
                            if len > max {
                                return too_large(format!("an item of `{field}`"), len, max);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

/// No public text field the changes wrote holds personal data
/// ([`crate::domain::DocType::PUBLIC_TEXT_FIELDS`]): read as it is after the changes, whether
/// the field is a string or a text object.
fn check_public_text(kind: DocKind, after: &Automerge, touches: &[Touch]) -> Verdict {
    match public_text_finding(kind, after, touches) {
        Some(what) => Err((
            RefusalCode::PersonalData,
            format!("a {} in public text", what.as_str()),
        )),
        None => Ok(()),
    }
}

/// The device's own check before it keeps a change (`shared::client`): what kind of personal
/// data, if any, `changes` put into a public text field of `after`. The same rule the relay
/// applies, so a person is told at once instead of by a refusal that drops their edit.
pub fn personal_data_in(after: &Automerge, changes: &[Change]) -> Option<crate::pii::PiiKind> {
    let kind = doc_kind(after)?;
    if kind.public_text_fields().is_empty() {
        return None;
    }
    let touches = touches(after, changes).ok()?;
    public_text_finding(kind, after, &touches)
}

fn public_text_finding(
    kind: DocKind,
    after: &Automerge,
    touches: &[Touch],
) -> Option<crate::pii::PiiKind> {
    use automerge::{ScalarValue, Value};
    let public = kind.public_text_fields();
    if public.is_empty() {
        return None;
    }
    let mut seen: HashSet<ObjId> = HashSet::new();
    for t in touches.iter().filter(|t| !t.delete) {
        let text = match t.key.as_deref() {
            Some(key) if public.contains(&key) => match after.get(&t.obj, key) {
                Ok(Some((Value::Scalar(v), _))) => match v.as_ref() {
                    ScalarValue::Str(s) => s.to_string(),
                    _ => continue,
                },
                Ok(Some((Value::Object(ObjType::Text), id))) => after.text(&id).unwrap_or_default(),
                _ => continue,
            },
            None => {
                let field = t.path.iter().rev().find_map(|p| match p {
                    Prop::Map(k) => Some(k.as_str()),
                    Prop::Seq(_) => None,
                });
                let is_text = matches!(after.object_type(&t.obj), Ok(ObjType::Text));
                if !is_text
                    || !field.is_some_and(|f| public.contains(&f))
                    || !seen.insert(t.obj.clone())
                {
                    continue;
                }
                after.text(&t.obj).unwrap_or_default()
            }
            _ => continue,
        };
        if let Some(f) = crate::pii::find(&text).first() {
            return Some(f.kind);
        }
    }
    None
}

/// Every time the changes wrote lies near the relay's clock, and every display name is the
/// writer's own ([`crate::domain::DocType::TIME_FIELDS`], [`crate::domain::DocType::NAME_FIELDS`]).
fn check_times_and_names(
    kind: DocKind,
    p: &Principal,
    ctx: &Ctx<'_>,
    after: &Automerge,
    touches: &[Touch],
) -> Verdict {
    use automerge::{ScalarValue, Value};
    let (times, names) = (kind.time_fields(), kind.name_fields());
    for t in touches {
        let Some(key) = t.key.as_deref().filter(|_| !t.delete) else {
            continue;
        };
        let value = match after.get(&t.obj, key) {
            Ok(Some((Value::Scalar(v), _))) => v.into_owned(),
            _ => continue,
        };
        if times.contains(&key) {
            let at = match value {
                ScalarValue::Int(n) | ScalarValue::Timestamp(n) => n,
                ScalarValue::Uint(n) => i64::try_from(n).unwrap_or(i64::MAX),
                _ => {
                    return Err((RefusalCode::BadTime, format!("`{key}` is not a time")));
                }
            };
            if !ctx.time_ok(at) {
                return Err((
                    RefusalCode::BadTime,
                    format!("`{key}` is {at}, too far from the relay's clock"),
                ));
            }
        }
        if names.contains(&key) {
            let signed = match &value {
                ScalarValue::Str(s) => s.to_string(),
                _ => return Err((RefusalCode::BadName, format!("`{key}` is not a name"))),
            };
            if !signed.is_empty() && Some(signed.as_str()) != p.name.as_deref() {
                return Err((
                    RefusalCode::BadName,
                    format!("`{key}` says `{signed}`, not the writer's name on record"),
                ));
            }
        }
    }
    Ok(())
}

/// The first field of a whole document that is over its limit, if any (the same limits as
/// for changes; for checking what the relay itself writes, such as the demo data).
pub fn oversized(doc: &Automerge) -> Option<String> {
    fn walk(
        kind: Option<DocKind>,
        doc: &Automerge,
        obj: &ObjId,
        name: &str,
        depth: usize,
    ) -> Option<String> {
        use automerge::{ScalarValueRef as S, ValueRef as V};
        let scalar_len = |v: &V<'_>| match v {
            V::Scalar(S::Str(s)) => s.chars().count(),
            V::Scalar(S::Bytes(b)) => b.len(),
            _ => 0,
        };
        if depth > 16 {
            return Some(format!("`{name}` nested too deep"));
        }
        match doc.object_type(obj).ok()? {
            ObjType::Map | ObjType::Table => {
                for item in doc.map_range(obj, ..) {
                    let key = item.key.to_string();
                    if key.len() > limits::ID_MAX {
                        return Some(format!("a key in `{name}`"));
                    }
                    let max = limits::of_field(kind, None, &key);
                    match item.value {
                        V::Object(_) => {
                            if let Some(e) = walk(kind, doc, &item.id(), &key, depth + 1) {
                                return Some(e);
                            }
                        }
                        v if scalar_len(&v) > max => return Some(format!("`{key}`")),
                        _ => {}
                    }
                }
            }
            ObjType::List => {
                if limits::of_list(kind, name).is_some_and(|m| doc.length(obj) > m) {
                    return Some(format!("`{name}` has too many items"));
                }
                let max = limits::of_field(kind, Some(name), "*");
                for item in doc.list_range(obj, ..) {
                    match item.value {
                        V::Object(_) => {
                            if let Some(e) = walk(kind, doc, &item.id(), name, depth + 1) {
                                return Some(e);
                            }
                        }
                        v if scalar_len(&v) > max => {
                            return Some(format!("an item of `{name}`"));
                        }
                        _ => {}
                    }
                }
            }
            ObjType::Text => {
                if doc.text(obj).ok()?.chars().count() > limits::of_field(kind, None, name) {
                    return Some(format!("`{name}`"));
                }
            }
        }
        None
    }
    walk(doc_kind(doc), doc, &automerge::ROOT, "", 0)
}

fn path_of(doc: &Automerge, obj: &ObjId) -> Result<Vec<Prop>, String> {
    let mut path: Vec<Prop> = doc
        .parents(obj)
        .map_err(|e| e.to_string())?
        .map(|p| p.prop)
        .collect();
    path.reverse();
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::requests::limits as req_limits;
    use crate::domain::requests::{Colour, EventKind, Filing, RequestDraft, Status};
    use automerge::ActorId;

    fn principal(role: Role, person: &str, household: Option<&str>) -> Principal {
        Principal {
            person: person.into(),
            role,
            household: household.map(String::from),
            grids: vec!["g07".into()],
            consents: vec!["p-elder".into()],
            home_grid: Some("g07".into()),
            name: None,
            team_grids: Vec::new(),
            party: None,
            actor_prefix: Vec::new(),
        }
    }

    fn draft() -> RequestDraft {
        RequestDraft {
            title: "楼道灯不亮".into(),
            description: "三楼".into(),
            category: "facilities".into(),
            colour: Some(Colour::Red),
            grid: "g07".into(),
            photos: Vec::new(),
        }
    }

    fn filed(by: &str, subject: &str, household: &str) -> Automerge {
        let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
        crate::domain::requests::file_request(
            &mut d,
            &draft(),
            &Filing {
                filed_by: by.into(),
                subject: subject.into(),
                household: household.into(),
            },
            0,
        )
        .unwrap();
        d
    }

    fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
        let changes = after.get_changes(&before.get_heads());
        let ctx = Ctx {
            household_of: &|s| (s == "p-elder").then(|| "h-elder".to_string()),
            now: None,
            grids: None,
            name_of: &|_| None,
            household_grid: &|_| None,
        };
        check_changes(
            p,
            &ctx,
            &Before::for_changes(before, &changes),
            after,
            &changes,
        )
    }

    #[test]
    fn a_resident_files_for_their_own_household_only() {
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let empty = Automerge::new();
        assert!(check(&me, &empty, &filed("p-me", "p-me", "h-me")).is_ok());
        let e = check(&me, &empty, &filed("p-me", "p-me", "h-other")).unwrap_err();
        assert_eq!(e.code, RefusalCode::NotAllowed);
        let e = check(&me, &empty, &filed("p-other", "p-me", "h-me")).unwrap_err();
        assert_eq!(e.code, RefusalCode::BadFiling);
    }

    #[test]
    fn a_volunteer_files_for_a_consenting_elder_in_the_elders_household() {
        let v = principal(Role::Volunteer, "p-vol", Some("h-vol"));
        let empty = Automerge::new();
        assert!(check(&v, &empty, &filed("p-vol", "p-elder", "h-elder")).is_ok());
        assert!(check(&v, &empty, &filed("p-vol", "p-elder", "h-wrong")).is_err());
        let mut no_consent = v.clone();
        no_consent.consents.clear();
        assert!(check(&no_consent, &empty, &filed("p-vol", "p-elder", "h-elder")).is_err());
    }

    #[test]
    fn a_resident_may_add_detail_but_not_set_status_or_answer() {
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let before = filed("p-me", "p-me", "h-me");
        let mut ok = before.fork();
        crate::domain::requests::append_event(
            &mut ok,
            "p-me",
            1,
            EventKind::Detail {
                text: "晚上".into(),
            },
        )
        .unwrap();
        assert!(check(&me, &before, &ok).is_ok());
        let mut status = before.fork();
        crate::domain::requests::append_event(
            &mut status,
            "p-me",
            1,
            EventKind::Status {
                to: Status::Resolved,
            },
        )
        .unwrap();
        assert_eq!(
            check(&me, &before, &status).unwrap_err().code,
            RefusalCode::BadEvent
        );
        let mut answer = before.fork();
        crate::domain::requests::append_event(
            &mut answer,
            "p-me",
            1,
            EventKind::Answer {
                text: "x".into(),
                substantive: true,
            },
        )
        .unwrap();
        assert_eq!(
            check(&me, &before, &answer).unwrap_err().code,
            RefusalCode::BadEvent
        );
    }

    #[test]
    fn an_entry_in_someone_elses_name_is_refused() {
        let w = principal(Role::GridWorker, "p-w", None);
        let before = filed("p-me", "p-me", "h-me");
        let mut forged = before.fork();
        crate::domain::requests::append_event(
            &mut forged,
            "p-other-worker",
            1,
            EventKind::Status {
                to: Status::Accepted,
            },
        )
        .unwrap();
        assert_eq!(
            check(&w, &before, &forged).unwrap_err().code,
            RefusalCode::BadEvent
        );
        let mut fine = before.fork();
        crate::domain::requests::append_event(
            &mut fine,
            "p-w",
            1,
            EventKind::Status {
                to: Status::Accepted,
            },
        )
        .unwrap();
        assert!(check(&w, &before, &fine).is_ok());
    }

    #[test]
    fn only_staff_move_a_request_or_rewrite_history() {
        let w = principal(Role::GridWorker, "p-w", None);
        let staff = principal(Role::Staff, "p-s", None);
        let mut before = filed("p-me", "p-me", "h-me");
        crate::domain::requests::append_event(
            &mut before,
            "p-w",
            1,
            EventKind::Status {
                to: Status::Accepted,
            },
        )
        .unwrap();
        let mut moved = before.fork();
        moved
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                use automerge::transaction::Transactable;
                tx.put(automerge::ROOT, "grid", "g08")
            })
            .unwrap();
        // The grid worker of g07 loses sight of it, and may not move it anyway.
        assert!(check(&w, &before, &moved).is_err());
        assert!(check(&staff, &before, &moved).is_ok());
        let mut rewrite = before.fork();
        rewrite
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                use automerge::transaction::Transactable;
                let events = tx
                    .get(automerge::ROOT, "events")?
                    .map(|(_, id)| id)
                    .unwrap();
                let first = tx.get(&events, 0usize)?.map(|(_, id)| id).unwrap();
                tx.put(&first, "to", "resolved")
            })
            .unwrap();
        assert_eq!(
            check(&w, &before, &rewrite).unwrap_err().code,
            RefusalCode::FieldNotAllowed
        );
    }

    fn resolved(by_worker_at: i64) -> Automerge {
        let mut d = filed("p-me", "p-me", "h-me");
        crate::domain::requests::append_event(
            &mut d,
            "p-w",
            by_worker_at,
            EventKind::Status {
                to: Status::Resolved,
            },
        )
        .unwrap();
        d
    }

    /// Writes an entry without the model's own checks (as a hostile client could).
    fn raw_event(before: &Automerge, fields: &[(&str, automerge::ScalarValue)]) -> Automerge {
        use automerge::transaction::Transactable;
        let mut d = before.fork();
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            let events = tx
                .get(automerge::ROOT, "events")?
                .map(|(_, id)| id)
                .unwrap();
            let n = tx.length(&events);
            let ev = tx.insert_object(&events, n, ObjType::Map)?;
            for (k, v) in fields {
                tx.put(&ev, *k, v.clone())?;
            }
            Ok(())
        })
        .unwrap();
        d
    }

    #[test]
    fn a_resident_rates_1_to_5_and_a_grid_worker_may_not_rate() {
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let before = resolved(10);
        let mut ok = before.fork();
        crate::domain::requests::append_event(
            &mut ok,
            "p-me",
            20,
            EventKind::Rate {
                stars: 4,
                comment: "及时".into(),
            },
        )
        .unwrap();
        assert!(check(&me, &before, &ok).is_ok());
        let six = raw_event(
            &before,
            &[
                ("type", "rate".into()),
                ("at", 20.into()),
                ("by", "p-me".into()),
                ("stars", 6.into()),
            ],
        );
        assert_eq!(
            check(&me, &before, &six).unwrap_err().code,
            RefusalCode::BadEvent
        );
        let w = principal(Role::GridWorker, "p-w", None);
        let mut by_worker = before.fork();
        crate::domain::requests::append_event(
            &mut by_worker,
            "p-w",
            20,
            EventKind::Rate {
                stars: 5,
                comment: String::new(),
            },
        )
        .unwrap();
        assert_eq!(
            check(&w, &before, &by_worker).unwrap_err().code,
            RefusalCode::BadEvent
        );
    }

    #[test]
    fn a_resident_may_reopen_within_thirty_days_of_resolution_only() {
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let day = crate::time::DAY;
        let before = resolved(day);
        let mut in_time = before.fork();
        crate::domain::requests::append_event(
            &mut in_time,
            "p-me",
            20 * day,
            EventKind::Reopen {
                reason: "又漏水了".into(),
            },
        )
        .unwrap();
        assert!(check(&me, &before, &in_time).is_ok());
        let mut late = before.fork();
        crate::domain::requests::append_event(
            &mut late,
            "p-me",
            32 * day,
            EventKind::Reopen {
                reason: "又漏水了".into(),
            },
        )
        .unwrap();
        assert_eq!(
            check(&me, &before, &late).unwrap_err().code,
            RefusalCode::BadEvent
        );
        // Nor an open one.
        let open = filed("p-me", "p-me", "h-me");
        let mut early = open.fork();
        crate::domain::requests::append_event(
            &mut early,
            "p-me",
            5,
            EventKind::Reopen { reason: "x".into() },
        )
        .unwrap();
        assert!(check(&me, &open, &early).is_err());
    }

    #[test]
    fn a_grid_worker_recolours_with_a_reason_and_a_resident_may_not() {
        let w = principal(Role::GridWorker, "p-w", None);
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let before = filed("p-me", "p-me", "h-me");
        let mut rc = before.fork();
        crate::domain::requests::append_event(
            &mut rc,
            "p-w",
            5,
            EventKind::Recolour {
                to: Colour::Red,
                reason: "有漏电风险".into(),
            },
        )
        .unwrap();
        assert!(check(&w, &before, &rc).is_ok());
        let mut by_me = before.fork();
        crate::domain::requests::append_event(
            &mut by_me,
            "p-me",
            5,
            EventKind::Recolour {
                to: Colour::Red,
                reason: "急".into(),
            },
        )
        .unwrap();
        assert_eq!(
            check(&me, &before, &by_me).unwrap_err().code,
            RefusalCode::BadEvent
        );
        let no_reason = raw_event(
            &before,
            &[
                ("type", "recolour".into()),
                ("at", 5.into()),
                ("by", "p-w".into()),
                ("to", "red".into()),
                ("reason", "".into()),
            ],
        );
        assert_eq!(
            check(&w, &before, &no_reason).unwrap_err().code,
            RefusalCode::BadEvent
        );
    }

    #[test]
    fn a_change_under_another_devices_actor_is_forged() {
        let mut me = principal(Role::Resident, "p-me", Some("h-me"));
        me.actor_prefix = vec![9u8; 12];
        let empty = Automerge::new();
        let e = check(&me, &empty, &filed("p-me", "p-me", "h-me")).unwrap_err();
        assert_eq!(e.code, RefusalCode::ForgedActor);
        me.actor_prefix = vec![1u8; 12];
        assert!(check(&me, &empty, &filed("p-me", "p-me", "h-me")).is_ok());
    }

    #[test]
    fn a_person_may_change_their_phone_and_consents_but_not_their_household() {
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let mut before = Automerge::new();
        crate::domain::people::Person {
            id: "p-me".into(),
            name: "王".into(),
            phone: "1".into(),
            flat: "7-2-301".into(),
            birth_year: Some(1950),
            lives_alone: true,
            household: "h-me".into(),
            grid: "g07".into(),
        }
        .create(&mut before)
        .unwrap();
        let put = |k: &'static str, v: &'static str| {
            let mut d = before.fork();
            d.transact::<_, _, automerge::AutomergeError>(|tx| {
                use automerge::transaction::Transactable;
                tx.put(automerge::ROOT, k, v)
            })
            .unwrap();
            d
        };
        assert!(check(&me, &before, &put("phone", "2")).is_ok());
        assert_eq!(
            check(&me, &before, &put("household", "h-x"))
                .unwrap_err()
                .code,
            RefusalCode::FieldNotAllowed
        );
        assert!(
            check(&me, &Automerge::new(), &before).is_err(),
            "only staff create records"
        );
    }

    fn edited(
        before: &Automerge,
        edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>),
    ) -> Automerge {
        let mut d = before.fork();
        let mut tx = d.transaction();
        edit(&mut tx);
        tx.commit();
        d
    }

    #[test]
    fn a_phone_number_in_a_public_title_is_refused_for_everyone_but_the_private_description_may_hold_it()
     {
        use automerge::transaction::Transactable;
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let staff = principal(Role::Staff, "p-staff", None);
        let empty = Automerge::new();
        // The model never writes it; a device that bypasses the model is refused.
        let mut leaky = draft();
        leaky.title = "楼道灯不亮 电话13812345678".into();
        let mut d = Automerge::new();
        let filing = Filing {
            filed_by: "p-me".into(),
            subject: "p-me".into(),
            household: "h-me".into(),
        };
        assert!(crate::domain::requests::file_request(&mut d, &leaky, &filing, 0).is_err());
        let d = edited(&filed("p-me", "p-me", "h-me"), |tx| {
            tx.put(automerge::ROOT, "title", leaky.title.as_str())
                .unwrap();
        });
        let e = check(&me, &empty, &d).unwrap_err();
        assert_eq!(e.code, RefusalCode::PersonalData);
        let before = filed("p-me", "p-me", "h-me");
        for who in [&me, &staff] {
            let retitled = edited(&before, |tx| {
                tx.put(automerge::ROOT, "title", "沪A12345占消防通道")
                    .unwrap();
            });
            let e = check(who, &before, &retitled).unwrap_err();
            assert_eq!(e.code, RefusalCode::PersonalData, "{:?}", who.role);
        }
        let described = edited(&before, |tx| {
            let text = match tx.get(automerge::ROOT, "description").unwrap() {
                Some((automerge::Value::Object(ObjType::Text), id)) => id,
                other => panic!("description is {other:?}"),
            };
            tx.splice_text(&text, 0, 0, "电话13812345678 ").unwrap();
        });
        assert_eq!(check(&me, &before, &described), Ok(()));
        let ordinary = edited(&before, |tx| {
            tx.put(automerge::ROOT, "title", "3号楼2单元501 2026-12-01起漏水")
                .unwrap();
        });
        assert_eq!(check(&me, &before, &ordinary), Ok(()));
    }

    #[test]
    fn every_field_of_a_request_is_bounded_for_everyone() {
        use automerge::transaction::Transactable;
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let staff = principal(Role::Staff, "p-staff", None);
        let before = filed("p-me", "p-me", "h-me");
        let title = |n: usize| {
            edited(&before, |tx| {
                tx.put(automerge::ROOT, "title", "题".repeat(n)).unwrap();
            })
        };
        assert_eq!(check(&me, &before, &title(req_limits::TITLE_MAX)), Ok(()));
        for who in [&me, &staff] {
            let r = check(who, &before, &title(req_limits::TITLE_MAX + 1)).unwrap_err();
            assert_eq!(r.code, RefusalCode::TooLarge, "{}", r.detail);
        }
        // A new request is measured too (a 3 MB title at filing).
        let empty = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
        let mut big = draft();
        big.title = "x".repeat(3_000_000);
        let mut d = empty.fork();
        // The model refuses it; a hostile phone writes it anyway.
        assert!(
            crate::domain::requests::file_request(
                &mut d,
                &big,
                &Filing {
                    filed_by: "p-me".into(),
                    subject: "p-me".into(),
                    household: "h-me".into()
                },
                0
            )
            .is_err()
        );
        let d = edited(&filed("p-me", "p-me", "h-me"), |tx| {
            tx.put(
                automerge::ROOT,
                "filed_by_name",
                "n".repeat(limits::NAME_MAX + 1),
            )
            .unwrap();
        });
        assert_eq!(
            check(&me, &empty, &d).unwrap_err().code,
            RefusalCode::TooLarge
        );
        // A key of any map is bounded as well.
        let d = edited(&before, |tx| {
            tx.put(automerge::ROOT, "k".repeat(limits::ID_MAX + 1), 1)
                .unwrap();
        });
        assert_eq!(
            check(&staff, &before, &d).unwrap_err().code,
            RefusalCode::TooLarge
        );
    }

    #[test]
    fn a_description_grows_only_to_its_limit_and_a_huge_splice_is_refused_unapplied() {
        use automerge::transaction::Transactable;
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let before = filed("p-me", "p-me", "h-me");
        let desc = before
            .get(automerge::ROOT, "description")
            .unwrap()
            .unwrap()
            .1;
        let splice = |n: usize| {
            edited(&before, |tx| {
                tx.splice_text(&desc, 0, 0, &"字".repeat(n)).unwrap();
            })
        };
        let room = req_limits::DESCRIPTION_MAX - before.text(&desc).unwrap().chars().count();
        assert_eq!(check(&me, &before, &splice(room)), Ok(()));
        assert_eq!(
            check(&me, &before, &splice(room + 1)).unwrap_err().code,
            RefusalCode::TooLarge
        );
        // Larger than any change may be: refused on the operation count alone.
        let huge = splice(limits::CHANGE_OPS_MAX + 1);
        let changes = huge.get_changes(&before.get_heads());
        assert_eq!(check_ops(&changes).unwrap_err().code, RefusalCode::TooLarge);
        assert!(check_ops(&splice(room).get_changes(&before.get_heads())).is_ok());
    }

    #[test]
    fn a_history_entry_carries_only_its_own_fields_each_bounded() {
        use automerge::ScalarValue as V;
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let before = filed("p-me", "p-me", "h-me");
        let detail = |extra: &[(&str, V)]| {
            let mut f = vec![
                ("type", V::from("detail")),
                ("at", V::Int(5)),
                ("by", V::from("p-me")),
                ("text", V::from("三楼东")),
            ];
            f.extend(extra.iter().cloned());
            raw_event(&before, &f)
        };
        assert_eq!(check(&me, &before, &detail(&[])), Ok(()));
        let r = check(&me, &before, &detail(&[("note", V::from("hi"))])).unwrap_err();
        assert_eq!(r.code, RefusalCode::BadEvent, "{}", r.detail);
        let r = check(
            &me,
            &before,
            &detail(&[("note", V::from("x".repeat(1 << 20)))]),
        )
        .unwrap_err();
        assert_eq!(r.code, RefusalCode::TooLarge);
        let r = check(
            &me,
            &before,
            &detail(&[("text", V::from("x".repeat(req_limits::TEXT_MAX + 1)))]),
        )
        .unwrap_err();
        assert_eq!(r.code, RefusalCode::TooLarge);
        let r = check(
            &me,
            &before,
            &detail(&[("by_name", V::from("名".repeat(61)))]),
        )
        .unwrap_err();
        assert_eq!(r.code, RefusalCode::TooLarge);
    }

    #[test]
    fn a_follow_is_ones_own_id_and_a_time() {
        use automerge::transaction::Transactable;
        let me = principal(Role::Resident, "p-me", Some("h-me"));
        let mut board = Automerge::new().with_actor(ActorId::from(vec![2u8; 16]));
        crate::domain::board::create_board(&mut board, "g07").unwrap();
        let req = crate::domain::requests::Request::read(&filed("p-me", "p-me", "h-me")).unwrap();
        crate::domain::board::update_board(&mut board, "k1", &req, 1).unwrap();
        let mut ok = board.fork();
        crate::domain::board::set_follow(&mut ok, "k1", "p-me", true, 9).unwrap();
        assert_eq!(check(&me, &board, &ok), Ok(()));
        // A resident of another grid may neither hold nor follow on this board.
        let elsewhere = Principal {
            home_grid: Some("g03".into()),
            name: None,
            ..me.clone()
        };
        assert_eq!(
            check(&elsewhere, &board, &ok).unwrap_err().code,
            RefusalCode::NotAllowed
        );
        let follows = |b: &Automerge| {
            let e = b.get(automerge::ROOT, "entries").unwrap().unwrap().1;
            let e = b.get(&e, "k1").unwrap().unwrap().1;
            b.get(&e, "follows").unwrap().unwrap().1
        };
        let f = follows(&board);
        let big = edited(&board, |tx| {
            tx.put(&f, "p-me", "x".repeat(1 << 20)).unwrap();
        });
        let r = check(&me, &board, &big).unwrap_err();
        assert_eq!(r.code, RefusalCode::TooLarge, "{}", r.detail);
        let text = edited(&board, |tx| {
            tx.put(&f, "p-me", "yes").unwrap();
        });
        assert_eq!(
            check(&me, &board, &text).unwrap_err().code,
            RefusalCode::FieldNotAllowed
        );
        let other = edited(&board, |tx| {
            tx.put(&f, "p-other", 9).unwrap();
        });
        assert_eq!(
            check(&me, &board, &other).unwrap_err().code,
            RefusalCode::FieldNotAllowed
        );
    }

    #[test]
    fn a_whole_document_is_measured_field_by_field() {
        use automerge::transaction::Transactable;
        let d = filed("p-me", "p-me", "h-me");
        assert_eq!(oversized(&d), None);
        let big = edited(&d, |tx| {
            tx.put(
                automerge::ROOT,
                "title",
                "x".repeat(req_limits::TITLE_MAX + 1),
            )
            .unwrap();
        });
        assert_eq!(oversized(&big).as_deref(), Some("`title`"));
    }

    /// Checks with the relay's clock at `now` (the other tests run without a clock).
    fn check_at(
        p: &Principal,
        before: &Automerge,
        after: &Automerge,
        now: Millis,
    ) -> Result<(), Refusal> {
        let changes = after.get_changes(&before.get_heads());
        let ctx = Ctx {
            household_of: &|_| None,
            now: Some(now),
            grids: None,
            name_of: &|_| None,
            household_grid: &|_| None,
        };
        check_changes(
            p,
            &ctx,
            &Before::for_changes(before, &changes),
            after,
            &changes,
        )
    }

    #[test]
    fn times_far_from_the_relays_clock_are_refused_for_every_writer() {
        const NOW: Millis = 1_796_000_000_000; // December 2026
        let worker = principal(Role::GridWorker, "p-w", None);
        let staff = principal(Role::Staff, "p-s", None);
        let before = filed("p-me", "p-me", "h-me");
        let detail_at = |at: Millis| {
            let mut d = before.fork();
            crate::domain::requests::append_event(
                &mut d,
                "p-w",
                at,
                EventKind::Detail { text: "x".into() },
            )
            .unwrap();
            d
        };
        assert_eq!(check_at(&worker, &before, &detail_at(NOW), NOW), Ok(()));
        let in_2100 = detail_at(4_102_444_800_000);
        let in_2000 = detail_at(946_684_800_000);
        for who in [&worker, &staff] {
            for bad in [&in_2100, &in_2000] {
                assert_eq!(
                    check_at(who, &before, bad, NOW).unwrap_err().code,
                    RefusalCode::BadTime
                );
            }
        }
        // A phone offline for a month still uploads; a clock an hour fast does not.
        let month = 30 * crate::time::DAY;
        assert_eq!(
            check_at(&worker, &before, &detail_at(NOW - month), NOW),
            Ok(())
        );
        let hour_ahead = detail_at(NOW + crate::time::HOUR);
        assert_eq!(
            check_at(&worker, &before, &hour_ahead, NOW)
                .unwrap_err()
                .code,
            RefusalCode::BadTime
        );
    }

    #[test]
    fn an_entry_dated_before_its_request_was_filed_is_refused() {
        const NOW: Millis = 1_796_000_000_000;
        let worker = principal(Role::GridWorker, "p-w", None);
        let mut before = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
        crate::domain::requests::file_request(
            &mut before,
            &draft(),
            &Filing {
                filed_by: "p-me".into(),
                subject: "p-me".into(),
                household: "h-me".into(),
            },
            NOW - crate::time::DAY,
        )
        .unwrap();
        let mut early = before.fork();
        crate::domain::requests::append_event(
            &mut early,
            "p-w",
            NOW - 2 * crate::time::DAY,
            EventKind::Status {
                to: Status::Resolved,
            },
        )
        .unwrap();
        assert_eq!(
            check_at(&worker, &before, &early, NOW).unwrap_err().code,
            RefusalCode::BadTime
        );
    }

    #[test]
    fn a_signed_name_is_the_writers_name_on_record_or_none() {
        let mut worker = principal(Role::GridWorker, "p-w", None);
        worker.name = Some("李红".into());
        let before = filed("p-me", "p-me", "h-me");
        let signed = |name: &str| {
            let mut d = before.fork();
            crate::domain::requests::append_event_named(
                &mut d,
                "p-w",
                name,
                5,
                EventKind::Detail { text: "x".into() },
            )
            .unwrap();
            d
        };
        assert_eq!(check(&worker, &before, &signed("李红")), Ok(()));
        assert_eq!(check(&worker, &before, &signed("")), Ok(()));
        assert_eq!(
            check(&worker, &before, &signed("张主任（社区书记）"))
                .unwrap_err()
                .code,
            RefusalCode::BadName
        );
        // Staff sign with their own name too; someone without a record signs with none.
        let mut staff = principal(Role::Staff, "p-s", None);
        staff.name = None;
        assert_eq!(
            check(&staff, &before, &signed("李红")).unwrap_err().code,
            RefusalCode::BadName
        );
    }

    #[test]
    fn a_consent_names_its_volunteer_as_the_relays_records_do_even_when_staff_write_it() {
        let staff = principal(Role::Staff, "p-s", None);
        let mut before = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
        crate::domain::people::Person {
            id: "p-elder".into(),
            name: "王秀英".into(),
            phone: String::new(),
            flat: String::new(),
            birth_year: None,
            lives_alone: true,
            household: "h-elder".into(),
            grid: "g07".into(),
        }
        .create(&mut before)
        .unwrap();
        let granted = |name: &str| {
            let mut d = before.fork();
            crate::domain::people::grant_consent_named(
                &mut d,
                "p-chen",
                name,
                "p-s",
                crate::domain::people::ConsentMethod::InPerson,
                5,
            )
            .unwrap();
            d
        };
        let check_names = |after: &Automerge| {
            let changes = after.get_changes(&before.get_heads());
            let ctx = Ctx {
                household_of: &|_| None,
                now: None,
                grids: None,
                name_of: &|p| (p == "p-chen").then(|| "陈小雨".to_string()),
                household_grid: &|_| None,
            };
            check_changes(
                &staff,
                &ctx,
                &Before::for_changes(&before, &changes),
                after,
                &changes,
            )
        };
        assert_eq!(check_names(&granted("陈小雨")), Ok(()));
        assert_eq!(check_names(&granted("")), Ok(()));
        assert_eq!(
            check_names(&granted("社区书记")).unwrap_err().code,
            RefusalCode::BadName
        );
    }

    #[test]
    fn field_limits_come_from_the_kind_then_the_shared_table() {
        use crate::domain::{community, people};
        let (req, person, comm) = (
            Some(DocKind::Request),
            Some(DocKind::Person),
            Some(DocKind::Community),
        );
        assert_eq!(limits::of_field(req, None, "title"), req_limits::TITLE_MAX);
        assert_eq!(
            limits::of_field(req, None, "description"),
            req_limits::DESCRIPTION_MAX
        );
        assert_eq!(limits::of_field(req, None, "comment"), req_limits::TEXT_MAX);
        assert_eq!(
            limits::of_field(req, None, "reason"),
            req_limits::REASON_MAX
        );
        assert_eq!(limits::of_field(person, None, "phone"), people::PHONE_MAX);
        assert_eq!(
            limits::of_field(comm, Some("templates"), "*"),
            community::TEMPLATE_MAX
        );
        assert_eq!(limits::of_field(req, None, "by_name"), limits::NAME_MAX);
        assert_eq!(limits::of_field(req, None, "whatever"), limits::FIELD_MAX);
        assert_eq!(limits::of_field(None, None, "title"), limits::FIELD_MAX);
        assert_eq!(limits::of_list(req, "photos"), Some(req_limits::PHOTOS_MAX));
        assert_eq!(limits::of_list(person, "photos"), None);
    }
}
