//! What the resource map shows at each building: the resources recorded there, and the
//! merchants whose place names it (merchants and groups are not copied into resources: the
//! map reads them from their own documents). Pure, so the page and the tests share it.

use std::collections::BTreeMap;

use super::{Resource, ResourceType};

/// One thing on the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Resource {
        id: String,
        rtype: ResourceType,
        name: String,
    },
    Merchant {
        id: String,
        name: String,
    },
}

impl Item {
    pub fn id(&self) -> &str {
        match self {
            Item::Resource { id, .. } | Item::Merchant { id, .. } => id,
        }
    }
}

/// The building a merchant's free-text place names (the longest building name it contains,
/// so `13号楼` wins over `3号楼` in `13号楼底商`).
pub fn building_in<'a>(place: &str, buildings: &'a [String]) -> Option<&'a String> {
    buildings
        .iter()
        .filter(|b| !b.is_empty() && place.contains(b.as_str()))
        .max_by_key(|b| b.chars().count())
}

/// The things at each building of `buildings`: offered resources (withdrawn talents left
/// out) whose building is one of them, and merchants whose place names one.
pub fn at_buildings(
    buildings: &[String],
    resources: &[(String, Resource)],
    merchants: &[(String, String, String)],
) -> BTreeMap<String, Vec<Item>> {
    let mut out: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for (id, r) in resources {
        if r.offered() && buildings.contains(&r.building) {
            out.entry(r.building.clone())
                .or_default()
                .push(Item::Resource {
                    id: id.clone(),
                    rtype: r.rtype,
                    name: r.name.clone(),
                });
        }
    }
    for (id, name, place) in merchants {
        if let Some(b) = building_in(place, buildings) {
            out.entry(b.clone()).or_default().push(Item::Merchant {
                id: id.clone(),
                name: name.clone(),
            });
        }
    }
    out
}

/// Counts of offered resources by type, in [`ResourceType::ALL`] order.
pub fn counts(resources: &[(String, Resource)]) -> [(ResourceType, usize); 3] {
    ResourceType::ALL.map(|t| {
        (
            t,
            resources
                .iter()
                .filter(|(_, r)| r.rtype == t && r.offered())
                .count(),
        )
    })
}
