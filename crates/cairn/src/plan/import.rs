//! The individual learning plan from a qualifying programme, imported as a person's first
//! development plan: a CSV with the columns `what, why, how, by_when, elements` (elements
//! separated by semicolons). Every line is checked; any problem is reported by line and
//! nothing is imported.

use cairn_core::plan::{GoalDraft, ValidGoal};

/// The columns, in order.
pub const COLUMNS: &[&str] = &["what", "why", "how", "by_when", "elements"];

/// The goals in the file, or one message per problem, naming its line.
pub fn goals_from_csv(text: &str) -> Result<Vec<ValidGoal>, Vec<String>> {
    let file = crate::web::spreadsheet::SpreadsheetCsv::new(text);
    let mut reader = file.reader();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(_) => return Err(vec!["The file is not a CSV file".into()]),
    };
    if header != COLUMNS {
        return Err(vec![format!(
            "line 1: the columns must be {} (found {})",
            COLUMNS.join(", "),
            header.join(", ")
        )]);
    }
    let mut goals = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        // A quoted cell may hold line breaks: the line is where the record starts.
        let line = match &record {
            Ok(r) => r.position().map_or(i as u64 + 2, csv::Position::line),
            Err(e) => e.position().map_or(i as u64 + 2, csv::Position::line),
        };
        let record = match record {
            Ok(r) if r.len() == COLUMNS.len() => r,
            Ok(r) => {
                problems.push(format!(
                    "line {line}: {} columns; expected {}",
                    r.len(),
                    COLUMNS.len()
                ));
                continue;
            }
            Err(_) => {
                problems.push(format!("line {line}: cannot be read"));
                continue;
            }
        };
        if let Some((column, c)) = COLUMNS
            .iter()
            .zip(record.iter())
            .find_map(|(column, value)| {
                crate::web::text_guard::forbidden_char(value).map(|c| (column, c))
            })
        {
            problems.push(format!(
                "line {line}: {column} {}",
                crate::web::text_guard::message(c)
            ));
            continue;
        }
        let draft = GoalDraft {
            what: Some(record[0].to_owned()),
            why: record[1].to_owned(),
            how: record[2].to_owned(),
            // Day-first dates as UK spreadsheets write them, for the plan's own reading.
            by_when: Some(
                crate::web::spreadsheet::parse_date(&record[3])
                    .map_or_else(|| record[3].to_owned(), |date| date.to_string()),
            ),
            elements: record[4]
                .split(';')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            status: None,
        };
        match draft.validate() {
            Ok(goal) => goals.push(goal),
            Err(errors) => problems.extend(
                errors
                    .0
                    .into_iter()
                    .map(|e| format!("line {line}: {}: {}", e.field, e.message)),
            ),
        }
    }
    if goals.is_empty() && problems.is_empty() {
        problems.push("The file has no goals under its header line".into());
    }
    if problems.is_empty() {
        Ok(goals)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_is_read_or_every_problem_named_by_line() {
        let good = "\u{feff}what,why,how,by_when,elements\nCourt skills,Hearings,Course,2027-06-30,knowledge-for-role; protection\n";
        let goals = goals_from_csv(good).expect("valid");
        assert_eq!(goals[0].elements, ["knowledge-for-role", "protection"]);
        let bad = "what,why,how,by_when,elements\n,x,y,2027-01-01,\nOk,a,b,someday,\nshort,row\n";
        let problems = goals_from_csv(bad).expect_err("invalid");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("line 2: what"));
        assert!(problems[1].starts_with("line 3: by_when"));
        assert!(problems[2].starts_with("line 4: 2 columns"));
        assert!(
            goals_from_csv("name,email\n").expect_err("wrong columns")[0].starts_with("line 1")
        );
    }

    #[test]
    fn a_plan_saved_by_excel_is_read_with_its_lines_right() {
        // CRLF, a byte-order mark, semicolons, day-first dates and a cell over two lines.
        let file = "\u{feff}what;why;how;by_when;elements\r\n\
            Court skills;\"Hearings\r\nnext year\";Course;30/06/2027;protection\r\n\
            ;x;y;1/7/2027;\r\n";
        let problems = goals_from_csv(file).expect_err("the second goal has no what");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("line 4: what"), "{problems:?}");
        let good = "what;why;how;by_when;elements\r\nCourt skills;Hearings;Course;30/06/2027;\r\n";
        let goals = goals_from_csv(good).expect("valid");
        assert_eq!(goals.len(), 1);
        assert_eq!(goals[0].by_when, time::macros::date!(2027 - 06 - 30));
    }
}
