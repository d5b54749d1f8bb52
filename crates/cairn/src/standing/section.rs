//! The part of the home page that says where the person stands: each requirement in words,
//! what to declare and what waits for them to verify.

use super::declarations::DeclarationStatus;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;
use crate::web::page::long_date;

/// One policy as the home page shows it: the status in words (never by colour alone).
pub struct StandingLine {
    pub policy: String,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub period: Option<String>,
    pub progress: Vec<Progress>,
    /// Training items (mandatory training): each with when it was done and until when.
    pub items: Vec<ItemLine>,
    pub left: Vec<String>,
    /// The declaration form or its state, for policies that ask for a declaration.
    pub declare: Option<DeclareBox>,
}

impl StandingLine {
    pub fn from_result(result: &cairn_core::policy::PolicyResult) -> Self {
        use cairn_core::policy::eval::Status;
        let status_label = match result.status {
            Status::Met => "Met",
            Status::OnTrack => "On track",
            Status::AtRisk => "At risk",
            Status::Overdue => "Overdue",
            Status::NotApplicable => "Does not apply",
            Status::Superseded => "Replaced by a newer rule",
            Status::NotRecorded => "Before this record began",
        };
        let period = result.current.as_ref().map(|p| {
            let last = p.end.previous_day().unwrap_or(p.end);
            format!("This period: {} to {}", long_date(p.start), long_date(last))
        });
        let progress = result
            .current
            .iter()
            .flat_map(|p| &p.rules)
            .filter(|rule| rule.kind != "declaration")
            .map(Progress::of)
            .collect();
        StandingLine {
            policy: result.policy.clone(),
            title: result.title.clone(),
            status: result.status.as_str(),
            status_label,
            period,
            progress,
            items: result.items.iter().map(ItemLine::of).collect(),
            left: result.explanation.clone(),
            declare: None,
        }
    }
}

/// One item of training as the home page lists it.
pub struct ItemLine {
    pub title: String,
    /// "Completed 3 March 2025, valid until 3 March 2026", or "Not completed yet".
    pub when: String,
    pub status: &'static str,
}

impl ItemLine {
    fn of(item: &cairn_core::policy::eval::ItemResult) -> Self {
        let title = cairn_core::vocabulary::label(cairn_core::vocabulary::TOPICS, &item.id)
            .map_or_else(
                || {
                    let mut words = item.id.replace('-', " ");
                    if let Some(first) = words.get(0..1) {
                        let upper = first.to_uppercase();
                        words.replace_range(0..1, &upper);
                    }
                    words
                },
                str::to_owned,
            );
        let when = match (item.completed_on, item.valid_until) {
            (Some(done), Some(until)) => format!(
                "Completed {}, valid until {}",
                long_date(done),
                long_date(until.previous_day().unwrap_or(until))
            ),
            (Some(done), None) => format!("Completed {}", long_date(done)),
            (None, _) => "Not completed yet".to_owned(),
        };
        Self {
            title,
            when,
            status: item.status.as_str(),
        }
    }
}

/// One rule's progress: its name, the numbers in words and how far along it is (a bar).
pub struct Progress {
    pub title: String,
    /// "52 of 90 hours", "1 of 2".
    pub words: String,
    pub percent: u8,
    pub met: bool,
}

impl Progress {
    fn of(rule: &cairn_core::policy::eval::RuleResult) -> Self {
        use cairn_core::policy::eval::Amount;
        // "52 of 90 hours" while short; "95 hours (90 needed)" once there, which "95 of 90"
        // would say badly.
        let unit = |a: Amount| match a {
            Amount::Hours(h) if h == cairn_core::Hours::from_whole(1) => " hour",
            Amount::Hours(_) => " hours",
            Amount::Whole(_) => "",
        };
        let (done, of) = (rule.achieved, rule.required);
        let words = if rule.met {
            format!("{}{} ({} needed)", amount(done), unit(done), amount(of))
        } else {
            format!("{} of {}{}", amount(done), amount(of), unit(of))
        };
        Self {
            title: rule.title.clone(),
            words,
            percent: rule.percent(),
            met: rule.met,
        }
    }
}

fn amount(a: cairn_core::policy::eval::Amount) -> String {
    match a {
        cairn_core::policy::eval::Amount::Hours(h) => h.to_string(),
        cairn_core::policy::eval::Amount::Whole(n) => n.to_string(),
    }
}

/// A policy's declaration on the home page: its state, and the form while one can be made.
pub struct DeclareBox {
    pub policy: String,
    pub state: Option<String>,
    pub can_declare: bool,
    pub role: String,
    /// (id, name) of the people who may verify it.
    pub verifiers: Vec<(String, String)>,
}

/// A declaration waiting for the signed-in person to verify it.
pub struct WaitingLine {
    pub id: String,
    pub person_name: String,
    pub policy: String,
    pub period: String,
}

/// The home page's "Where you stand" section.
pub struct StandingSection {
    pub lines: Vec<StandingLine>,
    /// When the standing above was computed, in words (it is kept as the record changes).
    pub computed: Option<String>,
    pub waiting: Vec<WaitingLine>,
    pub notice: Option<&'static str>,
    pub csrf: String,
}

/// Builds the section for the signed-in person: standing, declaration forms, verifications.
pub async fn standing_section(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<&'static str>,
) -> Result<StandingSection, AppError> {
    use cairn_core::policy::eval::Status;
    let today = state.clock.today();
    let report = super::standing_of(&state.db, user.person_id, today, state.clock.now()).await?;
    let mine = super::declarations::for_person(&state.db, user.person_id).await?;
    let employers =
        crate::people::service::employing_orgs(&state.db, user.person_id, today).await?;
    let mut lines = Vec::new();
    for result in report
        .iter()
        .flat_map(|r| &r.results)
        .filter(|r| r.status != Status::NotApplicable)
    {
        let mut line = StandingLine::from_result(result);
        let declaration_rule = result.current.as_ref().and_then(|p| {
            p.rules
                .iter()
                .find(|r| r.kind == "declaration")
                .map(|r| (p, r))
        });
        if let Some((period, rule)) = declaration_rule {
            let existing = mine
                .iter()
                .find(|d| d.policy_id == result.policy && d.period_start == period.start);
            let role =
                super::declare::declaration_role(state, user.person_id, &result.policy, today)
                    .await?
                    .flatten();
            let mut verifiers = Vec::new();
            let own_supervisors =
                crate::people::service::supervisors_of(&state.db, user.person_id).await?;
            if let Some(role) = &role {
                for org in &employers {
                    for (id, name) in
                        crate::people::service::people_with_role(&state.db, *org, role).await?
                    {
                        if id != user.person_id {
                            verifiers.push((id, name));
                        }
                    }
                }
            }
            // The person's own supervisors come first, so the usual choice is the default.
            verifiers.sort_by_key(|(id, name)| (!own_supervisors.contains(id), name.clone()));
            let verifiers = verifiers
                .into_iter()
                .map(|(id, name)| (id.to_string(), name))
                .collect();
            let state_text = existing.map(|d| match d.status {
                DeclarationStatus::AwaitingVerification => {
                    "Declared: waiting for verification.".to_owned()
                }
                DeclarationStatus::Verified => "Declared and verified.".to_owned(),
                DeclarationStatus::Returned => {
                    format!("Returned: {}", d.comment.clone().unwrap_or_default())
                }
                DeclarationStatus::Declared => "Declared.".to_owned(),
            });
            // Only once every other requirement of the period holds; until then the lines
            // above say what is left.
            let can_declare = !rule.met
                && period.left_before_declaring().is_empty()
                && existing.is_none_or(|d| d.status == DeclarationStatus::Returned);
            line.declare = Some(DeclareBox {
                policy: result.policy.clone(),
                state: state_text,
                can_declare,
                role: role.unwrap_or_default(),
                verifiers,
            });
        }
        lines.push(line);
    }
    let mut waiting = Vec::new();
    for declaration in super::declarations::awaiting(&state.db, user.person_id).await? {
        let person_name = crate::people::service::get_person(&state.db, declaration.person_id)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        let last = declaration
            .period_end
            .previous_day()
            .unwrap_or(declaration.period_end);
        waiting.push(WaitingLine {
            id: declaration.id.to_string(),
            person_name,
            policy: declaration.policy_id,
            period: format!(
                "{} to {}",
                long_date(declaration.period_start),
                long_date(last)
            ),
        });
    }
    // The kept lines say when this standing was judged; their status is the one every
    // report shows, so the home page shows it too.
    let kept = super::kept::of_person(&state.db, user.person_id).await?;
    let kept_today: Vec<_> = kept.iter().filter(|l| l.as_of == today).collect();
    for line in &mut lines {
        if let Some(kept) = kept_today.iter().find(|k| k.policy_id == line.policy) {
            line.status = super::kept::stored_status(&kept.status);
            line.status_label = super::kept::label_of(line.status);
        }
    }
    let computed = kept_today.iter().map(|l| l.computed_at).min().map(|at| {
        format!(
            "Computed {}, and kept up to date as your record changes.",
            crate::web::page::ago(at, state.clock.now())
        )
    });
    Ok(StandingSection {
        lines,
        computed,
        waiting,
        notice,
        csrf: user.csrf.clone(),
    })
}
