//! The check that keeps the layers of `lib.rs` true: reads every module's source at test time,
//! collects its `crate::` references outside `#[cfg(test)]`, and fails on circles and upward imports.
#![cfg(test)]

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

/// Each top-level module of the crate and its layer (as in the top comment of `lib.rs`); a
/// module may import its own layer (without a circle) and those below.
const LAYERS: &[(&str, u8)] = &[
    ("store", 1),
    ("ids", 1),
    ("clock", 1),
    ("config", 1),
    ("error", 1),
    ("http", 1),
    ("context", 1),
    ("tokens", 1),
    ("limits", 1),
    ("telemetry", 1),
    ("health", 1),
    ("adapters", 1),
    ("values", 2),
    ("authorization", 3),
    ("outbox", 3),
    ("accounts", 4),
    ("sign_ins", 5),
    ("passwords", 5),
    ("jams", 6),
    ("bookings", 7),
    ("account_changes", 8),
    ("admin", 8),
    ("notifications", 8),
    ("jobs", 8),
    ("deliveries", 8),
];

/// Which top-level modules each top-level module uses.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The source with comments, string and char literals blanked to spaces (lines kept), so that
/// braces and `crate::` inside them are not seen.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let end: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while j < chars.len() && !chars[j..].starts_with(&end.chars().collect::<Vec<_>>()) {
                j += 1;
            }
            let stop = (j + end.chars().count()).min(chars.len());
            out.extend(chars[i..stop].iter().map(|&c| blank(c)));
            i = stop;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            let literal_end = match (next, chars.get(i + 2)) {
                (Some('\\'), _) => chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map(|p| i + 2 + p),
                (Some(_), Some('\'')) => Some(i + 2),
                _ => None,
            };
            match literal_end {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The index just past the brace that closes the one at `open`.
fn past_block(code: &[u8], open: usize) -> usize {
    let mut depth = 0;
    for (i, &b) in code.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// `code` without the items under `#[cfg(test)]`, and the names of file modules declared
/// under it (`#[cfg(test)] mod name;`), whose files are test code too.
fn without_tests(code: &str) -> (String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let bytes = code.as_bytes();
    let mut kept = String::new();
    let mut test_files = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(MARK) {
        let at = from + found;
        kept.push_str(&code[from..at]);
        let mut i = at + MARK.len();
        // Further attributes of the same item.
        loop {
            let rest = code[i..].trim_start();
            i = code.len() - rest.len();
            if rest.starts_with("#[") {
                i = code[i..].find(']').map_or(code.len(), |p| i + p + 1);
            } else {
                break;
            }
        }
        let item = code[i..].trim_start();
        let semicolon = code[i..].find(';').map(|p| i + p);
        let brace = code[i..].find('{').map(|p| i + p);
        let declared = item
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ");
        from = match (semicolon, brace) {
            // `use crate::{…};` has its braces before its semicolon.
            (Some(semi), _) if declared.starts_with("use ") => semi + 1,
            (Some(semi), open) if open.is_none_or(|open| semi < open) => {
                if let Some(name) = declared.strip_prefix("mod ") {
                    test_files.push(leading_ident(name).to_owned());
                }
                semi + 1
            }
            (_, Some(open)) => past_block(bytes, open),
            (_, None) => code.len(),
        };
    }
    kept.push_str(&code[from.min(code.len())..]);
    (kept, test_files)
}

fn leading_ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first path segment of every `crate::` reference in `code` (which has no comments or
/// literals): `crate::a::b` gives `a`; `crate::{a::b, C, d::{e, f}}` gives `a`, `C`, `d`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut from = 0;
    while let Some(p) = code[from..].find("crate::") {
        let at = from + p;
        from = at + "crate::".len();
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `$crate::`, `jamie_crate::` or `x::crate::`
        }
        let rest = code[from..].trim_start();
        if let Some(tree) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in tree.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        let name = leading_ident(&tree[i..]);
                        if !name.is_empty() {
                            found.insert(name.to_owned());
                        }
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = leading_ident(rest);
            if !name.is_empty() {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

/// The import graph between the top-level modules of the crate rooted at `src`: names
/// re-exported by `lib.rs` (`pub use context::Context;`) count as their module.
fn crate_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    collect_files(src, &mut files);
    let root = fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let mut reexports = BTreeMap::new();
    let mut modules = BTreeSet::new();
    for line in code_only(&root).lines() {
        let line = line.trim();
        if let Some(path) = line.strip_prefix("pub use ") {
            let path = path.trim_end_matches(';');
            if let Some((module, name)) = path.split_once("::") {
                reexports.insert(name.to_owned(), module.to_owned());
            }
        }
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
        {
            modules.insert(name.trim_end_matches(';').to_owned());
        }
    }
    let mut test_modules: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut sources = Vec::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let mut path: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
            path.pop();
        }
        let source = fs::read_to_string(&file).expect("readable source");
        let code = code_only(&source);
        if code.trim_start().starts_with("#![cfg(test)]") {
            test_modules.insert(path.clone());
        }
        let (kept, test_files) = without_tests(&code);
        for name in test_files {
            let mut child = path.clone();
            child.push(name);
            test_modules.insert(child);
        }
        sources.push((path, kept));
    }
    let mut graph = Graph::new();
    for (path, code) in sources {
        let Some(top) = path.first() else {
            continue; // lib.rs itself
        };
        if test_modules.iter().any(|test| path.starts_with(test)) {
            continue;
        }
        let uses = graph.entry(top.clone()).or_default();
        for name in crate_references(&code) {
            let module = reexports.get(&name).cloned().unwrap_or(name);
            if modules.contains(&module) && &module != top {
                uses.insert(module);
            }
        }
    }
    graph
}

fn collect_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// Every circle of the graph (each named once, by the path around it) and every import of
/// a higher layer, in words; empty when the layers hold.
fn problems(graph: &Graph, layers: &[(&str, u8)]) -> Vec<String> {
    let layer: BTreeMap<&str, u8> = layers.iter().copied().collect();
    let mut found = Vec::new();
    for module in graph.keys() {
        if !layer.contains_key(module.as_str()) {
            found.push(format!(
                "`{module}` has no layer: add it to LAYERS and lib.rs"
            ));
        }
    }
    for (module, uses) in graph {
        for used in uses {
            if let (Some(&own), Some(&other)) =
                (layer.get(module.as_str()), layer.get(used.as_str()))
                && other > own
            {
                found.push(format!(
                    "`{module}` (layer {own}) imports `{used}` (layer {other}), a layer above it"
                ));
            }
        }
    }
    let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    for start in graph.keys() {
        if let Some(circle) = circle_through(graph, start) {
            let members: BTreeSet<String> = circle.iter().cloned().collect();
            if seen.insert(members) {
                found.push(format!("a circle: {}", circle.join(" -> ")));
            }
        }
    }
    found
}

/// The shortest path of imports from `start` back to itself, if there is one (breadth first).
fn circle_through(graph: &Graph, start: &str) -> Option<Vec<String>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(module) = queue.pop_front() {
        for used in graph.get(module).into_iter().flatten() {
            if used == start {
                let mut back = vec![module];
                while let Some(previous) = came_from.get(back[back.len() - 1]) {
                    back.push(previous);
                }
                // back runs from `module` to the start's first step, then the start itself.
                back.pop();
                back.reverse();
                let mut circle = vec![start.to_owned()];
                circle.extend(back.into_iter().map(str::to_owned));
                circle.push(start.to_owned());
                return Some(circle);
            }
            if !came_from.contains_key(used.as_str()) {
                came_from.insert(used, module);
                queue.push_back(used);
            }
        }
    }
    None
}

#[test]
fn the_domain_crate_keeps_its_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = crate_graph(&src);
    let problems = problems(&graph, LAYERS);
    assert!(
        problems.is_empty(),
        "the layers of lib.rs do not hold:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_of_lib_rs_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = crate_graph(&src);
    let listed: BTreeSet<&str> = LAYERS.iter().map(|(module, _)| *module).collect();
    assert_eq!(listed.len(), LAYERS.len(), "each module listed once");
    for module in graph.keys() {
        assert!(listed.contains(module.as_str()), "`{module}` has no layer");
    }
}

fn graph_of(edges: &[(&str, &str)]) -> Graph {
    let mut graph = Graph::new();
    for (from, to) in edges {
        graph
            .entry((*from).to_owned())
            .or_default()
            .insert((*to).to_owned());
        graph.entry((*to).to_owned()).or_default();
    }
    graph
}

#[test]
fn the_check_names_circles_and_upward_imports() {
    let layers = [("low", 1), ("a", 2), ("b", 2), ("c", 2), ("top", 3)];
    assert_eq!(
        problems(
            &graph_of(&[("top", "a"), ("a", "b"), ("b", "low")]),
            &layers
        ),
        Vec::<String>::new(),
        "downward and sideways without a circle is fine"
    );
    assert_eq!(
        problems(&graph_of(&[("a", "b"), ("b", "c"), ("c", "a")]), &layers),
        ["a circle: a -> b -> c -> a"]
    );
    assert_eq!(
        problems(&graph_of(&[("a", "b"), ("b", "a")]), &layers),
        ["a circle: a -> b -> a"]
    );
    assert_eq!(
        problems(&graph_of(&[("low", "top")]), &layers),
        ["`low` (layer 1) imports `top` (layer 3), a layer above it"]
    );
    assert_eq!(
        problems(&graph_of(&[("new", "low")]), &layers),
        ["`new` has no layer: add it to LAYERS and lib.rs"]
    );
}

#[test]
fn references_are_read_from_code_not_from_tests_comments_or_strings() {
    let source = r##"
use std::fmt;
use crate::{
    Context,
    accounts::{self, User},
    jams::{series, sessions::Session},
};
// use crate::commented::Out;
/// See [`crate::documented`].
fn f() {
    let s = "crate::quoted { not a brace";
    let r = r#"crate::raw"#;
    let c = '{';
    crate::inline::call(s, r, c);
}
fn g<'a>(x: &'a str) -> &'a str { crate::after_lifetime::id(x) }
#[cfg(test)]
mod tests {
    use crate::tested::Only;
    fn h() { let _ = "}"; crate::also_tested(); }
}
#[cfg(test)]
use crate::{test_import, other};
#[cfg(test)]
mod more_tests;
fn last() { crate::last::one() }
"##;
    let (code, test_files) = without_tests(&code_only(source));
    assert_eq!(test_files, ["more_tests"]);
    let found: Vec<String> = crate_references(&code).into_iter().collect();
    assert_eq!(
        found,
        [
            "Context",
            "accounts",
            "after_lifetime",
            "inline",
            "jams",
            "last"
        ]
    );
}
