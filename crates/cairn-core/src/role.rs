//! What a person may do in cairn, in an organisation: the roles of VOCABULARY.md as a type.
//! Stored and sent as their ids (`ld-lead`); parsed once at the edge.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A role held in an organisation (job roles are free text and not this).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Practitioner,
    Supervisor,
    LdLead,
    OrgAdmin,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Practitioner,
        Role::Supervisor,
        Role::LdLead,
        Role::OrgAdmin,
        Role::Auditor,
    ];
    /// The roles that read the whole organisation's records and reports.
    pub const ORG_WIDE_READERS: [Role; 3] = [Role::OrgAdmin, Role::LdLead, Role::Auditor];

    /// The stable id (`ld-lead`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::Supervisor => "supervisor",
            Role::LdLead => "ld-lead",
            Role::OrgAdmin => "org-admin",
            Role::Auditor => "auditor",
        }
    }

    /// The words a person reads for it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Practitioner => "Practitioner",
            Role::Supervisor => "Supervisor",
            Role::LdLead => "Learning and development lead",
            Role::OrgAdmin => "Organisation administrator",
            Role::Auditor => "Auditor",
        }
    }

    /// Whether the role reads everyone's records in its organisation.
    pub fn reads_org_wide(self) -> bool {
        Self::ORG_WIDE_READERS.contains(&self)
    }

    /// Whether the role runs learning for others (offers, nominates, approves).
    pub fn arranges_learning(self) -> bool {
        matches!(self, Role::Supervisor | Role::LdLead | Role::OrgAdmin)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role id that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a role; use one of practitioner, supervisor, ld-lead, org-admin, auditor")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A role a person holds in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoleGrant {
    pub org_id: Uuid,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_id_and_matches_the_vocabulary() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(
                crate::vocabulary::label(crate::vocabulary::ROLES, role.as_str()),
                Some(role.label())
            );
        }
        assert_eq!(crate::vocabulary::ROLES.len(), Role::ALL.len());
        let err = "admin".parse::<Role>().expect_err("not a role");
        assert!(err.to_string().contains("ld-lead"), "{err}");
    }
}
