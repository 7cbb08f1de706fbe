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

static FILES: [Asset; 4] = [
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
];

/// The served file names, in the order of `FILES`, computed once.
fn served_names() -> &'static [String; 4] {
    static NAMES: OnceLock<[String; 4]> = OnceLock::new();
    NAMES.get_or_init(|| FILES.each_ref().map(hashed_name))
}

fn hashed_name(asset: &Asset) -> String {
    let digest = Sha256::digest(asset.bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = asset.name.split_once('.').unwrap_or((asset.name, ""));
    format!("{stem}.{hash}.{ext}")
}

/// The URL path of an embedded file by its source name; panics on a name that is not embedded
/// (a programming error, caught by the view tests).
pub fn path(name: &str) -> String {
    let index = FILES
        .iter()
        .position(|asset| asset.name == name)
        .unwrap_or_else(|| panic!("no embedded asset named {name}"));
    format!("/assets/{}", served_names()[index])
}

/// The embedded file served under `file_name` (the hashed name), if any.
pub fn find(file_name: &str) -> Option<&'static Asset> {
    served_names()
        .iter()
        .position(|served| served == file_name)
        .map(|index| &FILES[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_found_under_its_hashed_path() {
        for asset in &FILES {
            let path = path(asset.name);
            let file_name = path.strip_prefix("/assets/").unwrap();
            assert_eq!(find(file_name).map(|a| a.name), Some(asset.name));
            assert!(!asset.bytes.is_empty(), "{} is empty", asset.name);
        }
        assert!(path("app.css").ends_with(".css"));
        assert!(find("app.css").is_none(), "unhashed names are not served");
    }

    #[test]
    fn the_stylesheet_contains_daisyui_and_the_layout_classes() {
        let css = std::str::from_utf8(FILES[0].bytes).unwrap();
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
