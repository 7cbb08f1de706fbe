// The stack the journeys (and `make audit`) run against: the real dev server with its own
// emulator on free ports and fresh state, plus Debian's Chromium and a sign-in helper.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, createWriteStream, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository root (tests/e2e/lib/../../..). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The dev server binary: `JAMIE_DEV_SERVER`, else `$CARGO_TARGET_DIR/debug/dev-server`. */
export function devServerPath() {
  if (process.env.JAMIE_DEV_SERVER) return resolve(process.env.JAMIE_DEV_SERVER);
  const target = process.env.CARGO_TARGET_DIR ? resolve(REPO, process.env.CARGO_TARGET_DIR) : join(REPO, 'target');
  return join(target, 'debug', 'dev-server');
}

/** Debian's Chromium (`CHROMIUM` overrides). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Exactly the flags the issue asks for; playwright adds its own headless flag and a fresh
 * `--user-data-dir` for every browser it launches. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Generous on a loaded 2-core machine: navigation and actions, never speed assertions. */
export const NAVIGATION_TIMEOUT = 60_000;
export const ACTION_TIMEOUT = 30_000;

// The dev server's log colours would break the line match.
const ANSI = /\x1b\[[0-9;]*m/g;
const RUNNING = /Jamie is running on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts the dev server (and so its emulator) on free ports with an empty data directory.
 * `superadmins`: emails given `SUPERADMIN_EMAILS`. `logFile`: where its output goes (default
 * `target/e2e-logs/dev-server-<pid>.log`). Resolves to `{ baseUrl, dataDir, logFile, stop }`;
 * `stop()` sends SIGTERM, waits for a clean exit (the emulator stops with it) and removes the data.
 */
export async function startStack({ superadmins = [], logFile, env = {}, startTimeout = 180_000 } = {}) {
  const binary = devServerPath();
  if (!existsSync(binary)) {
    throw new Error(`no dev server at ${binary}: run \`cargo build -p jamie-infra --bin dev-server\` (or make e2e)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'jamie-e2e-data-'));
  const logs = join(REPO, 'target', 'e2e-logs');
  mkdirSync(logs, { recursive: true });
  logFile ??= join(logs, `dev-server-${process.pid}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(binary, [], {
    cwd: REPO,
    env: {
      ...process.env,
      PORT: '0',
      EMULATOR_PORT: '0',
      JAMIE_DATA_DIR: dataDir,
      SUPERADMIN_EMAILS: superadmins.join(','),
      NO_COLOR: '1',
      RUST_LOG: process.env.RUST_LOG || 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave a server behind if this process exits without calling stop().
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const baseUrl = await new Promise((ready, fail) => {
    let tail = '';
    const timer = setTimeout(
      () => fail(new Error(`the dev server did not start within ${startTimeout / 1000} s; see ${logFile}`)),
      startTimeout,
    );
    const watch = (chunk) => {
      log.write(chunk);
      tail = (tail + chunk.toString().replace(ANSI, '')).slice(-8192);
      const match = RUNNING.exec(tail);
      if (match) {
        clearTimeout(timer);
        ready(match[1]);
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`the dev server exited (${signal ?? code}) before serving:\n${tail}`));
    });
  });

  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timeout = new Promise((done) => setTimeout(() => done('timeout'), 30_000));
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await new Promise((done) => log.end(done));
      rmSync(dataDir, { recursive: true, force: true });
    })());
  return { baseUrl, dataDir, logFile, stop, process: child };
}

/** Launches headless Debian Chromium with the flags (a fresh profile each time). */
export async function launchBrowser(options = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium chromium-driver (make e2e does it)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options });
}

/** A new browser context on `baseUrl` (its own cookies: another person) with generous timeouts. */
export async function newPerson(browser, baseUrl, options = {}) {
  const context = await browser.newContext({ baseURL: baseUrl, ...options });
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
  context.setDefaultTimeout(ACTION_TIMEOUT);
  const page = await context.newPage();
  return { context, page };
}

/**
 * Signs `email` in through the UI: from `/`, the header's log-in link, the sign-in form (with
 * `name` for a new account), then the newest link to that address in `/dev/mailbox` and the
 * confirmation button. Ends on the page the link leads to.
 */
export async function signIn(page, email, name) {
  await page.goto('/');
  await page.getByRole('link', { name: /^(log in|sign in)/i }).first().click();
  await fillSignInForm(page, email, name);
  await followEmailedLink(page, email, /sign-in link/i, '/auth/link/');
  await page.getByRole('button', { name: 'Sign me in' }).click();
  await page.waitForLoadState();
}

/** Fills the sign-in form that is open on `page` and asks for the link. */
export async function fillSignInForm(page, email, name) {
  const emailField = page.getByRole('textbox', { name: 'Email', exact: true });
  await emailField.fill(email);
  if (name) await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
}

/**
 * Opens `/dev/mailbox` and, in the newest email to `email` whose subject matches `subject`
 * (newest first, as the mailbox lists what SES received), follows the link to `path`.
 */
export async function followEmailedLink(page, email, subject, path, { timeout = 60_000 } = {}) {
  const cards = page
    .getByRole('listitem')
    .filter({ hasText: `to ${email}` })
    .filter({ has: page.getByRole('heading', { name: subject }) });
  // The worker sends a moment after the request: wait for the newest such email whose link
  // was not followed before (an older one may already be there).
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.goto('/dev/mailbox');
    for (const card of await cards.all()) {
      const link = card.getByRole('link', { name: path }).first();
      const href = await link.getAttribute('href');
      if (href && !followed.has(href)) {
        followed.add(href);
        await link.click();
        return;
      }
    }
    if (Date.now() > deadline) throw new Error(`no new email to ${email} matching ${subject} in /dev/mailbox`);
    await page.waitForTimeout(500);
  }
}

/** Emailed links already followed, so that each call follows a new one. */
const followed = new Set();
