//! Supervision records: a supervisor records a session (individual, group or peer) with the
//! balance of its agenda, the actions agreed (carried from session to session until done) and,
//! between two people, private notes that only those two ever see. Organisations set how often
//! supervision is due; supervisors and L&D leads see who is overdue.

pub mod api;
pub mod pages;
pub mod service;
pub mod shared;
pub mod store;
pub mod team;

use cairn_core::supervision::Frequency;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// Where someone stands for supervision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Due {
    pub person_id: Uuid,
    pub name: String,
    pub team: Option<String>,
    pub supervisor: Option<String>,
    pub newly_qualified: bool,
    pub last_held: Option<Date>,
    pub next_due: Date,
    /// Days past due (0 when not yet due).
    pub days_overdue: i64,
}

/// When each member of staff is due, most overdue first. `every` is (newly qualified, others).
pub fn due_list(staff: Vec<store::StaffSupervision>, every: Frequency, today: Date) -> Vec<Due> {
    let mut seen = std::collections::HashSet::new();
    let mut due: Vec<Due> = staff
        .into_iter()
        .filter(|s| seen.insert(s.id))
        .map(|s| {
            let next = every.next_due(s.last_held, s.start_date, s.newly_qualified);
            Due {
                person_id: s.id,
                name: s.name,
                team: s.team,
                supervisor: s.supervisor,
                newly_qualified: s.newly_qualified,
                last_held: s.last_held,
                next_due: next,
                days_overdue: (today - next).whole_days().max(0),
            }
        })
        .collect();
    due.sort_by(|a, b| {
        a.next_due
            .cmp(&b.next_due)
            .then_with(|| a.name.cmp(&b.name))
    });
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn staff(name: &str, last: Option<Date>, nqsw: bool) -> store::StaffSupervision {
        store::StaffSupervision {
            id: Uuid::now_v7(),
            name: name.into(),
            team: None,
            start_date: date!(2020 - 01 - 01),
            last_held: last,
            newly_qualified: nqsw,
            supervisor: None,
        }
    }

    #[test]
    fn the_newly_qualified_are_due_sooner_and_the_most_overdue_come_first() {
        let today = date!(2026 - 11 - 23);
        let list = due_list(
            vec![
                staff("Monthly, fine", Some(date!(2026 - 11 - 01)), false),
                staff("NQSW, late", Some(date!(2026 - 11 - 01)), true),
                staff("Never", None, false),
            ],
            Frequency {
                newly_qualified_every: 14,
                every: 30,
            },
            today,
        );
        let names: Vec<&str> = list.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Never", "NQSW, late", "Monthly, fine"]);
        assert_eq!(list[1].days_overdue, 8);
        assert_eq!(list[2].days_overdue, 0);
    }
}
