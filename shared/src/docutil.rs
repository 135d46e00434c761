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
