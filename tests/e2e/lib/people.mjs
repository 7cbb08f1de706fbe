// What the journeys share: a browser time zone where the day has room for a session starting
// soon, the local date and time there, and small steps every journey takes the same way.


/** Zones tried in order; the first whose local time is between 07:00 and 19:00 wins, so that
 * a session scheduled "in a few minutes" and lasting two hours ends before midnight. */
const ZONES = [
  'Europe/Berlin',
  'Asia/Tokyo',
  'Pacific/Auckland',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'Pacific/Kiritimati',
];

/** The local date (YYYY-MM-DD) and time (HH:MM) of `when` in `zone`. */
export function localParts(zone, when = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(when)
      .map(({ type, value }) => [type, value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

export function pickZone(now = new Date()) {
  return ZONES.find((zone) => {
    const { hour } = localParts(zone, now);
    return hour >= 7 && hour < 19;
  });
}

/** "HH:MM" `minutes` after "HH:MM" (same day; the zone was picked so it stays so). */
export function addMinutes(time, minutes) {
  const [h, m] = time.split(':').map(Number);
  const total = h * 60 + m + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** From `/`, a participant opens "Find a jam", the series, then the session whose link name
 * starts with `sessionLabel` (the series' public page lists each date). */
export async function openPublicSession(page, seriesName, sessionLabel) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Find a jam' }).click();
  await page.getByRole('heading', { name: 'Find a jam', level: 1 }).waitFor();
  await page.getByRole('link', { name: seriesName, exact: true }).click();
  await page.getByRole('heading', { name: seriesName, level: 1 }).waitFor();
  await page
    .getByRole('region', { name: 'Upcoming sessions' })
    .getByRole('link', { name: new RegExp(`^${escape(sessionLabel)}`) })
    .click();
  await page.getByRole('heading', { name: 'Register', level: 2 }).waitFor();
}

/** Fills the public registration form and submits it; ends on the answer ("Check your inbox"). */
export async function register(page, { name, email, role }) {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('radio', { name: new RegExp(`^${role}`) }).check();
  await page.getByRole('checkbox', { name: /^I agree/ }).check();
  await page.getByRole('button', { name: /^(Register|Join the waitlist)/ }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
}

export function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits until `locator` is visible (one element) and returns its visible text. */
export async function seen(locator) {
  await locator.waitFor({ state: 'visible' });
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}
