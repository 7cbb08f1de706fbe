//! Starts our emulator launcher (`infra/emulator/serve.py`: moto behind one global lock, see
//! `docs/local-stack.md`) unless one is already running, and waits for it to be ready.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

/// The workspace root, where `.tools/` and `infra/emulator/` live.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Why the emulator could not be started.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("the emulator is not installed ({0} is missing): run `make tools` first")]
    NotInstalled(String),
    #[error("could not start the emulator: {0}")]
    Spawn(#[from] std::io::Error),
    #[error("the emulator did not become ready: {0}")]
    NotReady(String),
}

/// How to start the emulator.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// File to restore the emulated resources from and save them to (`make dev`).
    pub state: Option<PathBuf>,
}

/// A running emulator: ours (stopped when dropped, and by its own watchdog if this process
/// dies) or one started elsewhere.
#[derive(Debug)]
pub struct Emulator {
    pub url: String,
    child: Option<Child>,
}

impl Emulator {
    /// The emulator at `JAMIE_EMULATOR_URL` if that is set, otherwise a new one of ours.
    pub fn start(options: &Options) -> Result<Self, EmulatorError> {
        if let Ok(url) = std::env::var("JAMIE_EMULATOR_URL") {
            return Ok(Self { url, child: None });
        }
        let root = workspace_root();
        let python = root.join(".tools/venv/bin/python");
        if !python.exists() {
            return Err(EmulatorError::NotInstalled(python.display().to_string()));
        }
        let mut command = Command::new(python);
        command
            .arg(root.join("infra/emulator/serve.py"))
            .args(["--port", &options.port.to_string()])
            .args(["--exit-with-parent", &std::process::id().to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(state) = &options.state {
            command.arg("--state").arg(state);
        }
        let mut child = command.spawn()?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (ready, wait) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next();
            drop(ready.send(first));
            // Keep draining so the emulator never blocks on a full pipe.
            lines.for_each(drop);
        });
        let line = match wait.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(Ok(line))) => line,
            Ok(_) => return Err(EmulatorError::NotReady(exit_reason(&mut child))),
            Err(_) => {
                drop(child.kill());
                return Err(EmulatorError::NotReady(
                    "no READY line within 60 s".to_owned(),
                ));
            }
        };
        let url = line
            .strip_prefix("READY ")
            .ok_or_else(|| EmulatorError::NotReady(format!("unexpected output {line:?}")))?
            .trim()
            .to_owned();
        Ok(Self {
            url,
            child: Some(child),
        })
    }

    /// The process id of the emulator we started (none for one started elsewhere).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Asks our emulator to save its state and exit, and waits for it.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGTERM lets it save its state; `kill` is the portable way to send it without unsafe.
        let terminated = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        if terminated {
            for _ in 0..100 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        drop(child.kill());
        drop(child.wait());
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

fn exit_reason(child: &mut Child) -> String {
    match child.wait() {
        Ok(status) => format!("it exited ({status}) before printing READY; see its messages above"),
        Err(error) => error.to_string(),
    }
}
