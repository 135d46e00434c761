//! What a relay writes on its own at first start: the bootstrap staff invite, the community
//! document, and with `--demo` the demo community 水榭花都 (`demo`) or with `--demo-scale N`
//! five years of a community of N residents (`scale`). Each module's demo data lives in its
//! own file here (`requests`: the seed article's requests; `patrols`: the grids' teams and
//! patrol logs), used by both.

mod cases;
mod charters;
pub mod demo;
mod drawings;
mod events;
pub mod grants;
mod groups;
mod merchants;
mod notes;
mod patrols;
pub mod requests;
mod resources;
mod roadmap;
pub mod scale;
mod school;
mod sorting;
pub mod talks;
mod volunteers;
pub(crate) mod votes;
mod works;

use linli_shared::domain::community::{Community, DeadlineConfig, Grid};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::relay::LocalChangeError;
use linli_shared::store::{Store, key};
use linli_shared::time::DAY;

use crate::hub::HubCtx;
use crate::identity::{self, Invite, PersonRecord};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Change(#[from] LocalChangeError),
    #[error(transparent)]
    Store(#[from] linli_shared::store::StoreError),
}

/// SplitMix64: small, fast, and the same everywhere.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(crate) fn id(&mut self) -> DocumentId {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        DocumentId::from_bytes(b)
    }
}

/// Fresh document ids from the OS's randomness.
pub(crate) fn new_id() -> DocumentId {
    let mut b = [0u8; 16];
    // Failing to read the OS's randomness at start-up is unrecoverable.
    getrandom::fill(&mut b).expect("OS randomness");
    DocumentId::from_bytes(b)
}

/// The demo community's grids (the article's 18).
pub(crate) const GRIDS: usize = 18;

pub(crate) fn grids() -> Vec<Grid> {
    (1..=GRIDS)
        .map(|n| Grid {
            id: format!("g{n:02}"),
            name: format!("第{n}网格"),
        })
        .collect()
}

/// On a fresh store: creates the first staff member's one-time invite and returns its code
/// (to print). Returns `None` if staff already exist or the invite is still open.
pub fn bootstrap(ctx: &mut HubCtx<'_>) -> Result<Option<String>, SeedError> {
    let marker = key(&["relay", "bootstrap"]);
    if ctx.store.get(&marker)?.is_some() {
        return Ok(None);
    }
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).expect("OS randomness");
    let code = identity::code_from(random);
    let person = PersonRecord {
        id: "p-first-staff".into(),
        role: Role::Staff,
        household: None,
        grids: Vec::new(),
        person_doc: None,
        erased: false,
    };
    identity::put_person(ctx.store, &person)?;
    identity::put_invite(
        ctx.store,
        &Invite {
            code: code.clone(),
            person: person.id,
            expires_at: ctx.now + 7 * DAY,
            used_at: None,
            used_by: None,
            reusable: false,
            created_by: "relay".into(),
            created_at: ctx.now,
        },
    )?;
    ctx.store.put(&marker, code.as_bytes())?;
    Ok(Some(code))
}

/// Creates the community document if there is none yet; with `demo`, the whole demo
/// community. Returns whether anything was created.
pub fn seed(ctx: &mut HubCtx<'_>, demo: bool, scale: Option<u32>) -> Result<bool, SeedError> {
    let community_key = key(&["relay", "community"]);
    if ctx.store.get(&community_key)?.is_some() {
        return Ok(false);
    }
    let community = Community {
        name: if demo {
            "水榭花都".into()
        } else {
            "社区".into()
        },
        grids: grids(),
        categories: linli_shared::domain::community::default_categories(),
        deadlines: DeadlineConfig::default(),
        templates: linli_shared::domain::community::default_templates(),
    };
    let cid = new_id();
    let outs = ctx
        .relay
        .local_change(ctx.store, cid, |doc| community.create(doc))?;
    ctx.emit(outs);
    ctx.store.put(&community_key, cid.to_string().as_bytes())?;
    if let Some(residents) = scale {
        scale::seed(ctx, residents)?;
    } else if demo {
        demo::seed_demo(ctx)?;
    }
    Ok(true)
}

/// An opaque household id: a household id is written into requests, which outlive a person's
/// erasure, so it must not spell out the flat.
pub(crate) fn household_of(salt: &[u8; 16], flat: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(salt)
        .chain_update(flat.as_bytes())
        .finalize();
    format!("h-{}", linli_shared::ids::hex(&digest[..5]))
}
