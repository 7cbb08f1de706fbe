//! The Lambda binary started without its configuration stops at once, naming what is missing.
//! (Here rather than in the workspace test binary: only a package's own tests get its freshly
//! built executable.)

use std::process::Command;

#[test]
fn missing_configuration_fails_at_start_naming_the_variables() {
    let output = Command::new(env!("CARGO_BIN_EXE_web-public"))
        .env_clear()
        .env("TABLE_NAME", "jamie")
        .output()
        .expect("running web-public");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "missing configuration: set NOTIFICATIONS_QUEUE_URL, PHOTO_BUCKET, BASE_URL, EMAIL_FROM, SESSION_SECRET"
        ),
        "stderr: {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "a clear error, not a panic: {stderr}"
    );
}
