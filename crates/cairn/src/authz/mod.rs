//! Authorisation, decided in one place from role and organisation.
//!
//! Handlers load the facts a decision needs (who employs the person, who supervises them)
//! and ask [`authorize`]; nothing else grants access. A person's record belongs to them; an
//! organisation sees it only while it employs them. What a person may not see is reported
//! as not found, so that other organisations' data does not even reveal that it exists.

pub mod store;

use crate::auth::CurrentUser;
use crate::db::Db;
use crate::web::AppError;
use cairn_core::Role;
use uuid::Uuid;

/// What is known about the person whose record is asked for.
#[derive(Debug, Clone)]
pub struct PersonFacts {
    pub person_id: Uuid,
    /// Organisations employing the person today.
    pub employing_orgs: Vec<Uuid>,
    /// People named as the person's supervisors.
    pub supervisors: Vec<Uuid>,
}

/// Loads what authorisation needs to know about a person, as of `today`.
pub async fn facts(
    db: &Db,
    person_id: Uuid,
    today: time::Date,
) -> Result<PersonFacts, sqlx::Error> {
    Ok(PersonFacts {
        person_id,
        employing_orgs: store::employing_orgs(db, person_id, today).await?,
        supervisors: store::supervisors_of(db, person_id).await?,
    })
}

/// Something a signed-in person wants to do.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Read or change their own record.
    OwnRecord,
    /// Read another person's record (read-only).
    ReadRecordOf(&'a PersonFacts),
    /// See an organisation: its teams and the people it employs.
    ViewOrganisation(Uuid),
    /// Add or change people, teams and roles in an organisation.
    AdministerOrganisation(Uuid),
    /// Define the organisation's own requirement policies (mandatory training).
    ManagePolicies(Uuid),
    /// Offer learning in the catalogue, and run its sessions (bookings, attendance).
    ManageCatalogue(Uuid),
    /// Approve or refuse a booking request at a stage: 1 is the line manager (a supervisor
    /// of the person, or the employer's L&D lead or administrator when they have none);
    /// 2 is the employer's L&D lead or administrator.
    ApproveBooking(&'a PersonFacts, i64),
    /// Put someone forward for learning: their supervisor, or their employer's L&D lead or
    /// administrator.
    Nominate(&'a PersonFacts),
    /// Budgets, the allowance and the spend report of an organisation.
    ManageSpend(Uuid),
    /// Record supervision with the person: their supervisor, in an organisation employing them.
    Supervise(&'a PersonFacts),
    /// See who is overdue for supervision across an organisation, and set how often it is due.
    OverseeSupervision(Uuid),
}

/// Whether the user manages learning (L&D lead or administrator) in an organisation that
/// employs the person.
fn manages_learning_of(user: &CurrentUser, facts: &PersonFacts) -> bool {
    facts
        .employing_orgs
        .iter()
        .any(|org| user.has_role(*org, Role::LdLead) || user.has_role(*org, Role::OrgAdmin))
}

/// Whether the user supervises the person in an organisation that employs them.
fn supervises(user: &CurrentUser, facts: &PersonFacts) -> bool {
    facts.supervisors.contains(&user.person_id)
        && facts
            .employing_orgs
            .iter()
            .any(|org| user.has_role(*org, Role::Supervisor))
}

/// `Ok` when `user` may do `action`; otherwise `NotFound` (or `Forbidden` inside their own
/// organisation, where existence is no secret).
pub fn authorize(user: &CurrentUser, action: Action<'_>) -> Result<(), AppError> {
    let allowed = match action {
        Action::OwnRecord => true,
        Action::ReadRecordOf(facts) => {
            facts.person_id == user.person_id
                || facts.employing_orgs.iter().any(|org| {
                    user.reads_org_wide(*org)
                        || (user.has_role(*org, Role::Supervisor)
                            && facts.supervisors.contains(&user.person_id))
                })
        }
        Action::ViewOrganisation(org) => user
            .roles
            .iter()
            .any(|grant| grant.org_id == org && grant.role != Role::Practitioner),
        Action::AdministerOrganisation(org) => user.has_role(org, Role::OrgAdmin),
        Action::ManagePolicies(org)
        | Action::ManageCatalogue(org)
        | Action::ManageSpend(org)
        | Action::OverseeSupervision(org) => {
            user.has_role(org, Role::LdLead) || user.has_role(org, Role::OrgAdmin)
        }
        Action::ApproveBooking(facts, stage) => {
            facts.person_id != user.person_id
                && match stage {
                    1 if facts.supervisors.is_empty() => manages_learning_of(user, facts),
                    1 => supervises(user, facts),
                    2 => manages_learning_of(user, facts),
                    _ => false,
                }
        }
        Action::Supervise(facts) => facts.person_id != user.person_id && supervises(user, facts),
        Action::Nominate(facts) => {
            facts.person_id != user.person_id
                && (supervises(user, facts) || manages_learning_of(user, facts))
        }
    };
    if allowed {
        return Ok(());
    }
    let member_of = |org: Uuid| user.roles.iter().any(|grant| grant.org_id == org);
    match action {
        Action::ViewOrganisation(org)
        | Action::AdministerOrganisation(org)
        | Action::ManagePolicies(org)
        | Action::ManageCatalogue(org)
        | Action::ManageSpend(org)
        | Action::OverseeSupervision(org)
            if member_of(org) =>
        {
            Err(AppError::Forbidden)
        }
        _ => Err(AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Via;
    use cairn_core::RoleGrant;

    fn user(roles: &[(Uuid, &str)]) -> CurrentUser {
        CurrentUser {
            person_id: Uuid::now_v7(),
            name: "A".into(),
            email: "a@example.org".into(),
            csrf: String::new(),
            via: Via::Bearer,
            roles: roles
                .iter()
                .map(|(org_id, role)| RoleGrant {
                    org_id: *org_id,
                    role: role.parse().expect("a role id"),
                })
                .collect(),
            token_hash: String::new(),
        }
    }

    #[test]
    fn a_supervisor_reads_only_their_supervisees_in_their_organisation() {
        let org = Uuid::now_v7();
        let supervisor = user(&[(org, "supervisor")]);
        let supervisee = PersonFacts {
            person_id: Uuid::now_v7(),
            employing_orgs: vec![org],
            supervisors: vec![supervisor.person_id],
        };
        let colleague = PersonFacts {
            person_id: Uuid::now_v7(),
            employing_orgs: vec![org],
            supervisors: vec![],
        };
        assert!(authorize(&supervisor, Action::ReadRecordOf(&supervisee)).is_ok());
        assert!(matches!(
            authorize(&supervisor, Action::ReadRecordOf(&colleague)),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn an_employer_loses_sight_of_a_record_when_employment_ends() {
        let org = Uuid::now_v7();
        let lead = user(&[(org, "ld-lead")]);
        let employed = PersonFacts {
            person_id: Uuid::now_v7(),
            employing_orgs: vec![org],
            supervisors: vec![],
        };
        let left = PersonFacts {
            employing_orgs: vec![],
            ..employed.clone()
        };
        assert!(authorize(&lead, Action::ReadRecordOf(&employed)).is_ok());
        assert!(authorize(&lead, Action::ReadRecordOf(&left)).is_err());
    }

    #[test]
    fn the_line_manager_approves_first_then_learning_and_development() {
        let org = Uuid::now_v7();
        let manager = user(&[(org, "supervisor")]);
        let lead = user(&[(org, "ld-lead")]);
        let elsewhere = user(&[(Uuid::now_v7(), "ld-lead")]);
        let supervised = PersonFacts {
            person_id: Uuid::now_v7(),
            employing_orgs: vec![org],
            supervisors: vec![manager.person_id],
        };
        assert!(authorize(&manager, Action::ApproveBooking(&supervised, 1)).is_ok());
        assert!(authorize(&manager, Action::ApproveBooking(&supervised, 2)).is_err());
        assert!(authorize(&lead, Action::ApproveBooking(&supervised, 1)).is_err());
        assert!(authorize(&lead, Action::ApproveBooking(&supervised, 2)).is_ok());
        assert!(authorize(&elsewhere, Action::ApproveBooking(&supervised, 2)).is_err());
        // Nobody supervises them: learning and development stands in as line manager.
        let unsupervised = PersonFacts {
            supervisors: vec![],
            ..supervised.clone()
        };
        assert!(authorize(&lead, Action::ApproveBooking(&unsupervised, 1)).is_ok());
        // Never your own request, whatever your roles.
        let own = PersonFacts {
            person_id: lead.person_id,
            ..unsupervised.clone()
        };
        assert!(authorize(&lead, Action::ApproveBooking(&own, 2)).is_err());
        assert!(authorize(&manager, Action::Nominate(&supervised)).is_ok());
        assert!(authorize(&elsewhere, Action::Nominate(&supervised)).is_err());
    }

    #[test]
    fn roles_in_one_organisation_give_nothing_in_another() {
        let (mine, theirs) = (Uuid::now_v7(), Uuid::now_v7());
        let admin = user(&[(mine, "org-admin")]);
        let stranger = PersonFacts {
            person_id: Uuid::now_v7(),
            employing_orgs: vec![theirs],
            supervisors: vec![],
        };
        assert!(matches!(
            authorize(&admin, Action::ReadRecordOf(&stranger)),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            authorize(&admin, Action::ViewOrganisation(theirs)),
            Err(AppError::NotFound)
        ));
        assert!(authorize(&admin, Action::AdministerOrganisation(mine)).is_ok());
        let lead = user(&[(mine, "ld-lead")]);
        assert!(authorize(&lead, Action::ManagePolicies(mine)).is_ok());
        assert!(matches!(
            authorize(&lead, Action::ManagePolicies(theirs)),
            Err(AppError::NotFound)
        ));
        let practitioner = user(&[(mine, "practitioner")]);
        assert!(matches!(
            authorize(&practitioner, Action::ManagePolicies(mine)),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            authorize(&practitioner, Action::AdministerOrganisation(mine)),
            Err(AppError::Forbidden)
        ));
    }
}
