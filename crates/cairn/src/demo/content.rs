//! Believable learning for the demo: titles, kinds, topics, elements and reflections drawn
//! from what the research says social workers and care workers actually do.

use cairn_core::vocabulary;

/// A kind of person, which decides how much and what sort of learning they record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    SocialWorker,
    CareWorker,
    Nurse,
}

/// Topics social workers learn about most.
pub const SOCIAL_WORK_TOPICS: &[&str] = &[
    "risk-to-vulnerable-groups",
    "child-protection",
    "adult-support-and-protection",
    "trauma-informed-practice",
    "mental-health",
    "law-and-policy",
    "court-skills",
    "self-directed-support",
    "motivational-interviewing",
    "addictions",
    "children-and-families",
    "criminal-justice",
    "supervision-skills",
    "research-and-evaluation",
    "equality-and-diversity",
    "stress-and-wellbeing",
];

/// Care workers' mandatory training, with how often it is renewed (years).
pub const MANDATORY: &[(&str, &str, u32)] = &[
    ("moving-and-handling", "Moving and handling refresher", 1),
    ("fire-safety", "Fire safety awareness", 1),
    ("infection-control", "Infection prevention and control", 1),
    ("data-protection", "Data protection and confidentiality", 1),
    ("medication", "Safe administration of medication", 1),
    ("first-aid", "Emergency first aid at work", 3),
    (
        "adult-support-and-protection",
        "Adult support and protection: level 1",
        3,
    ),
    ("child-protection", "Child protection awareness", 3),
];

/// Short learning a care worker fits between visits.
pub const BITE_SIZE: &[(&str, &str)] = &[
    (
        "dementia",
        "Seven minutes on communicating with people living with dementia",
    ),
    (
        "stress-and-wellbeing",
        "Looking after yourself on a long shift",
    ),
    (
        "equality-and-diversity",
        "Person-centred care and cultural needs",
    ),
    (
        "trauma-informed-practice",
        "Trauma-informed practice: the basics",
    ),
    ("autism", "Supporting autistic adults at home"),
    ("mental-health", "Recognising low mood in older people"),
    ("digital-skills", "Using the care planning app"),
    ("conflict-resolution", "Calming a tense conversation"),
];

/// A title for learning of `kind` on `topic`, varied by `pick`.
pub fn title(kind: &str, topic: &str, pick: usize) -> String {
    let label = vocabulary::label(vocabulary::TOPICS, topic).unwrap_or("practice");
    let choices: &[&str] = match kind {
        "course" => &[
            "{}: one-day course",
            "{}: two-day workshop",
            "Introduction to {}",
            "{} for experienced practitioners",
        ],
        "e-learning" => &[
            "{}: e-learning module",
            "Online module on {}",
            "{} refresher (online)",
        ],
        "reading" => &[
            "Reading: recent research on {}",
            "Read the practice guidance on {}",
            "Journal article on {}",
        ],
        "shadowing" => &[
            "Shadowed a senior colleague: {}",
            "Shadowing visit focused on {}",
        ],
        "supervision" => &[
            "Supervision: reflecting on {}",
            "Supervision with my team manager ({})",
        ],
        "peer-discussion" => &[
            "Case discussion with colleagues: {}",
            "Peer discussion on {}",
        ],
        "reflection-on-practice" => &[
            "Reflecting on a home visit: {}",
            "Reflection on a difficult case ({})",
        ],
        "team-learning-session" => &["Team learning session: {}", "Team case study on {}"],
        "research" => &["Researched {} for a case", "Literature search on {}"],
        "conference" => &[
            "Annual conference: {} stream",
            "Practitioner conference on {}",
        ],
        "practitioner-forum" => &["Practitioner forum: {}"],
        "mentoring" => &["Mentoring session on {}"],
        _ => &["Learning about {}"],
    };
    let template = choices[pick % choices.len()];
    // Mid-sentence, a topic reads in lower case ("a two-day workshop on mental health").
    let label = if template.starts_with("{}") {
        label.to_owned()
    } else {
        lower_first(label)
    };
    let text = template.replacen("{}", &label, 1);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

const WHAT: &[&str] = &[
    "We worked through a case where a family's circumstances had changed quickly and the risks were not obvious at first.",
    "The session covered the legal framework and how it applies when someone's capacity to decide fluctuates.",
    "I visited a man living alone who had stopped engaging with services after a bereavement.",
    "The trainer used real examples from island and rural teams where help can be hours away.",
    "We discussed how to record decisions so that the reasons are clear to someone reading them later.",
    "A colleague described how she builds trust with young people who have had many workers.",
];
const SO_WHAT: &[&str] = &[
    "It made me notice how often I rely on what a family tells me without checking with other agencies.",
    "I realised I had been treating the assessment as a form to complete rather than a conversation.",
    "It challenged my assumption that a quiet household is a safe one.",
    "I saw that my notes describe what happened but not always why I decided what I did.",
    "It helped me understand the pressure carers are under and how that shows up at a visit.",
];
const NOW_WHAT: &[&str] = &[
    "I will bring one case to supervision each month to look at risk together with my manager.",
    "I have started writing a short rationale after each significant decision.",
    "I will use the three-question check-in at the start of my visits.",
    "I plan to share the guidance with my team at our next meeting.",
    "I will ask for feedback from the people I support about how our conversations feel to them.",
];

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A three-part reflection, varied by `pick`.
pub fn reflection(pick: usize) -> (String, String, String) {
    (
        WHAT[pick % WHAT.len()].to_owned(),
        SO_WHAT[(pick / 7) % SO_WHAT.len()].to_owned(),
        NOW_WHAT[(pick / 13) % NOW_WHAT.len()].to_owned(),
    )
}

/// Given names and family names for synthetic people (no real individuals).
pub const GIVEN: &[&str] = &[
    "Ailsa",
    "Morag",
    "Iain",
    "Callum",
    "Fiona",
    "Eilidh",
    "Ruaridh",
    "Kirsty",
    "Duncan",
    "Catriona",
    "Hamish",
    "Isla",
    "Niamh",
    "Amir",
    "Priya",
    "Tomasz",
    "Agnieszka",
    "Chidi",
    "Grace",
    "Liam",
    "Sophie",
    "Euan",
    "Mairi",
    "Kenneth",
    "Shona",
    "Fraser",
    "Rhona",
    "Ewan",
    "Jamal",
    "Leah",
];
pub const FAMILY: &[&str] = &[
    "MacLeod",
    "Campbell",
    "Stewart",
    "Morrison",
    "MacDonald",
    "Fraser",
    "Robertson",
    "Murray",
    "Paterson",
    "Reid",
    "Henderson",
    "Ross",
    "Sinclair",
    "Nowak",
    "Okafor",
    "Khan",
    "Patel",
    "Mackay",
    "Gillies",
    "Munro",
    "Shaw",
    "Watt",
    "Bell",
    "Kerr",
    "Grant",
];
