//! The stable ids of ../shared/design/VOCABULARY.md with their labels for people.
//! Ids never change meaning; labels may be reworded.

/// An id and the words a person reads for it.
pub type Term = (&'static str, &'static str);

/// Kinds of learning (an entry's `kind`).
pub const KINDS: &[Term] = &[
    ("course", "Course or workshop"),
    ("e-learning", "E-learning"),
    ("bite-size", "Bite-size learning"),
    ("reading", "Reading"),
    ("shadowing", "Shadowing"),
    ("supervision", "Supervision"),
    ("peer-discussion", "Peer discussion"),
    ("reflection-on-practice", "Reflection on practice"),
    ("team-learning-session", "Team learning session"),
    ("mentoring", "Mentoring"),
    ("coaching", "Coaching"),
    ("research", "Research"),
    ("conference", "Conference"),
    ("practitioner-forum", "Practitioner forum"),
    ("qualification", "Qualification"),
    ("reflective-account", "Reflective account"),
    ("practice-feedback", "Practice feedback"),
    (
        "reflective-discussion",
        "Reflective discussion (with another registrant)",
    ),
    ("other", "Other"),
];

/// Kinds that are learning with others (NMC's participatory learning).
pub const PARTICIPATORY_KINDS: &[&str] = &[
    "course",
    "shadowing",
    "supervision",
    "peer-discussion",
    "team-learning-session",
    "mentoring",
    "coaching",
    "conference",
    "practitioner-forum",
];

/// The managed topics; people may add free tags beside them.
pub const TOPICS: &[Term] = &[
    (
        "risk-to-vulnerable-groups",
        "Identifying, assessing and managing risk to vulnerable groups",
    ),
    ("child-protection", "Child protection"),
    (
        "adult-support-and-protection",
        "Adult support and protection",
    ),
    ("trauma-informed-practice", "Trauma-informed practice"),
    ("risk-assessment", "Risk assessment"),
    ("mental-health", "Mental health"),
    ("dementia", "Dementia"),
    ("autism", "Autism"),
    ("addictions", "Addictions"),
    ("children-and-families", "Children and families"),
    ("criminal-justice", "Criminal justice"),
    ("self-directed-support", "Self-directed support"),
    ("equality-and-diversity", "Equality and diversity"),
    ("conflict-resolution", "Conflict resolution"),
    ("court-skills", "Court skills"),
    ("motivational-interviewing", "Motivational interviewing"),
    ("stress-and-wellbeing", "Stress and wellbeing"),
    ("law-and-policy", "Law and policy"),
    ("management-and-leadership", "Management and leadership"),
    ("supervision-skills", "Supervision skills"),
    ("practice-education", "Practice education"),
    ("research-and-evaluation", "Research and evaluation"),
    ("digital-skills", "Digital skills"),
    ("moving-and-handling", "Moving and handling"),
    ("fire-safety", "Fire safety"),
    ("first-aid", "First aid"),
    ("data-protection", "Data protection"),
    ("medication", "Medication"),
    ("infection-control", "Infection control"),
];

/// SSSC core learning elements for the social care and children and young people workforces
/// (framework `sssc-cpl-2024-care`).
pub const ELEMENTS_CARE: &[Term] = &[
    ("rights-and-ethics", "Rights based and ethical practice"),
    (
        "communication-and-relationships",
        "Communication and relationships",
    ),
    ("wellbeing-and-support", "Wellbeing and support"),
    ("protection", "Protection"),
    ("knowledge-for-role", "Knowledge for your role"),
    ("reflective-practice", "Reflective practice"),
    ("leadership-and-quality", "Leadership and quality assurance"),
];

/// Social worker elements (framework `sssc-cpl-2024-sw`). Only the first two are confirmed by
/// published sources; the rest follow the published description and must be checked by an
/// administrator against the regulator's current text.
pub const ELEMENTS_SOCIAL_WORK: &[Term] = &[
    (
        "ethics-values-rights",
        "Ethics, values and rights-based practice",
    ),
    (
        "communication-engagement-relationships",
        "Communication, engagement and relationships",
    ),
    ("wellbeing-and-support", "Wellbeing and support"),
    ("protection", "Protection"),
    ("knowledge-for-role", "Knowledge for your role"),
    (
        "self-awareness-and-reflexivity",
        "Self-awareness and reflexivity",
    ),
    ("professional-leadership", "Professional leadership"),
    ("leadership-and-quality", "Leadership and quality assurance"),
];

/// The frameworks of core learning elements an entry can be tagged with: (id, title, elements).
pub const FRAMEWORKS: &[(&str, &str, &[Term])] = &[
    (
        "sssc-cpl-2024-sw",
        "SSSC core learning elements for social workers",
        ELEMENTS_SOCIAL_WORK,
    ),
    (
        "sssc-cpl-2024-care",
        "SSSC core learning elements for social care and children and young people workers",
        ELEMENTS_CARE,
    ),
];

/// Registers (regulators) and `EMP` for an employer's own scope.
pub const REGISTERS: &[Term] = &[
    ("SSSC", "Scottish Social Services Council"),
    ("SWE", "Social Work England"),
    ("SCW", "Social Care Wales"),
    ("NISCC", "Northern Ireland Social Care Council"),
    ("NMC", "Nursing and Midwifery Council"),
    ("HCPC", "Health and Care Professions Council"),
    ("EMP", "Employer"),
];

/// Register parts.
pub const REGISTER_PARTS: &[Term] = &[
    ("social-worker", "Social worker"),
    ("social-care", "Social care"),
    ("children-and-young-people", "Children and young people"),
    ("care-inspectorate-officer", "Care Inspectorate officer"),
    ("care-worker", "Care worker"),
    ("manager", "Manager"),
    ("nurse", "Nurse"),
];

/// What a person may do in cairn (job roles are free text).
pub const ROLES: &[Term] = &[
    ("practitioner", "Practitioner"),
    ("supervisor", "Supervisor"),
    ("ld-lead", "Learning and development lead"),
    ("org-admin", "Organisation administrator"),
    ("auditor", "Auditor"),
];

/// Kinds of organisation in the sector.
pub const ORG_KINDS: &[Term] = &[
    ("local-authority", "Local authority"),
    ("hscp", "Health and social care partnership"),
    ("nhs-board", "NHS board"),
    ("third-sector", "Third sector"),
    ("private-provider", "Private provider"),
];

/// Services a team works in.
pub const SERVICES: &[Term] = &[
    ("adults", "Adults"),
    ("children-and-families", "Children and families"),
    ("justice", "Justice"),
    ("mental-health", "Mental health"),
    ("older-people", "Older people"),
    ("disability", "Disability"),
    ("residential-care", "Residential care"),
    ("care-at-home", "Care at home"),
    ("business-support", "Business support"),
];

/// Localities, the research's categories.
pub const LOCALITIES: &[Term] = &[
    ("urban", "Urban"),
    ("mixed", "Mixed urban and rural"),
    ("rural", "Rural"),
    ("remote", "Remote"),
    ("island", "Island"),
];

/// The words for a core learning element of either workforce (social work or social care),
/// or the id itself when it is an element of the organisation's own.
pub fn element_label(id: &str) -> String {
    label(ELEMENTS_SOCIAL_WORK, id)
        .or_else(|| label(ELEMENTS_CARE, id))
        .map_or_else(|| id.to_owned(), str::to_owned)
}

/// The label of `id` in `terms`, if it is one of them.
pub fn label(terms: &[Term], id: &str) -> Option<&'static str> {
    terms
        .iter()
        .find(|(term, _)| *term == id)
        .map(|(_, label)| *label)
}

/// `Ok(id)` when `id` is one of `terms`, else a message listing what is accepted.
pub fn check(terms: &[Term], id: &str) -> Result<(), String> {
    if label(terms, id).is_some() {
        Ok(())
    } else {
        let accepted: Vec<&str> = terms.iter().map(|(term, _)| *term).collect();
        Err(format!("`{id}` is not one of: {}", accepted.join(", ")))
    }
}

/// A free tag or element id: lower-case letters, digits and hyphens, 1-60 characters.
/// Free text is folded into that form ("Court Skills " becomes `court-skills`).
/// A comma-separated list typed into a form (labels or ids, any case) as vocabulary ids;
/// anything not in the vocabularies is kept as typed, for the draft's own checks to name.
pub fn ids_from_typed(typed: &str, vocabularies: &[&[Term]]) -> Vec<String> {
    typed
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            vocabularies
                .iter()
                .flat_map(|terms| terms.iter())
                .find(|(id, label)| label.eq_ignore_ascii_case(t) || id.eq_ignore_ascii_case(t))
                .map_or_else(|| t.to_owned(), |(id, _)| (*id).to_owned())
        })
        .collect()
}

pub fn slug(text: &str) -> Result<String, String> {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        } else if !(c.is_whitespace() || c == '-' || c == '_') {
            return Err(format!(
                "`{text}` may only hold letters, digits, spaces and hyphens"
            ));
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() || out.chars().count() > 60 {
        return Err(format!("`{text}` must be 1 to 60 characters"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_tags_fold_into_slugs() {
        assert_eq!(slug(" Court Skills "), Ok("court-skills".to_owned()));
        assert_eq!(slug("child-protection"), Ok("child-protection".to_owned()));
        assert!(slug("a|b").is_err());
        assert!(slug("   ").is_err());
    }

    #[test]
    fn ids_are_unique_within_each_vocabulary() {
        for terms in [
            KINDS,
            TOPICS,
            ELEMENTS_CARE,
            ELEMENTS_SOCIAL_WORK,
            REGISTERS,
            REGISTER_PARTS,
            ROLES,
            ORG_KINDS,
            SERVICES,
            LOCALITIES,
        ] {
            let mut ids: Vec<_> = terms.iter().map(|(id, _)| id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), terms.len());
        }
    }

    #[test]
    fn typed_labels_and_ids_become_ids() {
        assert_eq!(
            ids_from_typed(" court skills, dementia ,, Brand new topic", &[TOPICS]),
            ["court-skills", "dementia", "Brand new topic"]
        );
    }
}
