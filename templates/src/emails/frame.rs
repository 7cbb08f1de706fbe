//! The frame every email shares: a message as blocks (paragraphs, the jam, the button, quotes,
//! changes), rendered once as table-laid, inline-styled HTML and once as plain text with every link.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Email, Jam};
use crate::{components::link_pieces, when};

/// An email before rendering: the same blocks become its HTML and its text.
pub(super) struct Message {
    pub subject: String,
    /// The inbox's preview line, hidden in the body.
    pub preheader: String,
    pub heading: String,
    pub blocks: Vec<Block>,
    /// Why the reader gets this email, for the footer.
    pub why: String,
}

/// One piece of a message's body.
pub(super) enum Block {
    /// A paragraph.
    Para(Vec<Inline>),
    /// A quieter paragraph (a cancel link, a note on a link's lifetime).
    Small(Vec<Inline>),
    /// The main action, as a button.
    Button { label: String, url: String },
    /// The session: series, when, where (with its map link), its note and `links`.
    Jam {
        details: JamDetails,
        links: Vec<(String, String)>,
    },
    /// Words a person wrote (an organizer's message, a reason), line breaks kept.
    Quote { by: String, text: String },
    /// What changed, each as a label, the old value and the new one.
    Changes(Vec<Change>),
}

/// A run of a paragraph.
pub(super) enum Inline {
    Text(String),
    Strong(String),
    Link { label: String, url: String },
}

/// Plain words.
pub(super) fn t(text: impl Into<String>) -> Inline {
    Inline::Text(text.into())
}

/// Words in bold.
pub(super) fn b(text: impl Into<String>) -> Inline {
    Inline::Strong(text.into())
}

/// A link; the text part writes its address out.
pub(super) fn link(label: impl Into<String>, url: &str) -> Inline {
    Inline::Link {
        label: label.into(),
        url: url.to_owned(),
    }
}

/// The main action.
pub(super) fn button(label: &str, url: &str) -> Block {
    Block::Button {
        label: label.to_owned(),
        url: url.to_owned(),
    }
}

/// A changed detail of a session: what it was and what it is now.
pub(super) struct Change {
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// The jam as an email shows it, in the series' zone.
pub(super) struct JamDetails {
    series: String,
    date: String,
    range: String,
    venue: String,
    address: String,
    map: Option<String>,
    note: String,
}

impl JamDetails {
    pub fn of(jam: &Jam<'_>) -> Self {
        let zone = jam.zone.zone();
        let place = jam.place.filter(|place| !place_is_empty(place));
        Self {
            series: jam.series.to_owned(),
            date: when::date(when::local(jam.starts_at, &zone).date()),
            range: when::range_in_zone(jam.starts_at, jam.ends_at, &zone),
            venue: place.map(|p| p.venue.clone()).unwrap_or_default(),
            address: place.map(|p| p.address.clone()).unwrap_or_default(),
            map: place.map(jamie::jams::series::Location::maps_url),
            note: jam.note.trim().to_owned(),
        }
    }
}

fn place_is_empty(place: &jamie::jams::series::Location) -> bool {
    place.venue.trim().is_empty() && place.address.trim().is_empty()
}

/// "Turnhalle Mitte, Gartenstraße 5, Berlin", or "No place given".
pub(super) fn place_line(place: Option<&jamie::jams::series::Location>) -> String {
    match place.filter(|place| !place_is_empty(place)) {
        None => "No place given".to_owned(),
        Some(place) => [place.venue.trim(), place.address.trim()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

impl Message {
    pub fn render(self) -> Email {
        Email {
            html: self.html().into_string(),
            text: self.text(),
            subject: self.subject,
        }
    }

    fn html(&self) -> Markup {
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="color-scheme" content="light dark";
                    meta name="supported-color-schemes" content="light dark";
                    meta name="x-apple-disable-message-reformatting";
                    title { (self.subject) }
                    // For the clients that read it (Apple Mail, iOS, Outlook.com): the dark
                    // palette. Every other client keeps the inline light one.
                    style { (PreEscaped(DARK_CSS)) }
                }
                body class="bg" style=(format!("margin:0;padding:0;width:100%;background-color:{PAGE};")) {
                    div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;" {
                        (self.preheader)
                        // Keeps the body's first words out of the inbox preview.
                        (PREHEADER_PAD)
                    }
                    table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0"
                        class="bg" style=(format!("background-color:{PAGE};")) {
                        tr { td align="center" style="padding:24px 12px;" {
                            table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0"
                                style="max-width:560px;" {
                                tr { td class="brand" style=(format!("padding:0 8px 16px;font-family:{FONT};font-size:22px;line-height:28px;font-weight:800;letter-spacing:-0.5px;color:{BRAND};")) {
                                    "Jamie"
                                } }
                                tr { td class="card" style=(format!("background-color:{CARD};border-radius:12px;padding:28px 24px;border:1px solid {LINE};")) {
                                    h1 class="tx" style=(format!("margin:0 0 16px;font-family:{FONT};font-size:24px;line-height:30px;font-weight:700;color:{INK};")) {
                                        (self.heading)
                                    }
                                    @for block in &self.blocks { (block_html(block)) }
                                } }
                                tr { td class="mut" style=(format!("padding:20px 8px 0;font-family:{FONT};font-size:13px;line-height:19px;color:{MUTED};")) {
                                    p style="margin:0 0 8px;" { (self.why) }
                                    p style="margin:0;" { "Jamie · acroyoga jams" }
                                } }
                            }
                        } }
                    }
                }
            }
        }
    }

    fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.heading);
        for block in &self.blocks {
            out.push_str(&block_text(block));
            out.push_str("\n\n");
        }
        out.push_str("-- \n");
        out.push_str(&self.why);
        out.push_str("\nJamie · acroyoga jams\n");
        out
    }
}

/// The page behind the card.
const PAGE: &str = "#f4efeb";
/// The card.
const CARD: &str = "#ffffff";
/// The jam's box.
const BOX: &str = "#fbf5f1";
const LINE: &str = "#eaded6";
/// Body text.
const INK: &str = "#1f1a17";
/// Secondary text (6:1 on the card).
const MUTED: &str = "#665d57";
/// The app's primary colour (daisyUI light theme `oklch(55% 0.165 37)`); white on it is 5.2:1.
const BRAND: &str = "#be431d";
const FONT: &str = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/// The dark palette (daisyUI dark theme's primary `oklch(74% 0.15 48)` and its content colour).
const DARK_CSS: &str = ":root{color-scheme:light dark;supported-color-schemes:light dark;}\
@media (prefers-color-scheme: dark){\
.bg{background-color:#17130f !important;}\
.card{background-color:#241e1a !important;border-color:#3a302a !important;}\
.box{background-color:#2e2620 !important;border-color:#4a3d35 !important;}\
.tx{color:#f3ebe6 !important;}\
.mut{color:#c2b4ab !important;}\
.brand,.lnk{color:#f68a4f !important;}\
.btn{background-color:#f68a4f !important;}\
.btnt{color:#2a140c !important;}\
.was{color:#a89990 !important;}\
}";

/// Zero-width non-joiners and no-break spaces after the preheader.
const PREHEADER_PAD: &str = "\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}\u{200c}\u{a0}";

fn para_style(size: u32, colour: &str) -> String {
    let line = size * 3 / 2;
    format!(
        "margin:0 0 16px;font-family:{FONT};font-size:{size}px;line-height:{line}px;color:{colour};"
    )
}

fn link_style() -> String {
    format!("color:{BRAND};text-decoration:underline;word-break:break-word;")
}

fn inlines_html(inlines: &[Inline]) -> Markup {
    html! {
        @for inline in inlines {
            @match inline {
                Inline::Text(text) => (text),
                Inline::Strong(text) => strong style="font-weight:700;" { (text) },
                Inline::Link { label, url } => a class="lnk" href=(url) style=(link_style()) { (label) },
            }
        }
    }
}

/// Words a person wrote: paragraphs on blank lines, line breaks kept, their links clickable.
fn written_html(text: &str) -> Markup {
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut blank = true;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank = true;
        } else if let (false, Some(paragraph)) = (blank, paragraphs.last_mut()) {
            paragraph.push(line);
        } else {
            paragraphs.push(vec![line]);
            blank = false;
        }
    }
    let count = paragraphs.len();
    html! {
        @for (n, paragraph) in paragraphs.iter().enumerate() {
            p style=(if n + 1 == count { "margin:0;" } else { "margin:0 0 12px;" }) {
                @for (i, line) in paragraph.iter().enumerate() {
                    @if i > 0 { br; }
                    @for (piece, is_link) in link_pieces(line) {
                        @if is_link {
                            a class="lnk" href=(piece) style=(link_style()) { (piece) }
                        } @else {
                            (piece)
                        }
                    }
                }
            }
        }
    }
}

fn label_html(label: &str) -> Markup {
    html! {
        div class="mut" style=(format!("font-family:{FONT};font-size:12px;line-height:16px;font-weight:700;letter-spacing:0.6px;text-transform:uppercase;color:{MUTED};margin:0 0 2px;")) {
            (label)
        }
    }
}

fn block_html(block: &Block) -> Markup {
    match block {
        Block::Para(inlines) => html! {
            p class="tx" style=(para_style(16, INK)) { (inlines_html(inlines)) }
        },
        Block::Small(inlines) => html! {
            p class="mut" style=(para_style(14, MUTED)) { (inlines_html(inlines)) }
        },
        Block::Button { label, url } => html! {
            table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="margin:8px 0 20px;" {
                tr { td class="btn" align="center" bgcolor=(BRAND) style=(format!("border-radius:8px;background-color:{BRAND};")) {
                    a class="btnt" href=(url) style=(format!("display:block;padding:14px 20px;font-family:{FONT};font-size:16px;line-height:20px;font-weight:700;color:#ffffff;text-decoration:none;border-radius:8px;")) {
                        (label)
                    }
                } }
            }
        },
        Block::Jam { details, links } => jam_html(details, links),
        Block::Quote { by, text } => html! {
            table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="margin:0 0 20px;" {
                tr { td class="box" style=(format!("background-color:{BOX};border-left:4px solid {BRAND};border-radius:4px;padding:14px 16px;")) {
                    (label_html(by))
                    div class="tx" style=(format!("font-family:{FONT};font-size:16px;line-height:24px;color:{INK};")) {
                        (written_html(text))
                    }
                } }
            }
        },
        Block::Changes(changes) => html! {
            table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="margin:0 0 20px;" {
                @for (i, change) in changes.iter().enumerate() {
                    @if i > 0 {
                        tr { td style="height:8px;line-height:8px;font-size:8px;" { (PreEscaped("&nbsp;")) } }
                    }
                    tr { td class="box" style=(format!("background-color:{BOX};border:1px solid {LINE};border-radius:8px;padding:12px 16px;")) {
                        (label_html(change.label))
                        div class="was" style=(format!("font-family:{FONT};font-size:15px;line-height:22px;color:{MUTED};text-decoration:line-through;")) {
                            (change.before)
                        }
                        div class="tx" style=(format!("font-family:{FONT};font-size:16px;line-height:24px;font-weight:700;color:{INK};")) {
                            "→ " (change.after)
                        }
                    } }
                }
            }
        },
    }
}

fn jam_html(jam: &JamDetails, links: &[(String, String)]) -> Markup {
    let value = format!("font-family:{FONT};font-size:16px;line-height:24px;color:{INK};");
    let row = "padding:0 0 12px;";
    html! {
        table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="margin:0 0 20px;" {
            tr { td class="box" style=(format!("background-color:{BOX};border:1px solid {LINE};border-radius:10px;padding:16px;")) {
                table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" {
                    tr { td class="tx" style=(format!("padding:0 0 12px;font-family:{FONT};font-size:18px;line-height:24px;font-weight:700;color:{INK};")) {
                        (jam.series)
                    } }
                    tr { td style=(row) {
                        (label_html("When"))
                        div class="tx" style=(value) { (jam.date) br; (jam.range) }
                    } }
                    @if let Some(map) = &jam.map {
                        tr { td style=(row) {
                            (label_html("Where"))
                            div class="tx" style=(value) {
                                @if !jam.venue.is_empty() { strong style="font-weight:700;" { (jam.venue) } br; }
                                @if !jam.address.is_empty() { (jam.address) br; }
                                a class="lnk" href=(map) style=(link_style()) { "Open in Maps" }
                            }
                        } }
                    }
                    @if !jam.note.is_empty() {
                        tr { td style=(row) {
                            (label_html("Note"))
                            div class="tx" style=(value) { (written_html(&jam.note)) }
                        } }
                    }
                    @if !links.is_empty() {
                        tr { td class="tx" style=(format!("font-family:{FONT};font-size:15px;line-height:22px;color:{INK};")) {
                            @for (i, (label, url)) in links.iter().enumerate() {
                                @if i > 0 { span class="mut" style=(format!("color:{MUTED};")) { "  ·  " } }
                                a class="lnk" href=(url) style=(format!("{}font-weight:700;", link_style())) { (label) }
                            }
                        } }
                    }
                }
            } }
        }
    }
}

fn inlines_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) | Inline::Strong(text) => text.clone(),
            // A link that is its own address (the sign-in fallback) is written once.
            Inline::Link { label, url } if label == url => url.clone(),
            Inline::Link { label, url } => format!("{label} <{url}>"),
        })
        .collect()
}

/// `text` with every line after the first indented by `indent`.
fn indented(text: &str, indent: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

fn block_text(block: &Block) -> String {
    match block {
        Block::Para(inlines) | Block::Small(inlines) => inlines_text(inlines),
        Block::Button { label, url } => format!("{label}:\n{url}"),
        Block::Jam { details, links } => {
            let pad = "       ";
            let mut out = format!(
                "{}\nWhen:  {}, {}",
                details.series, details.date, details.range
            );
            if let Some(map) = &details.map {
                out.push_str("\nWhere: ");
                let lines: Vec<&str> = [details.venue.as_str(), details.address.as_str()]
                    .into_iter()
                    .filter(|line| !line.is_empty())
                    .collect();
                out.push_str(&lines.join(&format!("\n{pad}")));
                out.push_str(&format!("\n{pad}Map: {map}"));
            }
            if !details.note.is_empty() {
                out.push_str(&format!("\nNote:  {}", indented(&details.note, pad)));
            }
            for (label, url) in links {
                out.push_str(&format!("\n{label}: {url}"));
            }
            out
        }
        Block::Quote { by, text } => format!(
            "{by}:\n> {}",
            text.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n> ")
        ),
        Block::Changes(changes) => changes
            .iter()
            .map(|change| {
                format!(
                    "{} changed\n  was: {}\n  now: {}",
                    change.label, change.before, change.after
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// "Hi Alex, " (or "Hi, " for a registration without a name).
pub(super) fn hello(name: &str) -> Inline {
    match name.trim() {
        "" => t("Hi, "),
        name => t(format!("Hi {name}, ")),
    }
}

/// "Can't come? Cancel your registration" and what cancelling does.
pub(super) fn cancel(url: &str, before: &str, after: &str) -> Block {
    Block::Small(vec![
        t(before),
        link("Cancel your registration", url),
        t(after),
    ])
}

/// The footer of every email to a registered person.
pub(super) fn registered_why(series: &str) -> String {
    format!("You get this email because you registered for {series} on Jamie.")
}

/// "Sunday Acro Jam, Sun 7 Dec 19:00": the jam in a subject.
pub(super) fn subject_jam(jam: &Jam<'_>) -> String {
    format!(
        "{}, {}",
        jam.series,
        when::day_time(jam.starts_at, &jam.zone.zone())
    )
}

/// The jam's details with the given links below them.
pub(super) fn jam(jam: &Jam<'_>, links: &[(&str, &str)]) -> Block {
    Block::Jam {
        details: JamDetails::of(jam),
        links: links
            .iter()
            .map(|(label, url)| ((*label).to_owned(), (*url).to_owned()))
            .collect(),
    }
}
