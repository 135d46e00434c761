//! Small typed readers over an automerge document, so the model code reads like the schema.

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value};

/// The string at `key` of `obj`, if it is a string (scalar or text object).
pub fn get_str(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        (Value::Object(ObjType::Text), id) => doc.text(&id).ok(),
        _ => None,
    }
}

/// The integer at `key` (signed, unsigned, counter or timestamp).
pub fn get_i64(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => scalar_i64(s.as_ref()),
        _ => None,
    }
}

pub fn get_bool(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<bool> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Boolean(b) => Some(*b),
            _ => None,
        },
        _ => None,
    }
}

/// The object at `key` of `obj`, if it is an object of type `ty`.
pub fn get_obj(doc: &impl ReadDoc, obj: &ObjId, key: &str, ty: ObjType) -> Option<ObjId> {
    match doc.get(obj, key).ok()?? {
        (Value::Object(t), id) if t == ty => Some(id),
        _ => None,
    }
}

/// The map objects in a list, in list order.
pub fn list_maps(doc: &impl ReadDoc, list: &ObjId) -> Vec<ObjId> {
    doc.list_range(list, ..)
        .filter_map(|item| match item.value {
            automerge::ValueRef::Object(ObjType::Map) => Some(item.id()),
            _ => None,
        })
        .collect()
}

/// The strings in a list object, in list order (other values are skipped).
pub fn list_strings(doc: &impl ReadDoc, list: &ObjId) -> Vec<String> {
    doc.list_range(list, ..)
        .filter_map(|item| match item.value {
            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => Some(s.to_string()),
            _ => None,
        })
        .collect()
}

/// The strings of the list at `key` of `obj`; empty when there is none.
pub fn get_strings(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Vec<String> {
    get_obj(doc, obj, key, ObjType::List)
        .map(|l| list_strings(doc, &l))
        .unwrap_or_default()
}

/// The keys of a map object.
pub fn map_keys(doc: &impl ReadDoc, map: &ObjId) -> Vec<String> {
    doc.keys(map).collect()
}

fn scalar_i64(s: &ScalarValue) -> Option<i64> {
    match s {
        ScalarValue::Int(i) => Some(*i),
        ScalarValue::Uint(u) => i64::try_from(*u).ok(),
        ScalarValue::Timestamp(t) => Some(*t),
        ScalarValue::Counter(c) => Some(i64::from(c)),
        ScalarValue::F64(f) if f.is_finite() => Some(*f as i64),
        _ => None,
    }
}

/// All the fields of a map object, read in one pass (one seek into the document instead of
/// one per key: reading a request's history field by field was most of the relay's time).
pub struct Fields {
    items: Vec<(String, Field)>,
}

enum Field {
    Str(String),
    Int(i64),
    Bool(bool),
    Obj(ObjType, ObjId),
    Other,
}

impl Fields {
    pub fn of(doc: &impl ReadDoc, obj: &ObjId) -> Fields {
        let items = doc
            .map_range(obj, ..)
            .map(|item| {
                let field = match &item.value {
                    automerge::ValueRef::Object(ObjType::Text) => match doc.text(item.id()) {
                        Ok(t) => Field::Str(t),
                        Err(_) => Field::Other,
                    },
                    automerge::ValueRef::Object(t) => Field::Obj(*t, item.id()),
                    automerge::ValueRef::Scalar(s) => {
                        use automerge::ScalarValueRef as S;
                        match s {
                            S::Str(s) => Field::Str(s.to_string()),
                            S::Boolean(b) => Field::Bool(*b),
                            S::Int(i) | S::Counter(i) | S::Timestamp(i) => Field::Int(*i),
                            S::Uint(u) => i64::try_from(*u).map_or(Field::Other, Field::Int),
                            S::F64(f) if f.is_finite() => Field::Int(*f as i64),
                            _ => Field::Other,
                        }
                    }
                };
                (item.key.into_owned(), field)
            })
            .collect();
        Fields { items }
    }

    fn get(&self, key: &str) -> Option<&Field> {
        self.items.iter().find(|(k, _)| k == key).map(|(_, f)| f)
    }

    pub fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Field::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Field::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Field::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn obj(&self, key: &str, ty: ObjType) -> Option<ObjId> {
        match self.get(key)? {
            Field::Obj(t, id) if *t == ty => Some(id.clone()),
            _ => None,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some_and(|f| !matches!(f, Field::Other))
    }
}

/// The map at `<list>[i]` that an operation at `path` lands in or under (`path` starts with the
/// root list's name and the element's index), if it is one: the entry of a log a change writes.
pub fn list_entry(doc: &impl ReadDoc, path: &[automerge::Prop], list: &str) -> Option<ObjId> {
    let [automerge::Prop::Map(top), automerge::Prop::Seq(i), ..] = path else {
        return None;
    };
    if top != list {
        return None;
    }
    let l = get_obj(doc, &automerge::ROOT, list, ObjType::List)?;
    match doc.get(&l, *i).ok()?? {
        (automerge::Value::Object(ObjType::Map), id) => Some(id),
        _ => None,
    }
}

/// Writes `items` as a new list of strings at `key` of `obj` (photo hashes, board keys):
/// one helper for the list every log entry and record writes.
pub fn put_strings(
    tx: &mut impl automerge::transaction::Transactable,
    obj: &ObjId,
    key: &str,
    items: &[String],
) -> Result<ObjId, automerge::AutomergeError> {
    let list = tx.put_object(obj, key, ObjType::List)?;
    for (i, s) in items.iter().enumerate() {
        tx.insert(&list, i, s.as_str())?;
    }
    Ok(list)
}

/// A new document holding `doc`'s current state and none of its history: one change by
/// `actor`. What was overwritten or deleted in `doc` (an erased person's name, an old photo)
/// is in no state of the copy. Object ids differ from `doc`'s; conflicts keep their winner;
/// a counter keeps its value.
pub fn copy_without_history(
    doc: &automerge::Automerge,
    actor: automerge::ActorId,
) -> Result<automerge::Automerge, automerge::AutomergeError> {
    let mut copy = automerge::Automerge::new().with_actor(actor);
    let mut tx = copy.transaction();
    copy_map(doc, &automerge::ROOT, &mut tx, &automerge::ROOT)?;
    tx.commit();
    Ok(copy)
}

/// A scalar as it is written again: a counter starts at its current value.
fn fresh_scalar(s: &ScalarValue) -> ScalarValue {
    match s {
        ScalarValue::Counter(c) => ScalarValue::counter(i64::from(c)),
        other => other.clone(),
    }
}

fn copy_map(
    doc: &automerge::Automerge,
    from: &ObjId,
    tx: &mut automerge::transaction::Transaction<'_>,
    to: &ObjId,
) -> Result<(), automerge::AutomergeError> {
    use automerge::transaction::Transactable;
    let items: Vec<(String, Value<'static>, ObjId)> = doc
        .map_range(from, ..)
        .map(|i| {
            let id = i.id();
            (i.key.to_string(), Value::from(i.value), id)
        })
        .collect();
    for (key, value, id) in items {
        match value {
            Value::Scalar(s) => tx.put(to, key.as_str(), fresh_scalar(&s))?,
            Value::Object(ty) => {
                let child = tx.put_object(to, key.as_str(), ty)?;
                copy_object(doc, &id, ty, tx, &child)?;
            }
        }
    }
    Ok(())
}

fn copy_object(
    doc: &automerge::Automerge,
    from: &ObjId,
    ty: ObjType,
    tx: &mut automerge::transaction::Transaction<'_>,
    to: &ObjId,
) -> Result<(), automerge::AutomergeError> {
    use automerge::transaction::Transactable;
    match ty {
        ObjType::Map | ObjType::Table => copy_map(doc, from, tx, to),
        ObjType::Text => {
            let text = doc.text(from)?;
            tx.splice_text(to, 0, 0, &text)?;
            Ok(())
        }
        ObjType::List => {
            let items: Vec<(Value<'static>, ObjId)> = doc
                .list_range(from, ..)
                .map(|i| {
                    let id = i.id();
                    (Value::from(i.value), id)
                })
                .collect();
            for (index, (value, id)) in items.into_iter().enumerate() {
                match value {
                    Value::Scalar(s) => tx.insert(to, index, fresh_scalar(&s))?,
                    Value::Object(ty) => {
                        let child = tx.insert_object(to, index, ty)?;
                        copy_object(doc, &id, ty, tx, &child)?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// Writes the text fields of a form at the root of `obj`, each `(key, value, before)` with
/// `before` the value as it was (`None` for a new document): an unchanged field is not
/// written (so two phones editing different fields offline both keep theirs), an optional
/// field emptied is deleted rather than kept empty, and a field in `required` is written even
/// when empty. Values are trimmed.
pub fn put_changed_strings(
    tx: &mut impl automerge::transaction::Transactable,
    obj: &ObjId,
    fields: &[(&str, &str, Option<&str>)],
    required: &[&str],
) -> Result<(), automerge::AutomergeError> {
    for (key, value, before) in fields {
        let value = value.trim();
        let optional = !required.contains(key);
        match before {
            Some(b) if *b == value => {}
            Some(_) if value.is_empty() && optional => tx.delete(obj, *key)?,
            _ if value.is_empty() && optional => {}
            _ => tx.put(obj, *key, value)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ActorId, AutoSerde, Automerge, ROOT};

    /// Every value any change of `doc` ever wrote, as text.
    fn every_value_ever_written(doc: &Automerge) -> String {
        doc.get_changes(&[])
            .iter()
            .map(|c| serde_json::to_string(&c.decode()).unwrap())
            .collect()
    }

    #[test]
    fn a_copy_without_history_has_the_state_and_none_of_the_overwritten_values() {
        let mut doc = Automerge::new().with_actor(ActorId::from(b"device-a".as_slice()));
        let mut tx = doc.transaction();
        tx.put(ROOT, "filed_by_name", "王秀英").unwrap();
        tx.put(ROOT, "kind", "request").unwrap();
        let text = tx.put_object(ROOT, "description", ObjType::Text).unwrap();
        tx.splice_text(&text, 0, 0, "王秀英家楼道灯坏了").unwrap();
        let events = tx.put_object(ROOT, "events", ObjType::List).unwrap();
        let e = tx.insert_object(&events, 0, ObjType::Map).unwrap();
        tx.put(&e, "by", "p-wang").unwrap();
        tx.put(&e, "at", 1_700_000_000_000_i64).unwrap();
        tx.insert(&events, 1, true).unwrap();
        tx.put(ROOT, "views", ScalarValue::counter(1)).unwrap();
        tx.commit();
        let mut tx = doc.transaction();
        tx.put(ROOT, "filed_by_name", "").unwrap();
        tx.splice_text(&text, 0, 3, "某").unwrap();
        tx.put(&e, "by", "erased").unwrap();
        tx.increment(ROOT, "views", 2).unwrap();
        tx.commit();
        assert!(every_value_ever_written(&doc).contains("王秀英"));

        let copy = copy_without_history(&doc, ActorId::from(b"relay".as_slice())).unwrap();
        assert_eq!(
            serde_json::to_value(AutoSerde::from(&copy)).unwrap(),
            serde_json::to_value(AutoSerde::from(&doc)).unwrap()
        );
        assert_eq!(copy.get_changes(&[]).len(), 1);
        let written = every_value_ever_written(&copy);
        assert!(
            !written.contains("王秀英") && !written.contains("p-wang"),
            "{written}"
        );
        assert_eq!(get_i64(&copy, &ROOT, "views"), Some(3));
        assert_eq!(
            get_str(&copy, &ROOT, "description").as_deref(),
            Some("某家楼道灯坏了")
        );
    }
}
