//! Writes every email's HTML, rendered from the sample jam, into a directory for
//! `make email-previews` to screenshot: `<name>.html`, and `<name>.measure.html` that titles itself with its height.

use std::{env, fs, path::PathBuf};

use jamie_templates::emails::samples::Samples;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        env::args()
            .nth(1)
            .unwrap_or_else(|| "email-previews".to_owned()),
    );
    fs::create_dir_all(&dir)?;
    for (name, email) in Samples::new().all() {
        fs::write(dir.join(format!("{name}.html")), &email.html)?;
        fs::write(dir.join(format!("{name}.txt")), &email.text)?;
        // The same page with a script that writes its height into the title, for `--dump-dom`.
        let measure = email.html.replace(
            "</body>",
            "<script>document.title = 'height:' + document.documentElement.scrollHeight;</script></body>",
        );
        fs::write(dir.join(format!("{name}.measure.html")), measure)?;
        println!(
            "{name}: {} ({} bytes of HTML)",
            email.subject,
            email.html.len()
        );
    }
    Ok(())
}
