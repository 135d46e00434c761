//! What staff do through the relay (not through documents, because only the relay may decide
//! it): invite people, list people and their devices, revoke a lost phone, erase a person,
//! read the audit log. Every endpoint takes `Authorization: Bearer <token>`.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header;
use axum::http::request::Parts;
use linli_shared::api::{DeviceRow, InviteReply, LabelBody, NewInvite, PersonRow, VolunteerRow};
use linli_shared::domain::DocKind;
use linli_shared::domain::people::Person;
use linli_shared::ids::DocumentId;
use linli_shared::policy::{Principal, Role};
use linli_shared::relay::Relay;
use linli_shared::time::DAY;
use serde_json::json;

use crate::AppState;
use crate::api::{ApiError, principal_of};
use crate::hub::{HubCtx, now_ms};
use crate::identity::{self, DeviceRecord, IdentityError, Invite, PersonRecord};
use crate::ws::close;

/// A request made by an enrolled device with a valid token.
pub struct Authed {
    pub principal: Principal,
    pub device: DeviceRecord,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::Unauthorized("a bearer token is required".into()))?;
        let device = state.token_keys.check(token, now_ms())?;
        let (principal, device) = state
            .hub
            .call(move |ctx| principal_of(ctx, &device))
            .await??;
        Ok(Authed { principal, device })
    }
}

impl Authed {
    fn staff(&self) -> Result<(), ApiError> {
        if self.principal.role == Role::Staff {
            Ok(())
        } else {
            Err(ApiError::Forbidden("staff only".into()))
        }
    }
}

fn random_hex<const N: usize>() -> String {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("OS randomness");
    linli_shared::ids::hex(&b)
}

fn new_invite(ctx: &mut HubCtx<'_>, person: &str, by: &str, days: i64) -> Result<Invite, ApiError> {
    // Codes are random; a clash with a live invite is astronomically rare, but check anyway.
    for _ in 0..8 {
        let mut r = [0u8; 8];
        getrandom::fill(&mut r).expect("OS randomness");
        let code = identity::code_from(r);
        if identity::invite(ctx.store, &code)
            .map_err(IdentityError::from)?
            .is_none()
        {
            let inv = Invite {
                code,
                person: person.into(),
                expires_at: ctx.now + days.clamp(1, 90) * DAY,
                used_at: None,
                used_by: None,
                reusable: false,
                created_by: by.into(),
                created_at: ctx.now,
            };
            identity::put_invite(ctx.store, &inv).map_err(IdentityError::from)?;
            return Ok(inv);
        }
    }
    Err(ApiError::Internal(
        "could not find a free invite code".into(),
    ))
}

/// Enrols a new person: their relay record, their personal-data document, and an invite.
pub async fn create_invite(
    State(state): State<AppState>,
    who: Authed,
    Json(body): Json<NewInvite>,
) -> Result<Json<InviteReply>, ApiError> {
    who.staff()?;
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(ApiError::BadRequest("name: 1 to 40 characters".into()));
    }
    if matches!(body.role, Role::Resident | Role::Volunteer) && body.grid.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "grid: residents and volunteers live in a grid".into(),
        ));
    }
    let by = who.principal.person.clone();
    let seat = body.seat.clone();
    let reply = state
        .hub
        .call(move |ctx| -> Result<InviteReply, ApiError> {
            let id = format!("p-{}", random_hex::<6>());
            let household = match body.role {
                Role::Resident | Role::Volunteer => Some(
                    body.household
                        .clone()
                        .unwrap_or_else(|| format!("h-{}", random_hex::<6>())),
                ),
                _ => None,
            };
            let doc = DocumentId::from_bytes({
                let mut b = [0u8; 16];
                getrandom::fill(&mut b).expect("OS randomness");
                b
            });
            let person = Person {
                id: id.clone(),
                name: name.clone(),
                phone: body.phone.trim().chars().take(30).collect(),
                flat: body.flat.trim().chars().take(30).collect(),
                birth_year: body.birth_year,
                lives_alone: body.lives_alone,
                household: household.clone().unwrap_or_default(),
                grid: body.grid.trim().to_string(),
            };
            let outs = ctx
                .relay
                .local_change(ctx.store, doc, |d| {
                    person.create(d)?;
                    match &seat {
                        Some(s) => linli_shared::domain::people::set_seat(d, Some(s)),
                        None => Ok(()),
                    }
                })
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            ctx.emit(outs);
            identity::put_person(
                ctx.store,
                &PersonRecord {
                    id: id.clone(),
                    role: body.role,
                    household: household.clone(),
                    grids: body.grids.clone(),
                    person_doc: Some(doc.to_string()),
                    erased: false,
                },
            )
            .map_err(IdentityError::from)?;
            let inv = new_invite(ctx, &id, &by, body.expires_in_days.unwrap_or(7))?;
            Ok(InviteReply {
                code: inv.code,
                person: id,
                household,
                expires_at: inv.expires_at,
            })
        })
        .await??;
    Ok(Json(reply))
}

/// A new invite for someone already enrolled (a new or replacement phone).
pub async fn invite_existing(
    State(state): State<AppState>,
    who: Authed,
    Path(person): Path<String>,
) -> Result<Json<InviteReply>, ApiError> {
    who.staff()?;
    let by = who.principal.person.clone();
    let reply = state
        .hub
        .call(move |ctx| -> Result<InviteReply, ApiError> {
            let p = identity::person(ctx.store, &person)
                .map_err(IdentityError::from)?
                .ok_or_else(|| ApiError::NotFound("no such person".into()))?;
            if p.erased {
                return Err(ApiError::Gone("this person's data was erased".into()));
            }
            let inv = new_invite(ctx, &p.id, &by, 7)?;
            Ok(InviteReply {
                code: inv.code,
                person: p.id,
                household: p.household,
                expires_at: inv.expires_at,
            })
        })
        .await??;
    Ok(Json(reply))
}

pub async fn people(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<PersonRow>>, ApiError> {
    who.staff()?;
    let rows = state
        .hub
        .call(|ctx| -> Result<Vec<PersonRow>, IdentityError> {
            let mut rows = Vec::new();
            for p in identity::people(ctx.store)? {
                let devices = identity::devices_of(ctx.store, &p.id)?
                    .iter()
                    .filter(|d| d.revoked_at.is_none())
                    .count();
                rows.push(PersonRow {
                    id: p.id,
                    role: p.role,
                    household: p.household,
                    grids: p.grids,
                    person_doc: p.person_doc,
                    erased: p.erased,
                    devices,
                });
            }
            Ok(rows)
        })
        .await??;
    Ok(Json(rows))
}

/// The community's volunteers with their names, for staff and grid workers to ask one to
/// visit a household (names only: no household, no phone). Sorted by name.
pub async fn volunteers(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<VolunteerRow>>, ApiError> {
    if !matches!(who.principal.role, Role::Staff | Role::GridWorker) {
        return Err(ApiError::Forbidden("staff and grid workers only".into()));
    }
    let mut rows = state
        .hub
        .call(|ctx| -> Result<Vec<VolunteerRow>, IdentityError> {
            Ok(identity::people(ctx.store)?
                .into_iter()
                .filter(|p| p.role == Role::Volunteer && !p.erased)
                .filter_map(|p| {
                    let name = ctx.relay.name_on_record(&p.id)?;
                    Some(VolunteerRow { id: p.id, name })
                })
                .collect())
        })
        .await??;
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(rows))
}

/// A person's devices: staff for anyone, everyone for themselves.
pub async fn devices(
    State(state): State<AppState>,
    who: Authed,
    Path(person): Path<String>,
) -> Result<Json<Vec<DeviceRow>>, ApiError> {
    if who.principal.role != Role::Staff && who.principal.person != person {
        return Err(ApiError::Forbidden("staff only".into()));
    }
    let rows = state
        .hub
        .call(move |ctx| -> Result<Vec<DeviceRow>, IdentityError> {
            Ok(identity::devices_of(ctx.store, &person)?
                .into_iter()
                .map(|d| DeviceRow {
                    online: !ctx.connections_of_device(&d.id).is_empty(),
                    id: d.id,
                    label: d.label,
                    created_at: d.created_at,
                    revoked_at: d.revoked_at,
                })
                .collect())
        })
        .await??;
    Ok(Json(rows))
}

/// Staff may manage any device, a person their own: anything else is refused.
fn may_manage_device(
    store: &impl linli_shared::store::Store,
    device: &str,
    is_staff: bool,
    me: &str,
) -> Result<(), ApiError> {
    let dev = identity::device(store, device)
        .map_err(IdentityError::from)?
        .ok_or_else(|| ApiError::NotFound("no such device".into()))?;
    if !is_staff && dev.person != me {
        return Err(ApiError::Forbidden("staff only".into()));
    }
    Ok(())
}

/// Revokes a device (a lost phone): its tokens stop working and its connections close at once
/// with 4401 "device revoked", which the app shows. Staff may revoke any device; a person
/// their own.
pub async fn revoke(
    State(state): State<AppState>,
    who: Authed,
    Path(device): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let is_staff = who.principal.role == Role::Staff;
    let me = who.principal.person.clone();
    state
        .hub
        .call(move |ctx| -> Result<(), ApiError> {
            may_manage_device(ctx.store, &device, is_staff, &me)?;
            identity::revoke(ctx.store, ctx.now, &device)?;
            ctx.close_device(&device, close::REVOKED, "device revoked");
            Ok(())
        })
        .await??;
    Ok(Json(json!({ "revoked": true })))
}

/// Renames a device: staff any device, a person their own. The name is trimmed, at most
/// `DEVICE_LABEL_MAX` characters, with no control characters.
pub async fn label_device(
    State(state): State<AppState>,
    who: Authed,
    Path(device): Path<String>,
    Json(body): Json<LabelBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let label = body.label.trim().to_string();
    if label.is_empty()
        || label.chars().count() > identity::DEVICE_LABEL_MAX
        || label.chars().any(char::is_control)
    {
        return Err(ApiError::BadRequest(format!(
            "a device name has 1 to {} characters",
            identity::DEVICE_LABEL_MAX
        )));
    }
    let is_staff = who.principal.role == Role::Staff;
    let me = who.principal.person.clone();
    state
        .hub
        .call(move |ctx| -> Result<(), ApiError> {
            may_manage_device(ctx.store, &device, is_staff, &me)?;
            identity::set_label(ctx.store, &device, &label)?;
            Ok(())
        })
        .await??;
    Ok(Json(json!({ "renamed": true })))
}

/// Erases a person (PIPL's right to deletion): their person document is deleted from the
/// relay and from every device at its next sync; their devices are revoked; their requests
/// stay, with who filed them and whom they concern replaced by `erased`.
pub async fn erase(
    State(state): State<AppState>,
    who: Authed,
    Path(person): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    who.staff()?;
    let by = who.principal.person.clone();
    let anonymised = state
        .hub
        .call(move |ctx| -> Result<usize, ApiError> {
            let mut p = identity::person(ctx.store, &person)
                .map_err(IdentityError::from)?
                .ok_or_else(|| ApiError::NotFound("no such person".into()))?;
            for d in identity::devices_of(ctx.store, &p.id).map_err(IdentityError::from)? {
                identity::revoke(ctx.store, ctx.now, &d.id)?;
                // "王秀英的手机" names her too.
                identity::set_label(ctx.store, &d.id, "")?;
                ctx.close_device(&d.id, close::REVOKED, "device revoked");
            }
            // The name others typed for her (a patrol's visit), read before her record goes.
            let name = ctx.relay.name_on_record(&p.id).unwrap_or_default();
            let derived = derived_heads(ctx);
            if let Some(doc) = p
                .person_doc
                .as_deref()
                .and_then(|d| DocumentId::parse(d).ok())
            {
                let outs = ctx
                    .relay
                    .erase(ctx.store, doc)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                ctx.emit(outs);
            }
            let rewritten = anonymise_documents(ctx, &p.id, &name)?;
            let n = rewritten.len();
            rewrite_changed_derived(ctx, derived, &rewritten)?;
            p.erased = true;
            p.person_doc = None;
            // What was deleted still sits in freed pages of the store file until they are
            // reused: the relay compacts the file at its next start (too slow to do here,
            // where every phone waits for the hub).
            linli_shared::store::Store::put(ctx.store, crate::store::COMPACT_PENDING, b"")
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            identity::put_person(ctx.store, &p).map_err(IdentityError::from)?;
            let audit = linli_shared::relay::AuditEntry {
                at: ctx.now,
                person: by,
                document: p.id.clone(),
                code: "erased".into(),
                detail: format!("person erased; {n} documents anonymised"),
            };
            ctx.relay
                .audit(ctx.store, audit)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(n)
        })
        .await??;
    Ok(Json(
        json!({ "erased": true, "documents_anonymised": anonymised }),
    ))
}

/// Removes a person from every document that names them and outlives them (requests, boards):
/// each kind says whether it does and how ([`linli_shared::domain::DocType::anonymise`]); each
/// such document's history is then rewritten to its current state ([`Relay::rewrite`]), and
/// the bytes of the photos those documents no longer refer to are deleted.
fn anonymise_documents(
    ctx: &mut HubCtx<'_>,
    person: &str,
    name: &str,
) -> Result<Vec<DocumentId>, ApiError> {
    let docs: Vec<(DocumentId, DocKind)> = ctx
        .relay
        .documents()
        .filter_map(|(id, m)| Some((*id, m.scope.kind?)))
        .filter(|(_, kind)| kind.outlives_people())
        .collect();
    let mut rewritten = Vec::new();
    for (id, kind) in docs {
        let Some(mut doc) = ctx
            .relay
            .document(ctx.store, &id)
            .map_err(|e| ApiError::Internal(e.to_string()))?
        else {
            continue;
        };
        // Tried on a copy first: most documents do not name the person, and need no write.
        let signed = kind.anonymise(&mut doc, person);
        let typed = kind.unname(&mut doc, name);
        let photos = match (signed, typed) {
            (Some(Ok(photos)), _) => photos,
            (None, Some(Ok(()))) => Vec::new(),
            _ => continue,
        };
        let outs = ctx
            .relay
            .local_change(ctx.store, id, |d| {
                kind.anonymise(d, person).unwrap_or(Ok(Vec::new()))?;
                kind.unname(d, name).unwrap_or(Ok(()))
            })
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        ctx.emit(outs);
        // Its history still holds what was just overwritten: keep only the current state.
        let outs = ctx
            .relay
            .rewrite(ctx.store, id)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        ctx.emit(outs);
        for hash in photos {
            crate::blobs::delete(ctx.store, &hash)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
        }
        rewritten.push(id);
    }
    Ok(rewritten)
}

/// The heads of every derived document (a grid's board, the drawings' gallery: the relay
/// keeps them from other documents, [`linli_shared::domain::DocType::projection_group`]).
fn derived_heads(ctx: &HubCtx<'_>) -> Vec<(DocumentId, Vec<String>)> {
    ctx.relay
        .documents()
        .filter(|(_, m)| {
            m.scope
                .kind
                .is_some_and(|k| k.projection_group(&m.scope).is_some())
        })
        .map(|(id, m)| (*id, m.heads.clone()))
        .collect()
}

/// A derived document the erasure changed (the gallery entry of an erased guardian's
/// drawing went) still holds in its history what it showed before: its history is rewritten
/// to its current state too. One the erasure already rewrote is left alone: what changed in
/// it since holds only the anonymised state.
fn rewrite_changed_derived(
    ctx: &mut HubCtx<'_>,
    before: Vec<(DocumentId, Vec<String>)>,
    rewritten: &[DocumentId],
) -> Result<(), ApiError> {
    for (id, heads) in before {
        if rewritten.contains(&id) {
            continue;
        }
        let changed = ctx.relay.meta(&id).is_some_and(|m| m.heads != heads);
        if changed {
            let outs = ctx
                .relay
                .rewrite(ctx.store, id)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            ctx.emit(outs);
        }
    }
    Ok(())
}

pub async fn audit(
    State(state): State<AppState>,
    who: Authed,
) -> Result<Json<Vec<linli_shared::relay::AuditEntry>>, ApiError> {
    who.staff()?;
    let log = state
        .hub
        .call(|ctx| Relay::audit_log(ctx.store))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(log.into_iter().rev().take(500).collect()))
}
