//! Who a person is to the relay (role, household, grids, consents), and whether they may read
//! a document: each kind of document answers for itself (`crate::domain`). The relay calls
//! this for every document it sends; the app calls the same functions to hide what a person
//! could not do anyway. ARCHITECTURE.md has the table in prose.

use serde::{Deserialize, Serialize};

use crate::domain::Scope;

/// The four roles: residents, the youth volunteers who help elders, grid workers and staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Volunteer,
    GridWorker,
    Staff,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Resident,
        Role::Volunteer,
        Role::GridWorker,
        Role::Staff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Volunteer => "volunteer",
            Role::GridWorker => "grid_worker",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The parties that sit at the four-party talks (四方会谈) besides the residents' committee
/// (who are staff). A person represents at most one, as staff wrote in their record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    PartyBranch,
    OwnersCommittee,
    PropertyCompany,
    Merchant,
    Adviser,
}

impl Party {
    pub const ALL: [Party; 5] = [
        Party::PartyBranch,
        Party::OwnersCommittee,
        Party::PropertyCompany,
        Party::Merchant,
        Party::Adviser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Party::PartyBranch => "party_branch",
            Party::OwnersCommittee => "owners_committee",
            Party::PropertyCompany => "property_company",
            Party::Merchant => "merchant",
            Party::Adviser => "adviser",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Party::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The person behind a connection, as the relay knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// Person id (`p-…`): what `filed_by`, `subject` and event `by` fields hold.
    pub person: String,
    pub role: Role,
    /// The person's household (residents and volunteers have one; staff may not).
    pub household: Option<String>,
    /// Grids a grid worker is assigned to.
    pub grids: Vec<String>,
    /// Persons who have given this volunteer their consent to act for them.
    pub consents: Vec<String>,
    /// The grid the person lives in, from their record (the relay fills it in from its
    /// directory of person documents; `None` for staff and people without a record).
    #[serde(default)]
    pub home_grid: Option<String>,
    /// The person's display name in the relay's records (the name in their person record;
    /// `None` when they have none): the only name they may sign with.
    #[serde(default)]
    pub name: Option<String>,
    /// The grids whose team (iron triangle 铁三角) this person is on, from the grids'
    /// documents (the relay fills it in).
    #[serde(default)]
    pub team_grids: Vec<String>,
    /// The party this person represents at the talks, from their record (only staff write
    /// it; the relay fills it in from its directory like `home_grid`).
    #[serde(default)]
    pub party: Option<Party>,
    /// The 12-byte id of the device speaking: every change it sends must be by an actor whose
    /// id starts with it. Empty for the relay's own edits.
    #[serde(default)]
    pub actor_prefix: Vec<u8>,
}

impl Principal {
    pub fn is_staff(&self) -> bool {
        self.role == Role::Staff
    }

    /// A grid worker of this grid.
    pub fn works_grid(&self, grid: Option<&str>) -> bool {
        self.role == Role::GridWorker && grid.is_some_and(|g| self.grids.iter().any(|x| x == g))
    }

    /// On the team of this grid.
    pub fn on_team(&self, grid: Option<&str>) -> bool {
        grid.is_some_and(|g| self.team_grids.iter().any(|x| x == g))
    }

    /// A member of this household.
    pub fn in_household(&self, household: Option<&str>) -> bool {
        household.is_some() && self.household.as_deref() == household
    }

    /// Lives in this grid.
    pub fn lives_in(&self, grid: Option<&str>) -> bool {
        grid.is_some() && self.home_grid.as_deref() == grid
    }

    /// A volunteer this person consented to.
    pub fn acts_for(&self, subject: Option<&str>) -> bool {
        self.role == Role::Volunteer
            && subject.is_some_and(|s| self.consents.iter().any(|c| c == s))
    }

    /// May this person's devices hold a document with this scope? Each kind decides
    /// ([`crate::domain::DocType::may_read`]); a document without a known kind is nobody's.
    pub fn may_read(&self, scope: &Scope) -> bool {
        scope.kind.is_some_and(|k| k.may_read(self, scope))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DocKind;

    fn p(role: Role) -> Principal {
        Principal {
            person: "p-me".into(),
            role,
            household: Some("h-1".into()),
            grids: vec!["g01".into()],
            consents: vec!["p-elder".into()],
            home_grid: None,
            name: None,
            team_grids: Vec::new(),
            party: None,
            actor_prefix: Vec::new(),
        }
    }

    fn scope(kind: DocKind, grid: &str, household: &str, subject: &str) -> Scope {
        Scope {
            kind: Some(kind),
            grid: Some(grid.into()),
            household: Some(household.into()),
            subject: Some(subject.into()),
            audience: None,
        }
    }

    #[test]
    fn residents_read_their_households_requests_only() {
        let r = p(Role::Resident);
        assert!(r.may_read(&scope(DocKind::Request, "g09", "h-1", "p-x")));
        assert!(!r.may_read(&scope(DocKind::Request, "g01", "h-2", "p-x")));
    }

    #[test]
    fn grid_workers_read_their_grids_requests_and_residents() {
        let w = p(Role::GridWorker);
        assert!(w.may_read(&scope(DocKind::Request, "g01", "h-9", "p-x")));
        assert!(w.may_read(&scope(DocKind::Person, "g01", "h-9", "p-x")));
        assert!(!w.may_read(&scope(DocKind::Request, "g02", "h-9", "p-x")));
    }

    #[test]
    fn volunteers_read_only_what_consenting_elders_share() {
        let v = p(Role::Volunteer);
        assert!(v.may_read(&scope(DocKind::Person, "g05", "h-7", "p-elder")));
        assert!(v.may_read(&scope(DocKind::Request, "g05", "h-7", "p-elder")));
        assert!(!v.may_read(&scope(DocKind::Person, "g05", "h-7", "p-other")));
        // A resident with the same consent list gets nothing from it.
        assert!(!p(Role::Resident).may_read(&scope(DocKind::Person, "g05", "h-7", "p-elder")));
    }

    #[test]
    fn a_grids_board_is_read_by_its_residents_its_workers_and_staff() {
        let board = |grid: &str| Scope {
            kind: Some(DocKind::Board),
            grid: Some(grid.into()),
            ..Scope::default()
        };
        let mut resident = p(Role::Resident);
        resident.home_grid = Some("g03".into());
        assert!(resident.may_read(&board("g03")));
        assert!(!resident.may_read(&board("g01")));
        assert!(p(Role::GridWorker).may_read(&board("g01")), "works g01");
        assert!(!p(Role::GridWorker).may_read(&board("g02")));
        assert!(p(Role::Staff).may_read(&board("g02")));
        assert!(
            !p(Role::Volunteer).may_read(&board("g01")),
            "lives nowhere known"
        );
    }

    #[test]
    fn everyone_reads_the_community_and_nobody_reads_an_unknown_kind() {
        let c = Scope {
            kind: Some(DocKind::Community),
            ..Scope::default()
        };
        assert!(Role::ALL.iter().all(|r| p(*r).may_read(&c)));
        assert!(!p(Role::Staff).may_read(&Scope::default()));
    }
}
