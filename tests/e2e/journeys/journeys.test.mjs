// The journeys of issues 11 and 13, in headless Chromium against the dev server: one organizer's story
// from sign-up to check-in, told through the UI only (the only URLs typed are `/` and
// `/dev/mailbox`). They run in order and share the stack; each says what it needs from before.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO,
  startStack,
  launchBrowser,
  newPerson,
  signIn,
  fillSignInForm,
  followEmailedLink,
} from '../lib/stack.mjs';
import { pickZone, localParts, addMinutes, openPublicSession, register, seen, escape } from '../lib/people.mjs';
import { parseCsv } from '../lib/csv.mjs';

const SHOTS = join(REPO, 'target', 'e2e-screenshots');
const DOCS_SHOTS = join(REPO, 'docs', 'screenshots');
const PHOTO = join(REPO, 'tests', 'e2e', 'fixtures', 'jam.png');

const SERIES = 'Sunset Acro Jam';
const ANA = { email: 'ana.owner@example.org', name: 'Ana Owner' };
const CORA = { email: 'cora.co@example.org', name: 'Cora Cohost' };
const ROOT = { email: 'root.admin@example.org', name: 'Root Admin' };

let stack;
let browser;
const zone = pickZone();
/** What earlier journeys leave for later ones. */
const story = {};

const people = [];
async function person(options = {}) {
  const made = await newPerson(browser, stack.baseUrl, { timezoneId: zone, viewport: { width: 1280, height: 900 }, ...options });
  people.push(made.context);
  return made;
}

async function shoot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

before(async () => {
  assert.ok(zone, 'a browser time zone where it is daytime');
  stack = await startStack({ superadmins: [ROOT.email] });
  browser = await launchBrowser();
});

// A failed journey leaves a picture of every page still open, to see what a person saw.
afterEach(async (t) => {
  if (!t.passed) {
    let n = 0;
    for (const context of people) {
      for (const page of context.pages()) {
        await shoot(page, `failed-${t.name.split('.')[0]}-${++n}`).catch(() => {});
      }
    }
  }
});

after(async () => {
  for (const context of people) await context.close().catch(() => {});
  await browser?.close();
  await stack?.stop();
});

test('1. an organizer signs up by magic link, creates a series with a photo, schedules 4 weekly sessions and finds the link to share', async () => {
  const { context, page } = await person();
  story.ana = { context, page };
  await signIn(page, ANA.email, ANA.name);
  await page.getByRole('heading', { name: `Hi, ${ANA.name}` }).waitFor();

  await page.getByRole('link', { name: 'Create your first series' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill(SERIES);
  await page.getByRole('textbox', { name: 'Description' }).fill('Warm-up at the fountain, then open jamming until sunset.');
  await page.getByRole('textbox', { name: 'Venue' }).fill('Volkspark, by the fountain');
  await page.getByRole('spinbutton', { name: 'Bases' }).fill('2');
  await page.getByRole('spinbutton', { name: 'Flyers' }).fill('2');
  // The form fills in the browser's zone: the organizer checks it, as a person would.
  assert.equal(await page.getByRole('combobox', { name: 'Time zone' }).inputValue(), zone);
  await page.getByRole('button', { name: 'Create series' }).click();
  assert.match(await seen(page.getByRole('status')), new RegExp(`Created “${SERIES}”`));

  await page.getByRole('link', { name: 'Photo', exact: true }).click();
  await page.getByRole('button', { name: 'Photo', exact: true }).setInputFiles(PHOTO);
  await page.getByRole('button', { name: 'Upload photo' }).click();
  assert.match(await seen(page.getByRole('status')), /Photo saved/);

  // The first session today, half an hour from now; then every week.
  const now = localParts(zone);
  story.today = now.date;
  story.start = addMinutes(now.time, 30 - (now.minute % 5));
  await page.getByRole('link', { name: 'Schedule sessions' }).first().click();
  await page.getByRole('textbox', { name: 'Date' }).fill(now.date);
  await page.getByRole('textbox', { name: 'Starts' }).fill(story.start);
  await page.getByRole('textbox', { name: 'Ends' }).fill(addMinutes(story.start, 120));
  await page.getByRole('combobox', { name: 'Repeat' }).selectOption({ label: 'Every week' });
  await page.getByRole('spinbutton', { name: 'Sessions' }).fill('4');
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  assert.match(await seen(page.getByRole('status')), /Scheduled 4 sessions/);
  const upcoming = page.getByRole('region', { name: 'Upcoming' }).getByRole('listitem');
  assert.equal(await upcoming.count(), 4);
  story.firstLabel = `Today, ${story.start}`;
  assert.match(await upcoming.first().innerText(), new RegExp(escape(story.firstLabel)));

  await page.getByRole('link', { name: new RegExp(`^${escape(story.firstLabel)}`) }).click();
  const share = page.getByRole('textbox', { name: 'Link to share' });
  const link = await share.inputValue();
  assert.match(link, new RegExp(`^${escape(stack.baseUrl)}/s/\\w+$`), 'the link to share is the real address');
  assert.equal(await share.getAttribute('readonly'), '');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
  await page.getByRole('button', { name: 'Copy link' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'Copy link puts it on the clipboard');
  story.sessionLink = link;
  await shoot(page, 'desktop-light-session');

  await page.getByRole('link', { name: 'Public page', exact: true }).click();
  assert.equal(page.url(), link, 'the public page is the shared link');
  await page.getByRole('heading', { name: SERIES, level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Register' }).waitFor();

  // A stranger finds the series from the home page, photo and all.
  const { page: stranger } = await person();
  await stranger.goto('/');
  await stranger.getByRole('link', { name: 'Find a jam' }).click();
  await stranger.getByRole('link', { name: SERIES, exact: true }).click();
  const photo = stranger.getByRole('article').locator('img').first();
  await photo.scrollIntoViewIfNeeded();
  // Decoded, not merely in the page: a broken image has no natural width once it settles.
  const width = await photo.evaluate((img) =>
    img.decode().then(() => img.naturalWidth, () => 0),
  );
  assert.ok(width > 0, 'the photo shows');
  const sessions = stranger.getByRole('region', { name: 'Upcoming sessions' }).getByRole('listitem');
  assert.equal(await sessions.count(), 4, 'four dates are listed');

  // From a session's page the stranger adds it to their calendar: a .ics file downloads.
  await sessions.first().getByRole('link').click();
  const [download] = await Promise.all([
    stranger.waitForEvent('download'),
    stranger.getByRole('link', { name: 'Add to calendar' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.ics$/);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  assert.match(Buffer.concat(chunks).toString('utf8'), /BEGIN:VEVENT/, 'the file holds the session');
});

test('2. the organizer invites a co-organizer, who accepts in another browser', async () => {
  assert.ok(story.ana, 'journey 1 ran');
  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: SERIES, exact: true }).click();
  await page.getByRole('textbox', { name: 'Their email address' }).fill(CORA.email);
  await page.getByRole('button', { name: 'Create invite' }).click();
  assert.match(await seen(page.getByRole('status').first()), /Invite emailed/);

  const { context, page: cora } = await person();
  await followEmailedLink(cora, CORA.email, /invited you to co-organize/, '/jams/invites/');
  await cora.getByRole('heading', { name: 'Join as co-organizer' }).waitFor();
  assert.match(await seen(cora.getByRole('main')), new RegExp(`${ANA.name} invited you .*${SERIES}`));
  await cora.getByRole('link', { name: 'Sign in or sign up to accept' }).click();
  // The sign-in form knows who was invited.
  assert.equal(await cora.getByRole('textbox', { name: 'Email', exact: true }).inputValue(), CORA.email);
  await fillSignInForm(cora, CORA.email, CORA.name);
  await followEmailedLink(cora, CORA.email, /sign-in link/i, '/auth/link/');
  await cora.getByRole('button', { name: 'Sign me in' }).click();
  await cora.getByRole('button', { name: 'Accept invite' }).click();
  await cora.getByRole('heading', { name: SERIES, level: 1 }).waitFor();
  const organizers = await seen(cora.getByRole('region', { name: 'Organizers' }));
  assert.match(organizers, new RegExp(`${ANA.name}.*Owner`));
  assert.match(organizers, new RegExp(`${CORA.name}.*Co-organizer`));

  story.cora = { context, page: cora };

  // The owner sees her too.
  await page.reload();
  assert.match(await seen(page.getByRole('region', { name: 'Organizers' })), new RegExp(`${CORA.name}.*Co-organizer`));
});

test('3. participants fill a role, the next is waitlisted, one cancels by the emailed link and the waitlisted one is promoted', async () => {
  assert.ok(story.firstLabel, 'journey 1 ran');
  const label = story.firstLabel.replace(/^Today, /, '');
  const dateLabel = await firstSessionDateLabel();
  const results = {};
  for (const [key, who] of Object.entries({
    bea: { name: 'Bea Base', email: 'bea@example.org', role: 'Base' },
    ben: { name: 'Ben Base', email: 'ben@example.org', role: 'Base' },
    bo: { name: 'Bo Waiting', email: 'bo@example.org', role: 'Base' },
  })) {
    const { page } = await person();
    await openPublicSession(page, SERIES, dateLabel);
    await register(page, who);
    results[key] = { page, who };
  }
  // Everyone is told the same: the email says whether they have a spot.
  for (const { page, who } of Object.values(results)) {
    assert.match(await seen(page.getByRole('heading', { level: 1 })), /Check your inbox/);
    assert.match(await seen(page.getByRole('main')), new RegExp(`We've emailed ${escape(who.email)}`));
  }
  // Bo's email says he waits (the worker sends a moment after the request).
  const { page: boMail } = await person();
  const boCard = boMail
    .getByRole('listitem')
    .filter({ hasText: 'to bo@example.org' })
    .filter({ has: boMail.getByRole('heading', { name: /^Waitlist: you're 1st in line/ }) })
    .first();
  const boDeadline = Date.now() + 60_000;
  for (;;) {
    await boMail.goto('/dev/mailbox');
    if (await boCard.count()) break;
    assert.ok(Date.now() < boDeadline, "Bo's waitlist email reached the mailbox");
    await boMail.waitForTimeout(500);
  }

  // The public page says bases are full.
  const { page: look } = await person();
  await openPublicSession(look, SERIES, dateLabel);
  const spots = await seen(look.getByRole('main'));
  assert.match(spots, /Bases 2\/2/);
  assert.match(spots, /Flyers 0\/2/);

  // Bea cancels from the link in her confirmation email.
  const { page: beaLater } = await person();
  await followEmailedLink(beaLater, 'bea@example.org', /^You're in:/, '/cancel/');
  assert.match(await seen(beaLater.getByRole('main')), /Bea Base.*Confirmed as a base/);
  await beaLater.getByRole('button', { name: 'Cancel my registration' }).click();
  assert.match(await seen(beaLater.getByRole('main')), /cancelled/i);

  // Bo is told, and the link in his email shows he is in.
  await followEmailedLink(results.bo.page, 'bo@example.org', /A spot freed up/, '/cancel/');
  assert.match(await seen(results.bo.page.getByRole('main')), /Bo Waiting.*Confirmed as a base/);

  await look.reload();
  assert.match(await seen(look.getByRole('main')), /Bases 2\/2/);

  // The organizer's table agrees.
  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: new RegExp(`^Registrations for ${SERIES}`) }).click();
  const table = page.getByRole('table', { name: 'Registrations' });
  assert.match(await seen(rowOf(table, 'Bea Base')), /Cancelled/);
  assert.match(await seen(rowOf(table, 'Bo Waiting')), /Confirmed/);
  assert.match(await seen(rowOf(table, 'Ben Base')), /Confirmed/);
  assert.match(await seen(page.getByRole('main')), /Bases 2\/2/);
  await shoot(page, 'desktop-light-registrations');
  story.registered = true;
  void label;
});

test('4. the organizer filters, searches, adds someone, moves someone, ticks attendance at the door and exports CSV', async () => {
  assert.ok(story.registered, 'journey 3 ran');
  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: new RegExp(`^Registrations for ${SERIES}`) }).click();
  const table = page.getByRole('table', { name: 'Registrations' });

  await page.getByRole('link', { name: 'Add someone' }).click();
  const add = page.getByRole('region', { name: 'Add someone' });
  // A name of blanks passes the browser's own check and not ours: the form comes back low on a
  // long page, with the message written for the organizer and the cursor in the field that needs
  // it, not on <body> at the top.
  const nameField = add.getByRole('textbox', { name: 'Name' });
  await nameField.fill('   ');
  await add.getByRole('textbox', { name: 'Email' }).fill('fay@example.org');
  await add.getByRole('button', { name: 'Add' }).click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  assert.equal(await nameField.evaluate((field) => field === document.activeElement), true, 'focus is on the name');
  assert.match(await seen(add), /Enter their name\./);
  await nameField.fill('Fay Flyer');
  await add.getByRole('textbox', { name: 'Email' }).fill('fay@example.org');
  await add.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Flyer' });
  await add.getByRole('button', { name: 'Add' }).click();
  // The notice says what happened to her (issue 11: "Added." said neither).
  assert.match(await seen(page.getByRole('status').first()), /confirmed/i);
  assert.match(await seen(rowOf(table, 'Fay Flyer')), /Confirmed/);

  const filter = page.getByRole('search', { name: 'Filter registrations' });
  await filter.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Cancelled' });
  await filter.getByRole('button', { name: 'Filter' }).click();
  assert.equal(await table.getByRole('row').count(), 2, 'the header and Bea');
  await rowOf(table, 'Bea Base').waitFor();

  await filter.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'All statuses' });
  await filter.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Flyer' });
  await filter.getByRole('button', { name: 'Filter' }).click();
  await rowOf(table, 'Fay Flyer').waitFor();
  assert.equal(await table.getByRole('row').count(), 2, 'the header and Fay, the only flyer');

  await filter.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'All roles' });
  await filter.getByRole('searchbox', { name: 'Name or email' }).fill('ben@');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await rowOf(table, 'Ben Base').waitFor();
  assert.equal(await table.getByRole('row').count(), 2, 'the header and Ben');
  await rowOf(table, 'Ben Base').getByRole('button', { name: /^Move to flyer/ }).click();
  await page.getByRole('status').first().waitFor();
  const main = await seen(page.getByRole('main'));
  assert.match(main, /Bases 1\/2/);
  assert.match(main, /Flyers 2\/2/);

  // Cancelling for someone asks first, says what it did, and can be undone.
  await filter.getByRole('searchbox', { name: 'Name or email' }).fill('fay@');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await rowOf(table, 'Fay Flyer').getByRole('link', { name: /^Cancel for them/ }).click();
  await page.getByRole('heading', { name: /^Cancel Fay Flyer.s spot\?$/ }).waitFor();
  await page.getByRole('button', { name: 'Yes, cancel their spot' }).click();
  assert.match(await seen(page.getByRole('status').first()), /Fay Flyer.s spot is cancelled/);
  assert.match(await seen(rowOf(table, 'Fay Flyer')), /Cancelled/);
  await page.getByRole('button', { name: 'Add them back' }).first().click();
  assert.match(await seen(page.getByRole('status').first()), /Fay Flyer .*added back and confirmed as a flyer/);
  // A new registration of hers beside the cancelled one, which stays as history.
  assert.equal(await rowOf(table, 'Fay Flyer').count(), 2);
  await rowOf(table, 'Fay Flyer').filter({ hasText: 'Confirmed' }).waitFor();
  assert.match(await seen(page.getByRole('main')), /Flyers 2\/2/);

  // Ticking in opens when the jam starts: the organizer moves today's session to the next minute.
  await page.getByRole('link', { name: 'Back to session' }).click();
  const now = localParts(zone);
  const start = addMinutes(now.time, now.second < 40 ? 1 : 2);
  const edit = page.getByRole('region', { name: 'Change this session' });
  await edit.getByRole('textbox', { name: 'Starts' }).fill(start);
  await edit.getByRole('textbox', { name: 'Ends' }).fill(addMinutes(start, 120));
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: new RegExp(`^Today, ${start}`), level: 1 }).waitFor();
  while (localParts(zone).time < start) await page.waitForTimeout(1000);
  await page.waitForTimeout(1000);

  await page.getByRole('link', { name: 'Check-in list' }).click();
  await page.getByRole('button', { name: 'Mark Bo Waiting attended' }).click();
  await page.getByRole('button', { name: 'Undo: Bo Waiting attended' }).waitFor();
  await shoot(page, 'desktop-light-checkin');
  assert.match(await seen(page.getByRole('heading', { name: /^Bases/ })), /Bases \(1\).*1 here/);

  await page.getByRole('link', { name: 'Back to registrations' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  mkdirSync(SHOTS, { recursive: true });
  const saved = join(SHOTS, 'registrations.csv');
  await download.saveAs(saved);
  const rows = parseCsv(readFileSync(saved, 'utf8'));
  const header = rows[0];
  for (const column of ['Name', 'Email', 'Role', 'Status', 'Attendance']) {
    assert.ok(header.includes(column), `the CSV has a ${column} column: ${header}`);
  }
  const byName = Object.fromEntries(rows.slice(1).map((row) => [row[header.indexOf('Name')], row]));
  const bo = byName['Bo Waiting'];
  assert.ok(bo, 'Bo is in the CSV');
  assert.equal(bo[header.indexOf('Email')], 'bo@example.org');
  assert.match(bo[header.indexOf('Status')], /confirmed/i);
  assert.match(bo[header.indexOf('Attendance')], /attended/i);
  assert.match(byName['Ben Base'][header.indexOf('Role')], /flyer/i);
});

test('5. a superadmin blocks a user, whose open page then cannot act', async () => {
  assert.ok(story.cora, 'journey 2 ran');
  const { page: cora } = story.cora;
  await cora.goto('/');
  await cora.getByRole('link', { name: SERIES, exact: true }).click();
  await cora.getByRole('link', { name: 'Schedule sessions' }).first().waitFor();

  const { page: root } = await person();
  await signIn(root, ROOT.email, ROOT.name);
  await root.getByRole('link', { name: 'Admin', exact: true }).click();
  await root.getByRole('searchbox', { name: 'Search by email or name' }).fill('cora');
  await root.getByRole('button', { name: 'Search' }).click();
  const row = root.getByRole('row').filter({ hasText: CORA.email });
  await row.getByRole('textbox', { name: `Reason for blocking ${CORA.email}` }).fill('Spam invites');
  await row.getByRole('button', { name: 'Block' }).click();
  assert.match(await seen(root.getByRole('row').filter({ hasText: CORA.email })), /Blocked.*Spam invites/);

  // Cora's page is still open; her next step fails and says so.
  await cora.getByRole('link', { name: 'Schedule sessions' }).first().click();
  const seenByCora = await seen(cora.getByRole('main'));
  await shoot(cora, 'desktop-light-blocked');
  assert.doesNotMatch(seenByCora, /Schedule sessions\s*Times are in/);
  assert.match(seenByCora, /blocked|log in|sign in/i);
  assert.equal(await cora.getByRole('button', { name: 'Schedule', exact: true }).count(), 0);

  // The delivery log of the day, from the admin pages: the run's emails and where each stands.
  await root.getByRole('link', { name: 'Deliveries', exact: true }).click();
  const log = await seen(root.getByRole('main'));
  assert.ok(log.includes(ANA.email), 'the organizer\'s emails are listed');
  assert.ok(log.includes(CORA.email), 'the invitation is listed');
  assert.match(log, /Sign-in link/);
  assert.match(log, /Co-organizer invitation/);
  assert.match(log, /\b(sent|delivered)\b/);
});

test('6. on a 375 px phone in dark mode: the public page, the result page and the dashboard', async () => {
  assert.ok(story.firstLabel, 'journey 1 ran');
  const phone = { viewport: { width: 375, height: 740 }, colorScheme: 'dark', isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
  const { page } = await person(phone);
  const secondLabel = await sessionDateLabel(1);
  await openPublicSession(page, SERIES, secondLabel);
  await assertFits(page);
  const shots = [await shoot(page, 'phone-dark-public-session')];
  await register(page, { name: 'Gus Flyer', email: 'gus.flyer@example.org', role: 'Flyer' });
  assert.match(await seen(page.getByRole('heading', { level: 1 })), /Check your inbox/);
  await assertFits(page);
  shots.push(await shoot(page, 'phone-dark-result'));

  const { page: ana } = await person(phone);
  await signIn(ana, ANA.email);
  await ana.getByRole('heading', { name: `Hi, ${ANA.name}` }).waitFor();
  await assertFits(ana);
  shots.push(await shoot(ana, 'phone-dark-dashboard'));
  await ana.getByRole('link', { name: new RegExp(`^Registrations for ${SERIES}`) }).click();
  await assertFits(ana);
  await shoot(ana, 'phone-dark-registrations');

  // `E2E_UPDATE_DOCS=1 make e2e` refreshes the README's pictures.
  if (process.env.E2E_UPDATE_DOCS) {
    mkdirSync(DOCS_SHOTS, { recursive: true });
    for (const shot of shots) copyFileSync(shot, join(DOCS_SHOTS, shot.split('/').pop()));
  }
});

test('7. the organizer messages the confirmed people of a session from its registrations page, and the email is in their mailbox', async () => {
  assert.ok(story.ana, 'journey 1 ran');
  // Hal takes a spot in the third session, which no other journey touches.
  const dateLabel = await sessionDateLabel(2);
  const date = /\w{3} \d{1,2} \w{3} \d{4}/.exec(dateLabel)?.[0];
  assert.ok(date, `a dated session: ${dateLabel}`);
  const { page: hal } = await person();
  await openPublicSession(hal, SERIES, dateLabel);
  await register(hal, { name: 'Hal Base', email: 'hal@example.org', role: 'Base' });
  assert.match(await seen(hal.getByRole('heading', { level: 1 })), /Check your inbox/);

  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: SERIES, exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`^Registrations.*${escape(date)}`) }).click();
  await page.getByRole('link', { name: 'Message participants' }).click();
  const form = page.getByRole('region', { name: 'Message participants' });
  assert.match(await seen(form), /Everyone confirmed \(1\)/);
  // Sent empty, it comes back with the reason beside the field and the cursor in it.
  await form.getByRole('button', { name: 'Send message' }).click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  const text = form.getByRole('textbox', { name: 'Message' });
  assert.equal(await text.evaluate((field) => field === document.activeElement), true, 'focus is on the message');
  assert.match(await seen(form), /Write your message/);

  const words = 'Bring a mat; we start 15 minutes late.';
  await text.fill(words);
  assert.match(await seen(form), new RegExp(`${words.length} of 1,000 characters`), 'the count follows the typing');
  await form.getByRole('combobox', { name: 'Send to' }).selectOption({ value: 'confirmed' });
  await form.getByRole('button', { name: 'Send message' }).click();
  assert.match(await seen(page.getByRole('status').first()), /Message sent to 1 person/);
  assert.equal(
    await page.getByRole('region', { name: 'Message participants' }).getByRole('textbox', { name: 'Message' }).inputValue(),
    '',
    'the form is cleared',
  );
  await shoot(page, 'desktop-light-message-sent');

  // Hal has it in the mailbox: from the organizer, with her words.
  const card = hal
    .getByRole('listitem')
    .filter({ hasText: 'to hal@example.org' })
    .filter({ has: hal.getByRole('heading', { name: new RegExp(`^Message from ${ANA.name}`) }) })
    .first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await hal.goto('/dev/mailbox');
    if (await card.count()) break;
    assert.ok(Date.now() < deadline, 'the message reached the mailbox');
    await hal.waitForTimeout(500);
  }
  assert.match(await seen(card), new RegExp(escape(words)));
});

test('8. the organizer asks for confirmation by email; a participant registers, presses the link in the email and is confirmed', async () => {
  assert.ok(story.ana, 'journey 1 ran');
  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: SERIES, exact: true }).click();
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  const setting = page.getByRole('checkbox', { name: 'Confirm registrations by email' });
  assert.equal(await setting.isChecked(), false, 'off by default');
  assert.match(await seen(page.locator('#field-confirm_by_email-note')), /within 30 minutes/);
  await setting.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: SERIES, level: 1 }).waitFor();

  // The fourth session, which no other journey touches.
  const dateLabel = await sessionDateLabel(3);
  const { page: ivy } = await person();
  await openPublicSession(ivy, SERIES, dateLabel);
  await register(ivy, { name: 'Ivy Flyer', email: 'ivy@example.org', role: 'Flyer' });
  assert.match(await seen(ivy.getByRole('heading', { level: 1 })), /Check your inbox/);
  assert.match(await seen(ivy.getByRole('main')), /within 30 minutes to keep your spot/);
  await shoot(ivy, 'desktop-light-check-inbox');

  await followEmailedLink(ivy, 'ivy@example.org', /^Press to keep your spot/, '/confirm/');
  assert.match(await seen(ivy.getByRole('main')), /You hold a spot as a flyer/);
  await ivy.getByRole('button', { name: 'Keep my spot' }).click();
  assert.match(await seen(ivy.getByRole('heading', { level: 1 })), /You're confirmed/);
  assert.match(await seen(ivy.getByRole('main')), /your registration is confirmed/);
  await shoot(ivy, 'desktop-light-confirmed-by-email');

  // Turned off again, so that the journeys can run in any order after this one.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Confirm registrations by email' }).uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: SERIES, level: 1 }).waitFor();
});

test('9. the organizer cancels two registrations at once, and the waitlisted person who gets a spot finds the email in the mailbox', async () => {
  assert.ok(story.ana, 'journey 1 ran');
  // The fourth session (journey 8 put a flyer there): two bases fill it, a third waits.
  const dateLabel = await sessionDateLabel(3);
  const date = /\w{3} \d{1,2} \w{3} \d{4}/.exec(dateLabel)?.[0];
  assert.ok(date, `a dated session: ${dateLabel}`);
  let kit;
  for (const who of [
    { name: 'Pia Base', email: 'pia@example.org', role: 'Base' },
    { name: 'Quin Base', email: 'quin@example.org', role: 'Base' },
    { name: 'Kit Waiting', email: 'kit@example.org', role: 'Base' },
  ]) {
    const { page } = await person();
    await openPublicSession(page, SERIES, dateLabel);
    await register(page, who);
    assert.match(await seen(page.getByRole('heading', { level: 1 })), /Check your inbox/);
    kit = page;
  }

  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: SERIES, exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`^Registrations.*${escape(date)}`) }).click();
  const before = page.getByRole('table', { name: 'Registrations' });
  assert.match(await seen(rowOf(before, 'Kit Waiting')), /wait/i, 'Kit waits before the cancel');
  await page.getByRole('checkbox', { name: 'Select Pia Base' }).check();
  await page.getByRole('checkbox', { name: 'Select Quin Base' }).check();
  await shoot(page, 'desktop-light-batch-ticked');
  await page.getByRole('button', { name: 'Cancel selected' }).click();

  // Asked first: who goes, and whether they are emailed (yes unless unticked).
  await page.getByRole('heading', { name: 'Cancel 2 registrations?', level: 1 }).waitFor();
  const who = await seen(page.getByRole('list', { name: 'Who is cancelled' }));
  assert.match(who, /Pia Base.*Quin Base/);
  assert.doesNotMatch(who, /Kit Waiting/);
  assert.equal(await page.getByRole('checkbox', { name: 'Email them that their spot is cancelled' }).isChecked(), true);
  await shoot(page, 'desktop-light-batch-cancel');
  await page.setViewportSize({ width: 375, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'phone-dark-batch-cancel');
  await assertFits(page);
  await page.getByRole('button', { name: 'Yes, cancel 2 registrations' }).click();
  assert.match(
    await seen(page.getByRole('status').first()),
    /2 registrations are cancelled; each person is told by email\. 1 person moved up from the waitlist/,
  );
  const table = page.getByRole('table', { name: 'Registrations' });
  assert.match(await seen(rowOf(table, 'Pia Base')), /Cancelled/);
  assert.match(await seen(rowOf(table, 'Quin Base')), /Cancelled/);
  assert.match(await seen(rowOf(table, 'Kit Waiting')), /Confirmed/);
  await shoot(page, 'phone-dark-batch-cancelled');
  await assertFits(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });

  // Kit is told.
  const card = kit
    .getByRole('listitem')
    .filter({ hasText: 'to kit@example.org' })
    .filter({ has: kit.getByRole('heading', { name: /A spot freed up/ }) })
    .first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await kit.goto('/dev/mailbox');
    if (await card.count()) break;
    assert.ok(Date.now() < deadline, 'the promotion email reached the mailbox');
    await kit.waitForTimeout(500);
  }
});

test('10. one phone sending a sixth registration for a session is told to wait, and a guessed-at owner is offered a sign-in link', async () => {
  assert.ok(story.ana, 'journey 1 ran');
  // Journeys 8 and 9 sent four registrations for the fourth session from this machine; five fit an hour.
  const dateLabel = await sessionDateLabel(3);
  const { page } = await person();
  for (const who of [{ name: 'Lea Flyer', email: 'lea@example.org', role: 'Flyer' }]) {
    await openPublicSession(page, SERIES, dateLabel);
    await register(page, who);
    assert.match(await seen(page.getByRole('heading', { level: 1 })), /Check your inbox/);
  }
  await openPublicSession(page, SERIES, dateLabel);
  await register(page, { name: 'Ned Flood', email: 'ned@example.org', role: 'Base' });
  const refused = await seen(page.getByRole('main'));
  assert.match(refused, /5 registrations were already sent for this session from your connection this hour/);
  assert.match(refused, /Please try again from \d{2}:\d{2}/);
  assert.equal(await page.getByRole('textbox', { name: 'Your name' }).inputValue(), 'Ned Flood', 'what was typed is kept');
  await shoot(page, 'desktop-light-registration-limit');

  // Someone guesses Ana's password: after ten tries the page says a link still works, with its button.
  const { page: guesser } = await person();
  await guesser.goto('/');
  await guesser.getByRole('link', { name: /^Log in/ }).first().click();
  await guesser.getByText('Have a password? Sign in with it').click();
  for (let attempt = 0; attempt < 11; attempt++) {
    const form = guesser.locator('form[action="/login/password"]');
    await form.getByRole('textbox', { name: 'Email' }).fill(ANA.email);
    await form.getByLabel('Password').fill(`not the password ${attempt}`);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await guesser.getByRole('heading', { name: 'Log in or sign up' }).waitFor();
  }
  const paused = await seen(guesser.getByRole('main'));
  assert.match(paused, /Password sign-in is paused for 15 minutes/);
  assert.match(paused, new RegExp(`A sign-in link by email still works: we send it to ${escape(ANA.email)}`));
  await guesser.setViewportSize({ width: 375, height: 800 });
  await guesser.emulateMedia({ colorScheme: 'dark' });
  await shoot(guesser, 'phone-dark-password-paused');
  await assertFits(guesser);
  await guesser.locator('details').getByRole('button', { name: 'Email me a sign-in link' }).click();
  await guesser.getByRole('heading', { name: 'Check your inbox' }).waitFor();
});

/** The table row of `name` (one). */
function rowOf(table, name) {
  return table.getByRole('row').filter({ has: table.page().getByRole('link', { name, exact: true }) });
}

/** How the public series page names the `index`th upcoming date and time, e.g. "Today
 * 09:35–11:35" or "Wed 9 Dec 2026 09:35–11:35" (without the counts, which change). */
async function sessionDateLabel(index) {
  const { page } = await person();
  await page.goto('/');
  await page.getByRole('link', { name: 'Find a jam' }).click();
  await page.getByRole('link', { name: SERIES, exact: true }).click();
  const item = page.getByRole('region', { name: 'Upcoming sessions' }).getByRole('link').nth(index);
  const text = await seen(item);
  await page.context().close();
  return /^.*?\d{2}:\d{2}–\d{2}:\d{2}/.exec(text)?.[0] ?? text;
}

function firstSessionDateLabel() {
  return sessionDateLabel(0);
}

/** A person would notice sideways scrolling. */
async function assertFits(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${page.url()} is ${scroll} px wide on a ${width} px screen`);
}

/** Opens the signed-in header menu and its account page. */
async function openAccount(page) {
  await page.goto('/');
  await page.locator('details[data-menu] > summary').first().click();
  await page.getByRole('link', { name: /Your account/ }).click();
  await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
}

test('11. a signed-in person sets a password; changing it later asks for the current one and signs other devices out', async () => {
  const PIA = { email: 'pia.pw@example.org', name: 'Pia Password' };
  const { page } = await person();
  await signIn(page, PIA.email, PIA.name);
  await openAccount(page);
  // Fresh from the emailed link: no current password to give.
  const card = page.locator('#password');
  assert.equal(await card.getByRole('textbox', { name: 'Current password' }).count(), 0);
  await card.getByLabel(/^Password/).fill('handstands at sunset');
  await card.getByRole('button', { name: 'Set password' }).click();
  assert.match(await seen(page.getByRole('main')), /Your password is saved/);

  // Signed in with the password on a phone: changing it there asks for the current one.
  const { page: phone } = await person({ viewport: { width: 375, height: 800 } });
  await phone.goto('/');
  await phone.getByRole('link', { name: /^(log in|sign in)/i }).first().click();
  await phone.getByText('Have a password? Sign in with it').click();
  const withPassword = phone.locator('details').filter({ hasText: 'Have a password? Sign in with it' });
  await withPassword.getByRole('textbox', { name: /^Email/ }).fill(PIA.email);
  await withPassword.getByLabel(/^Password/).fill('handstands at sunset');
  await withPassword.getByRole('button', { name: 'Sign in', exact: true }).click();
  await openAccount(phone);
  const phoneCard = phone.locator('#password');
  await phoneCard.getByLabel('Current password').waitFor();
  await phoneCard.getByLabel('New password').fill('stars over the beach');
  await phoneCard.getByRole('button', { name: 'Change password' }).click();
  assert.match(await seen(phone.locator('#password')), /Type your current password to confirm it is you/);
  await shoot(phone, 'phone-light-password-needs-current');
  await phone.locator('#password').getByLabel('Current password').fill('handstands at sunset');
  await phone.locator('#password').getByLabel('New password').fill('stars over the beach');
  await phone.locator('#password').getByRole('button', { name: 'Change password' }).click();
  assert.match(await seen(phone.getByRole('main')), /Your password is saved/);

  // The laptop's sign-in ended with the change.
  await page.reload();
  await page.getByRole('heading', { name: 'Log in or sign up' }).waitFor();
});

test('12. an invite opened while signed in as someone else offers to switch, and the invited person accepts', async () => {
  assert.ok(story.ana, 'journey 1 ran');
  const DAN = { email: 'dan.invited@example.org', name: 'Dan Invited' };
  const ELI = { email: 'eli.other@example.org', name: 'Eli Other' };
  const { page } = story.ana;
  await page.goto('/');
  await page.getByRole('link', { name: SERIES, exact: true }).click();
  await page.getByRole('textbox', { name: 'Their email address' }).fill(DAN.email);
  await page.getByRole('button', { name: 'Create invite' }).click();
  assert.match(await seen(page.getByRole('status').first()), /Invite emailed/);

  // Dan's link, opened on a computer where Eli is signed in.
  const { page: shared } = await person();
  await signIn(shared, ELI.email, ELI.name);
  await followEmailedLink(shared, DAN.email, /invited you to co-organize/, '/jams/invites/');
  const main = await seen(shared.getByRole('main'));
  assert.match(main, new RegExp(`This invite is for ${escape(DAN.email)}; you're signed in as ${escape(ELI.email)}\\.`));
  assert.equal(await shared.getByRole('button', { name: 'Accept invite' }).count(), 0);
  await shoot(shared, 'desktop-light-invite-for-someone-else');
  await shared.getByRole('button', { name: `Sign out and sign in as ${DAN.email}` }).click();
  assert.equal(await shared.getByRole('textbox', { name: 'Email', exact: true }).first().inputValue(), DAN.email);
  await fillSignInForm(shared, DAN.email, DAN.name);
  await followEmailedLink(shared, DAN.email, /sign-in link/i, '/auth/link/');
  await shared.getByRole('button', { name: 'Sign me in' }).click();
  await shared.getByRole('button', { name: 'Accept invite' }).click();
  await shared.getByRole('heading', { name: SERIES, level: 1 }).waitFor();
  assert.match(await seen(shared.getByRole('region', { name: 'Organizers' })), new RegExp(`${DAN.name}.*Co-organizer`));
});
