// make audit: starts its own stack (tests/e2e/lib/stack.mjs: the dev server on free ports with
// fresh state), makes a series with a session and a registration through the UI, then runs
// Lighthouse (mobile preset, Debian Chromium) and axe-core (light and dark) on the home page,
// a public session page, the registration's page (from its email), the dashboard and a
// registrations table. Prints a table; exits non-zero when a target is missed.

import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import * as chromeLauncher from 'chrome-launcher';
import { REPO, CHROMIUM, CHROMIUM_ARGS, startStack, launchBrowser, newPerson, signIn, followEmailedLink } from '../e2e/lib/stack.mjs';

const require = createRequire(import.meta.url);
const AXE = require('axe-core').source;

/** The issue's targets. SEO counts on public pages only. */
const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 95, seo: 95 };
const CATEGORIES = Object.keys(TARGETS);

function isoDate(days) {
  const date = new Date(Date.now() + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** The organizer's series, one session tomorrow, and one registration; returns the URLs. */
async function seed(browser, baseUrl) {
  const organizer = await newPerson(browser, baseUrl);
  const page = organizer.page;
  await signIn(page, 'audit.org@example.org', 'Audit Organizer');
  await page.goto('/');
  await page.getByRole('link', { name: 'Create your first series' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill('Audit Park Jam');
  await page.getByRole('textbox', { name: 'Description' }).fill('Warm-up, then open jamming. Bring water.');
  await page.getByRole('textbox', { name: 'Venue' }).fill('Volkspark, by the fountain');
  await page.getByRole('spinbutton', { name: 'Bases' }).fill('4');
  await page.getByRole('spinbutton', { name: 'Flyers' }).fill('4');
  await page.getByRole('button', { name: 'Create series' }).click();
  await page.getByRole('link', { name: 'Schedule sessions' }).first().click();
  await page.getByRole('textbox', { name: 'Date' }).fill(isoDate(2));
  await page.getByRole('textbox', { name: 'Starts' }).fill('18:00');
  await page.getByRole('textbox', { name: 'Ends' }).fill('20:00');
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.waitForLoadState();
  const session = page.getByRole('link', { name: /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/ }).first();
  await session.click();
  await page.getByRole('link', { name: 'Public page', exact: true }).click();
  await page.getByRole('button', { name: 'Register' }).waitFor();
  const publicUrl = page.url();

  const visitor = await newPerson(browser, baseUrl);
  await visitor.page.goto(publicUrl);
  await visitor.page.getByRole('textbox', { name: 'Your name' }).fill('Ada Audit');
  await visitor.page.getByRole('textbox', { name: 'Email' }).fill('ada.audit@example.org');
  await visitor.page.getByRole('radio', { name: /^Base/ }).check();
  await visitor.page.getByRole('checkbox', { name: /^I agree/ }).check();
  await visitor.page.getByRole('button', { name: /^(Register|Join the waitlist)/ }).click();
  await visitor.page.getByRole('heading', { name: 'Check your inbox', level: 1 }).waitFor();
  // The answer is the same for everyone; the registration's own page is behind its email.
  await followEmailedLink(visitor.page, 'ada.audit@example.org', /^You're in:/, '/cancel/');
  const resultUrl = visitor.page.url();
  await visitor.context.close();

  await page.goto('/');
  const dashboardUrl = page.url();
  await page.getByRole('link', { name: /^Registrations for / }).first().click();
  await page.getByRole('table').first().waitFor();
  const tableUrl = page.url();
  const cookies = (await organizer.context.cookies())
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
  await organizer.context.close();
  return [
    { name: 'home', url: `${baseUrl}/`, public: true },
    { name: 'public session', url: publicUrl, public: true },
    { name: 'result', url: resultUrl, public: false },
    { name: 'dashboard', url: dashboardUrl, public: false, cookies },
    { name: 'registrations', url: tableUrl, public: false, cookies },
  ];
}

/** Signs Lighthouse's Chromium in: Chrome does not send a `Cookie` passed in Lighthouse's
 * `extraHeaders` when its own jar is empty, so the sign-in cookie goes into the jar (over
 * CDP) and Lighthouse keeps storage; the HTTP cache is emptied by hand so the page is
 * still measured as a first load. */
async function prepareSignedIn(chrome, target) {
  const cdpBrowser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const session = await cdpBrowser.newBrowserCDPSession();
  const url = new URL(target.url);
  await session.send('Storage.setCookies', {
    cookies: target.cookies.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: url.hostname, path: '/' };
    }),
  });
  const context = cdpBrowser.contexts()[0];
  const page = context.pages()[0] ?? (await context.newPage());
  const pageSession = await context.newCDPSession(page);
  await pageSession.send('Network.clearBrowserCache');
  await pageSession.detach();
  await session.detach();
}

async function runLighthouse(chrome, target, reports) {
  if (target.cookies) await prepareSignedIn(chrome, target);
  const flags = {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: CATEGORIES,
    disableStorageReset: Boolean(target.cookies),
    extraHeaders: target.cookies ? { Cookie: target.cookies } : undefined,
  };
  const result = await lighthouse(target.url, flags);
  const lhr = result.lhr;
  writeFileSync(join(reports, `${target.name.replace(/ /g, '-')}.lighthouse.json`), result.report);
  const scores = Object.fromEntries(
    CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
  );
  const failing = [];
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 0.9) failing.push(`${id}: ${audit.id} (${audit.title})`);
    }
  }
  const bytes = lhr.audits['total-byte-weight']?.numericValue ?? 0;
  if (lhr.finalDisplayedUrl !== target.url) failing.push(`ended on ${lhr.finalDisplayedUrl}, not ${target.url}`);
  return { scores, failing, bytes };
}

async function runAxe(browser, target, theme) {
  // bypassCSP: axe is injected as an inline script, which our CSP (rightly) refuses.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 800 } });
  const url = new URL(target.url);
  const cookies = [`jamie_theme=${theme}`, ...(target.cookies ? target.cookies.split('; ') : [])];
  await context.addCookies(
    cookies.map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: url.hostname, path: '/' };
    }),
  );
  const page = await context.newPage();
  await page.goto(target.url);
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const run = await axe.run(document, { resultTypes: ['violations'] });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  await context.close();
  return results;
}

/** Bytes over the wire (headers and bodies, as Chromium counts them) for a first load of
 * `url` and a repeat visit in the same browser (hashed assets come from the cache). */
async function weigh(browser, url) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength;
    requests += 1;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  const first = { bytes, requests };
  bytes = 0;
  requests = 0;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  const repeat = { bytes, requests };
  await context.close();
  return { first, repeat };
}

/** The issue's weight targets for the public session page. */
const FIRST_LOAD_MAX = 50_000;
const REPEAT_MAX = 10_000;

async function main() {
  const reports = join(REPO, 'target', 'audit');
  mkdirSync(reports, { recursive: true });
  const stack = await startStack();
  let browser;
  let chrome;
  let ok = true;
  try {
    browser = await launchBrowser();
    const targets = await seed(browser, stack.baseUrl);
    chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH || CHROMIUM, chromeFlags: CHROMIUM_ARGS });
    const publicSession = targets.find((t) => t.name === 'public session');
    const weight = await weigh(browser, publicSession.url);
    const rows = [];
    for (const target of targets) {
      const lh = await runLighthouse(chrome, target, reports);
      const axe = [...(await runAxe(browser, target, 'light')), ...(await runAxe(browser, target, 'dark'))];
      const byImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
      const seenIds = new Map();
      for (const v of axe) {
        byImpact[v.impact] = (byImpact[v.impact] ?? 0) + 1;
        seenIds.set(`${v.impact} ${v.id}`, v);
      }
      const misses = [];
      for (const id of CATEGORIES) {
        if (id === 'seo' && !target.public) continue;
        const need = TARGETS[id];
        if (lh.scores[id] < need) misses.push(`${id} ${lh.scores[id]} < ${need}`);
      }
      if (byImpact.critical + byImpact.serious > 0) misses.push('serious/critical axe findings');
      if (misses.length) ok = false;
      rows.push({ target, lh, byImpact, axe: [...seenIds.values()], misses });
    }
    const pad = (text, width) => String(text).padEnd(width);
    console.log(`\n${pad('page', 16)}${pad('perf', 6)}${pad('a11y', 6)}${pad('bp', 6)}${pad('seo', 6)}${pad('KB', 7)}axe crit/ser/mod/min`);
    for (const row of rows) {
      const s = row.lh.scores;
      const b = row.byImpact;
      console.log(
        `${pad(row.target.name, 16)}${pad(s.performance, 6)}${pad(s.accessibility, 6)}${pad(s['best-practices'], 6)}${pad(row.target.public ? s.seo : `(${s.seo})`, 6)}${pad((row.lh.bytes / 1024).toFixed(1), 7)}${b.critical}/${b.serious}/${b.moderate}/${b.minor}`,
      );
    }
    for (const row of rows) {
      if (!row.axe.length && !row.lh.failing.length && !row.misses.length) continue;
      console.log(`\n${row.target.name} (${row.target.url})`);
      for (const miss of row.misses) console.log(`  MISSED: ${miss}`);
      for (const v of row.axe) console.log(`  axe ${v.impact}: ${v.id} — ${v.help} [${v.nodes.join(', ')}]`);
      for (const f of row.lh.failing) console.log(`  lighthouse: ${f}`);
    }
    console.log(
      `\npublic session page: first load ${weight.first.bytes} bytes in ${weight.first.requests} requests (target ≤ ${FIRST_LOAD_MAX}), repeat visit ${weight.repeat.bytes} bytes in ${weight.repeat.requests} requests (target ≤ ${REPEAT_MAX})`,
    );
    if (weight.first.bytes > FIRST_LOAD_MAX || weight.repeat.bytes > REPEAT_MAX) {
      ok = false;
      console.log('  MISSED: the weight target');
    }
    console.log(`\nreports in ${reports}`);
  } finally {
    if (chrome) await chrome.kill();
    if (browser) await browser.close();
    await stack.stop();
  }
  if (!ok) {
    console.error('\naudit: a target was missed');
    process.exit(1);
  }
  console.log('\naudit: every target met');
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
