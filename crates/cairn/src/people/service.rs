//! What other features may call in people: the reads and writes they need, given the
//! database (or an open transaction) and the clock's today. Behind this face the store may
//! change freely.

pub use super::store::{
    employee_by_email, employing_orgs, employments_of, get_org, get_person, history_from_in,
    list_teams, people_with_role, person_by_email, recorded_since, registrations_of, roles_of,
    supervisees_of, supervisors_of, team_town, teammates_of,
};
