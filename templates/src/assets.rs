//! Static files embedded at compile time. Each is served as `/assets/{stem}.{hash}.{ext}`,
//! where the hash comes from its bytes, so a URL never changes content and can be cached
//! forever. The stylesheet is built by `make assets` (Tailwind + daisyUI) and committed.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The source name, e.g. `app.css`.
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// The files embedded as they are.
static EMBEDDED: [Asset; 5] = [
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/app.css"),
    },
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/htmx.min.js"),
    },
    Asset {
        name: "theme.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/theme.js"),
    },
    Asset {
        name: "jams.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/jams.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../assets/favicon.svg"),
    },
];

/// Every served file with its hashed name: the embedded ones, then the web manifest (made
/// once, since it names the icon by its hashed path).
fn files() -> &'static [(Asset, String)] {
    static FILES: OnceLock<Vec<(Asset, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut files: Vec<(Asset, String)> = EMBEDDED
            .iter()
            .map(|asset| {
                let name = hashed_name(asset.name, asset.bytes);
                (
                    Asset {
                        name: asset.name,
                        content_type: asset.content_type,
                        bytes: asset.bytes,
                    },
                    name,
                )
            })
            .collect();
        let icon = files
            .iter()
            .find(|(asset, _)| asset.name == "favicon.svg")
            .map(|(_, served)| format!("/assets/{served}"))
            .unwrap_or_default();
        let manifest: &'static [u8] = manifest(&icon).into_bytes().leak();
        files.push((
            Asset {
                name: "manifest.webmanifest",
                content_type: "application/manifest+json",
                bytes: manifest,
            },
            hashed_name("manifest.webmanifest", manifest),
        ));
        files
    })
}

/// The web manifest: how Jamie looks when added to a home screen.
fn manifest(icon: &str) -> String {
    let manifest = serde_json::json!({
        "name": "Jamie: acroyoga jam registrations",
        "short_name": "Jamie",
        "description": "Registrations for recurring acroyoga jams: bases and flyers, capacity per role, waitlists.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b4532f",
        "icons": [
            { "src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any" }
        ]
    });
    manifest.to_string()
}

fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    format!("{stem}.{hash}.{ext}")
}

/// The URL path of an embedded file by its source name; panics on a name that is not embedded
/// (a programming error, caught by the view tests).
pub fn path(name: &str) -> String {
    let (_, served) = files()
        .iter()
        .find(|(asset, _)| asset.name == name)
        .unwrap_or_else(|| panic!("no embedded asset named {name}"));
    format!("/assets/{served}")
}

/// The embedded file served under `file_name` (the hashed name), if any.
pub fn find(file_name: &str) -> Option<&'static Asset> {
    files()
        .iter()
        .find(|(_, served)| served == file_name)
        .map(|(asset, _)| asset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_found_under_its_hashed_path() {
        for (asset, _) in files() {
            let path = path(asset.name);
            let file_name = path.strip_prefix("/assets/").unwrap();
            assert_eq!(find(file_name).map(|a| a.name), Some(asset.name));
            assert!(!asset.bytes.is_empty(), "{} is empty", asset.name);
        }
        assert!(path("app.css").ends_with(".css"));
        assert!(find("app.css").is_none(), "unhashed names are not served");
    }

    #[test]
    fn the_manifest_names_the_hashed_icon_and_the_theme_colours() {
        let manifest = find(
            path("manifest.webmanifest")
                .strip_prefix("/assets/")
                .unwrap(),
        )
        .expect("the manifest is served");
        assert_eq!(manifest.content_type, "application/manifest+json");
        let json: serde_json::Value = serde_json::from_slice(manifest.bytes).unwrap();
        assert_eq!(json["short_name"], "Jamie");
        assert_eq!(json["display"], "standalone");
        assert_eq!(json["start_url"], "/");
        assert_eq!(json["icons"][0]["src"], path("favicon.svg"));
        assert_eq!(json["icons"][0]["type"], "image/svg+xml");
        assert!(json["theme_color"].as_str().unwrap().starts_with('#'));
        assert!(json["background_color"].as_str().unwrap().starts_with('#'));
        assert_eq!(
            find(path("favicon.svg").strip_prefix("/assets/").unwrap())
                .unwrap()
                .content_type,
            "image/svg+xml"
        );
    }

    #[test]
    fn the_stylesheet_contains_daisyui_and_the_layout_classes() {
        let css = std::str::from_utf8(EMBEDDED[0].bytes).unwrap();
        for class in [
            ".navbar",
            ".btn-primary",
            ".sr-only",
            "prefers-color-scheme",
        ] {
            assert!(
                css.contains(class),
                "app.css lacks {class}; run `make assets`"
            );
        }
    }
}
