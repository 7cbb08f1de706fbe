// Generates templates/src/icons.rs: maud functions for the heroicons
// (24/outline) the app uses, from the SVG sources of the npm `heroicons`
// package. Run from infra/assets: `npm run icons` (after `npm ci`).
//
// To add an icon, add its heroicons name to ICONS and re-run.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const heroicons = join(here, "node_modules", "heroicons");
const outline = join(heroicons, "24", "outline");
const output = join(here, "..", "..", "templates", "src", "icons.rs");

// heroicons file names (without .svg); the Rust function is the snake_case name.
const ICONS = [
  "sun",
  "moon",
  "computer-desktop",
  "arrow-right-end-on-rectangle",
  "arrow-left-start-on-rectangle",
  "calendar-days",
  "user-group",
  "users",
  "map-pin",
  "check-circle",
  "exclamation-triangle",
  "information-circle",
  "x-mark",
  "bars-3",
  "envelope",
  "clock",
  "banknotes",
  "plus",
  "pencil-square",
  "trash",
  "ticket",
  "link",
  "photo",
  "chevron-left",
  "chevron-right",
  "heart",
  "arrow-down-tray",
  "magnifying-glass",
  "cog-6-tooth",
  "shield-check",
  "sparkles",
];

// Used as a hint in the doc comment of each function.
const ROLES = {
  "arrow-right-end-on-rectangle": "log in",
  "arrow-left-start-on-rectangle": "log out",
  "computer-desktop": "system theme",
  "bars-3": "menu",
  "x-mark": "close",
  "arrow-down-tray": "download",
  "magnifying-glass": "search",
  "cog-6-tooth": "settings",
  "pencil-square": "edit",
  trash: "delete",
};

const RUST_KEYWORDS = new Set(
  (
    "as async await break const continue crate dyn else enum extern false fn for gen if impl in " +
    "let loop match mod move mut pub ref return self static struct super trait true type unsafe use " +
    "where while abstract become box do final macro override priv typeof unsized virtual yield try"
  ).split(" "),
);

// The <svg> attributes every 24/outline icon must have (the generated code
// writes them itself).
const EXPECTED_SVG = {
  xmlns: "http://www.w3.org/2000/svg",
  fill: "none",
  viewBox: "0 0 24 24",
  "stroke-width": "1.5",
  stroke: "currentColor",
};

function fail(message) {
  console.error(`gen-icons: ${message}`);
  process.exit(1);
}

function parseAttributes(text, where) {
  const attrs = [];
  const re = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)"/y;
  let rest = text;
  let m;
  while ((m = re.exec(rest))) {
    attrs.push([m[1], m[2]]);
    rest = rest.slice(re.lastIndex);
    re.lastIndex = 0;
  }
  if (rest.trim() !== "") fail(`${where}: cannot parse attributes near ${JSON.stringify(rest)}`);
  return attrs;
}

function parseIcon(name) {
  const file = join(outline, `${name}.svg`);
  let svg;
  try {
    svg = readFileSync(file, "utf8").trim();
  } catch {
    fail(`no such icon ${name} (${file}); run npm ci first?`);
  }
  const whole = /^<svg\b([^>]*)>([\s\S]*)<\/svg>$/.exec(svg);
  if (!whole) fail(`${name}: not a single <svg> element`);
  const svgAttrs = Object.fromEntries(parseAttributes(whole[1], `${name} <svg>`));
  for (const [key, value] of Object.entries(EXPECTED_SVG)) {
    if (svgAttrs[key] !== value) fail(`${name}: <svg ${key}> is ${svgAttrs[key]}, expected ${value}`);
  }
  // Only <path .../> children are expected; anything else means the package
  // changed shape and the generator needs a look.
  const paths = [];
  const re = /<path\b([^>]*?)\/>/g;
  let last = 0;
  let m;
  while ((m = re.exec(whole[2]))) {
    if (whole[2].slice(last, m.index).trim() !== "") fail(`${name}: unexpected content ${whole[2].slice(last, m.index)}`);
    paths.push(parseAttributes(m[1], `${name} <path>`));
    last = re.lastIndex;
  }
  if (whole[2].slice(last).trim() !== "") fail(`${name}: unexpected content ${whole[2].slice(last)}`);
  if (paths.length === 0) fail(`${name}: no <path>`);
  for (const attrs of paths) {
    for (const [key, value] of attrs) {
      if (/["\\&<>]/.test(value)) fail(`${name}: attribute ${key} needs escaping: ${value}`);
    }
  }
  return paths;
}

function rustName(name) {
  const ident = name.replace(/-/g, "_");
  if (!/^[a-z][a-z0-9_]*$/.test(ident)) fail(`${name}: not a valid Rust identifier`);
  return RUST_KEYWORDS.has(ident) ? `r#${ident}` : ident;
}

function renderFunction(name, paths) {
  const role = ROLES[name] ? ` (${ROLES[name]})` : "";
  const lines = [
    `/// Heroicons \`${name}\`${role}.`,
    `pub fn ${rustName(name)}(class: &str) -> Markup {`,
    "    html! {",
    `        svg xmlns="${EXPECTED_SVG.xmlns}" fill="${EXPECTED_SVG.fill}" viewBox="${EXPECTED_SVG.viewBox}"`,
    `            stroke-width="${EXPECTED_SVG["stroke-width"]}" stroke="${EXPECTED_SVG.stroke}" class=(class)`,
    '            aria-hidden="true" focusable="false" {',
  ];
  for (const attrs of paths) {
    const rendered = attrs.map(([key, value]) => `${key}="${value}"`).join(" ");
    lines.push(`            path ${rendered} {}`);
  }
  lines.push("        }", "    }", "}");
  return lines.join("\n");
}

const pkg = JSON.parse(readFileSync(join(heroicons, "package.json"), "utf8"));
const seen = new Set();
const functions = [];
for (const name of ICONS) {
  if (seen.has(name)) fail(`${name} listed twice`);
  seen.add(name);
  functions.push(renderFunction(name, parseIcon(name)));
}

const testList = ICONS.map((name) => `            ${rustName(name)},`).join("\n");

const source = `// @generated by infra/assets/gen-icons.mjs from heroicons v${pkg.version} (MIT License,
// Copyright (c) Tailwind Labs, Inc.). Do not edit by hand: edit the icon list in
// the script and run \`npm --prefix infra/assets run icons\`.

//! Inline SVG icons: [heroicons](https://heroicons.com) v${pkg.version}, 24/outline.
//!
//! Each function renders one icon as an inline \`<svg>\` using \`currentColor\`,
//! so it takes the text colour of its parent. \`class\` sizes it, e.g.
//! \`icons::sun("size-5")\`. Icons are decorative (\`aria-hidden="true"\`): give
//! the surrounding link or button an accessible name (visible text or an
//! \`sr-only\` label).

use maud::{Markup, html};

${functions.join("\n\n")}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_render_as_decorative_24px_outline_svgs() {
        let all: [fn(&str) -> Markup; ${ICONS.length}] = [
${testList}
        ];
        for icon in all {
            let svg = icon("size-5").into_string();
            assert!(svg.starts_with("<svg "), "{svg}");
            assert!(svg.contains(r#"viewBox="0 0 24 24""#), "{svg}");
            assert!(svg.contains(r#"aria-hidden="true""#), "{svg}");
            assert!(svg.contains(r#"class="size-5""#), "{svg}");
            assert!(svg.contains("<path "), "{svg}");
            assert!(svg.ends_with("</svg>"), "{svg}");
        }
    }
}
`;

writeFileSync(output, source);
console.log(`gen-icons: wrote ${ICONS.length} icons to ${output}`);
