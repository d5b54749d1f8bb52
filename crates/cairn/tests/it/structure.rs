//! The floor plan of `crates/cairn/src`, checked so that it holds without review: files are
//! nodes, `crate::…` and `super::…` paths are arrows. A feature is reached through its types
//! (`mod.rs`), its `service` and its `store`, never through another feature's `api` or
//! `pages`; nothing but the command line imports the server; there are no import circles;
//! and arrows that run up the layers are the few named in docs/ARCHITECTURE.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules from the bottom of the tree to the top. A module may use those
/// before it; a new module must be placed here (the test says so).
const LAYERS: &[&str] = &[
    // Plumbing.
    "zone",
    "clock",
    "db",
    "config",
    "web",
    "app",
    // Who is asking, what they may do, queued work and notifications.
    "auth",
    "authz",
    "jobs",
    "notifications",
    // Features, each using only those before it.
    "people",
    "learning",
    "standing",
    "record",
    "catalogue",
    "endorsement",
    "evaluation",
    "spend",
    "supervision",
    "plan",
    "nqsw",
    // Compositions of several features.
    "reminders",
    "calendar",
    "booking",
    "home",
    // The top: housekeeping, the worker, the demo, the server and the command line.
    "ops",
    "worker",
    "demo",
    "server",
    "cli",
    "",
];

/// Arrows that run up the layers, each explained in docs/ARCHITECTURE.md (file -> module).
const UPWARD: &[&str] = &[
    "catalogue::shared -> evaluation",
    "learning::store -> standing",
    "learning::views -> standing",
    "people::store -> standing",
    "standing -> record",
    "supervision::pages::my_team -> nqsw",
];

/// Features and compositions (their `api`, `pages` and `store` are theirs alone): the
/// layers from `auth` to `home`, but for `authz`, which is plumbing every feature asks.
fn is_feature(module: &str) -> bool {
    let at = |name: &str| LAYERS.iter().position(|m| *m == name);
    let (Some(from), Some(to), Some(here)) = (at("auth"), at("home"), at(module)) else {
        return false;
    };
    (from..=to).contains(&here) && module != "authz"
}

/// The top of the tree, which may reach any feature's store (the command line, the demo's
/// bulk loader, housekeeping, the worker, the server).
const TOP: &[&str] = &["ops", "worker", "demo", "server", "cli", ""];

/// Pages made of several features.
const COMPOSITIONS: &[&str] = &["reminders", "calendar", "booking", "home"];

struct Tree {
    /// Module path ("people::pages::admin"; "" for lib.rs) -> its arrows (module paths).
    arrows: BTreeMap<String, BTreeSet<String>>,
}

pub(crate) fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// "people/pages/admin.rs" -> "people::pages::admin"; "people/mod.rs" -> "people".
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file
        .strip_prefix(root)
        .expect("under src")
        .with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The source without comments, string literals and `#[cfg(test)]` modules (tests may
/// reach anywhere).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        for item in tree.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let item = item.split(" as ").next().unwrap_or(item).trim();
            out.push(format!("{prefix}{item}"));
        }
        return;
    };
    let head = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0;
    let mut start = 0;
    let mut items = Vec::new();
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    for item in items {
        let item = item.trim();
        if item == "self" {
            out.push(format!("{prefix}{}", head.trim_end_matches("::")));
        } else if !item.is_empty() {
            expand(item, &format!("{prefix}{head}"), out);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Tree {
    fn read() -> Tree {
        let root = src();
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        let modules: BTreeMap<String, PathBuf> = files
            .iter()
            .map(|f| (module_of(&root, f), f.clone()))
            .collect();
        // What lib.rs re-exports at the crate root.
        let roots: BTreeMap<&str, &str> = [
            ("Db", "db"),
            ("Clock", "clock"),
            ("Config", "config"),
            ("AppState", "app"),
        ]
        .into_iter()
        .collect();
        let resolve = |path: &str| -> Option<String> {
            let parts: Vec<&str> = path.split("::").collect();
            if let Some(module) = parts.first().and_then(|p| roots.get(p)) {
                return Some((*module).to_owned());
            }
            (1..=parts.len())
                .rev()
                .map(|n| parts[..n].join("::"))
                .find(|m| modules.contains_key(m))
        };
        let mut arrows = BTreeMap::new();
        for (module, file) in &modules {
            let code = code_of(&std::fs::read_to_string(file).expect("read"));
            // `super` of a mod.rs is its folder's parent; of a file, its folder.
            let own: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
            let parent: Vec<&str> = if own.is_empty() {
                Vec::new()
            } else {
                own[..own.len() - 1].to_vec()
            };
            let absolute = |path: &str| -> Option<String> {
                if let Some(rest) = path.strip_prefix("crate::") {
                    return Some(rest.to_owned());
                }
                let (mut base, mut rest) = if let Some(rest) = path.strip_prefix("super::") {
                    (parent.clone(), rest)
                } else if let Some(rest) = path.strip_prefix("self::") {
                    (own.clone(), rest)
                } else {
                    return None;
                };
                while let Some(more) = rest.strip_prefix("super::") {
                    base.pop();
                    rest = more;
                }
                base.push(rest);
                Some(base.join("::"))
            };
            let mut paths = Vec::new();
            // `use` trees.
            let mut search = code.as_str();
            while let Some(at) = search.find("use ") {
                let before = search[..at].chars().next_back();
                let rest = &search[at + 4..];
                search = rest;
                if before.is_some_and(is_ident) {
                    continue;
                }
                let Some(end) = rest.find(';') else { break };
                let tree: String = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
                if tree.starts_with("crate::")
                    || tree.starts_with("super::")
                    || tree.starts_with("self::")
                {
                    expand(&tree, "", &mut paths);
                }
            }
            // Paths written inline: `crate::people::store::get_person(…)`.
            for start in ["crate::", "super::"] {
                let mut from = 0;
                while let Some(found) = code[from..].find(start) {
                    let at = from + found;
                    from = at + start.len();
                    if code[..at].chars().next_back().is_some_and(is_ident) {
                        continue;
                    }
                    let path: String = code[at..]
                        .chars()
                        .take_while(|c| is_ident(*c) || *c == ':')
                        .collect();
                    paths.push(path.trim_end_matches(':').to_owned());
                }
            }
            let targets: BTreeSet<String> = paths
                .iter()
                .filter_map(|p| absolute(p))
                .filter_map(|p| resolve(&p))
                .filter(|t| t != module)
                .collect();
            arrows.insert(module.clone(), targets);
        }
        Tree { arrows }
    }
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or("")
}

#[test]
fn no_feature_reaches_into_another_features_api_pages_or_the_server() {
    let tree = Tree::read();
    let mut broken = Vec::new();
    for (from, targets) in &tree.arrows {
        for to in targets {
            let parts: Vec<&str> = to.split("::").collect();
            let foreign = top(from) != top(to);
            if foreign
                && is_feature(top(to))
                && parts.get(1).is_some_and(|p| *p == "api" || *p == "pages")
            {
                broken.push(format!("{from} uses {to}: call its service instead"));
            }
            // Below the top of the tree (the command line, the demo, housekeeping, the
            // worker), another feature is reached through its types (mod.rs) and its
            // service; a composition may also use what a feature's API and pages share.
            let through = parts.get(1).copied();
            let composition = COMPOSITIONS.contains(&top(from));
            let allowed = match through {
                None | Some("service") => true,
                Some("api" | "pages" | "store") => false,
                Some(_) => composition,
            };
            if foreign && is_feature(top(to)) && !TOP.contains(&top(from)) && !allowed {
                broken.push(format!("{from} uses {to}: call its service instead"));
            }
            if top(to) == "server" && !["cli", ""].contains(&top(from)) {
                broken.push(format!(
                    "{from} uses {to}: only the command line starts the server"
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn there_are_no_import_circles() {
    let tree = Tree::read();
    // Tarjan's strongly connected components.
    struct Walk<'a> {
        arrows: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        circles: Vec<Vec<&'a str>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            let arrows = self.arrows;
            for w in arrows.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut circle = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    circle.push(w);
                    if w == v {
                        break;
                    }
                }
                if circle.len() > 1 {
                    self.circles.push(circle);
                }
            }
        }
    }
    let mut walk = Walk {
        arrows: &tree.arrows,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    for module in tree.arrows.keys() {
        if !walk.index.contains_key(module.as_str()) {
            walk.visit(module);
        }
    }
    let circles: Vec<String> = walk.circles.iter().map(|c| c.join(" <-> ")).collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn arrows_up_the_layers_are_few_and_explained() {
    let tree = Tree::read();
    let layer = |module: &str| LAYERS.iter().position(|m| *m == top(module));
    let unplaced: BTreeSet<&str> = tree
        .arrows
        .keys()
        .map(|m| top(m))
        .filter(|m| layer(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "place these modules in LAYERS (tests/it/structure.rs) and docs/ARCHITECTURE.md: {unplaced:?}"
    );
    let mut upward = BTreeSet::new();
    for (from, targets) in &tree.arrows {
        for to in targets {
            if top(from) != top(to) && layer(to) > layer(from) {
                upward.insert(format!("{from} -> {}", top(to)));
            }
        }
    }
    let allowed: BTreeSet<String> = UPWARD.iter().map(|s| (*s).to_owned()).collect();
    let new: Vec<&String> = upward.difference(&allowed).collect();
    let gone: Vec<&String> = allowed.difference(&upward).collect();
    assert!(
        new.is_empty(),
        "arrows up the layers (use a service lower down, or move the code): {new:?}"
    );
    assert!(
        gone.is_empty(),
        "no longer upward, take out of UPWARD: {gone:?}"
    );
    assert!(UPWARD.len() < 10, "at most nine upward arrows");
    let architecture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/ARCHITECTURE.md"),
    )
    .expect("docs/ARCHITECTURE.md");
    for arrow in UPWARD {
        assert!(
            architecture.contains(&format!("`{arrow}`")),
            "docs/ARCHITECTURE.md must name and explain `{arrow}`"
        );
    }
    for module in LAYERS.iter().filter(|m| !m.is_empty()) {
        assert!(
            architecture.contains(&format!("{module}/"))
                || architecture.contains(&format!("{module}.rs")),
            "docs/ARCHITECTURE.md's map must show {module}"
        );
    }
    // And every module of the core, in the core's part of the map.
    let core_map = architecture
        .split("crates/cairn-core/src/")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/ARCHITECTURE.md maps crates/cairn-core/src/");
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cairn-core/src");
    for entry in std::fs::read_dir(core).expect("cairn-core/src") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let shown = if name.ends_with(".rs") {
            name.clone()
        } else {
            format!("{name}/")
        };
        if name != "lib.rs" {
            assert!(
                core_map.contains(&shown),
                "docs/ARCHITECTURE.md's map of cairn-core must show {shown}"
            );
        }
    }
}

#[test]
fn every_page_form_is_checked_for_its_csrf_token() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    // Signing in has no session yet: its form's token is checked against the sign-in cookie.
    let exempt = [("auth/pages.rs", "sign_in")];
    let mut broken = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(&root)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        // The API takes JSON with a bearer token; the extractor itself and the plumbing
        // helpers (web/) read raw bodies for the handlers that call them.
        if name.ends_with("api.rs") || name == "auth/mod.rs" || name.starts_with("web/") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).expect("read"));
        let mut rest = code.as_str();
        while let Some(at) = rest.find("pub async fn ") {
            rest = &rest[at + "pub async fn ".len()..];
            let handler: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            let body_start = rest.find('{').unwrap_or(rest.len());
            let signature = &rest[..body_start];
            let body = &rest[body_start
                ..rest[body_start..]
                    .find("\n}\n")
                    .map_or(rest.len(), |e| body_start + e)];
            if exempt.contains(&(name.as_str(), handler.as_str())) {
                continue;
            }
            let bare_form = signature
                .match_indices("Form<")
                .any(|(i, _)| !signature[..i].ends_with("Checked"));
            if bare_form || signature.contains("Bytes") {
                broken.push(format!(
                    "{name}: {handler} reads a form without CheckedForm, so its CSRF token is not checked"
                ));
            }
            if signature.contains("Multipart")
                && !(body.contains("tokens_match(") || body.contains("require("))
            {
                broken.push(format!(
                    "{name}: {handler} takes an upload without checking the form's token (`?csrf=`)"
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
