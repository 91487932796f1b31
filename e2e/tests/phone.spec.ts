import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { hydrated, signIn } from './helpers';

// A phone in Telegram's in-app browser: 390 CSS pixels wide.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Nothing sticks out to the right: wide tables scroll inside their own box. */
async function fitsTheScreen(page: Page) {
  const fit = await page.evaluate(() => {
    const screen = document.documentElement.clientWidth;
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).replace(/ /g, '.') : ''}`;
    // Boxes past the right edge (a scrolling box's content is its own
    // business), and text that runs out of a box that fits (a long word).
    const boxes = [...document.querySelectorAll('body *')].filter(
      (e) => e.getBoundingClientRect().right > screen + 1 && !e.parentElement?.closest('.table-scroll'),
    );
    const words = [...document.querySelectorAll('body *')].filter(
      (e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && getComputedStyle(e).overflowX === 'visible' && !e.closest('.table-scroll'),
    );
    const outside = [...boxes.map(name), ...words.map((e) => `text in ${name(e)}: ${(e.textContent ?? '').slice(0, 40)}`)].slice(0, 6);
    return { page: document.documentElement.scrollWidth, screen, outside };
  });
  expect(fit.page, `${page.url()} is wider than the screen; sticking out: ${fit.outside.join(', ')}`).toBeLessThanOrEqual(fit.screen);
}

/** axe-core finds no WCAG 2.2 A/AA violation on the page as it is now. */
async function passesAxe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, page.url()).toEqual([]);
}

async function check(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
  await fitsTheScreen(page);
  await passesAxe(page);
}

test('the public pages fit a phone screen and pass axe', async ({ page }) => {
  await page.goto('/');
  const meetup = await page.getByRole('link', { name: 'ML в production' }).first().getAttribute('href');
  await page.goto('/series/reading-group');
  const session = await page.getByRole('link', { name: /Tensor-based Sequential Learning/ }).first().getAttribute('href');
  await page.goto(session!);
  const paper = await page.getByRole('link', { name: /Tensor-based Sequential Learning/ }).last().getAttribute('href');
  const presenter = await page.getByRole('link', { name: 'Сергей Ермилов' }).getAttribute('href');
  for (const path of ['/', '/series/reading-group', meetup!, session!, paper!, presenter!, '/demos', '/demos/ga-satf', '/me', '/admin/sign-in']) {
    await check(page, path);
  }
});

test('a demo run page with its wide result tables fits a phone screen and passes axe', async ({ page }) => {
  await page.goto('/demos/ga-satf');
  await hydrated(page);
  const small: Record<string, string> = {
    users: '300', items: '60', clusters: '6', positions: '12', rank_users: '8', rank_items: '8', rank_positions: '3', svd_rank: '8',
  };
  for (const [name, value] of Object.entries(small)) {
    await page.locator(`#demo-${name}`).fill(value);
  }
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 60_000 });
  await hydrated(page);
  // The results are wider than the phone: they scroll inside their box.
  const table = page.locator('.table-scroll').first();
  const scrolls = await table.evaluate((box) => box.scrollWidth > box.clientWidth);
  expect(scrolls, 'the first result table is wider than the screen and scrolls in place').toBe(true);
  await fitsTheScreen(page);
  await passesAxe(page);
});

test('the main organiser pages fit a phone screen and pass axe', async ({ page }) => {
  await signIn(page);
  await hydrated(page);
  await fitsTheScreen(page);
  await passesAxe(page);
  const roster = await page.getByRole('link', { name: 'Регистрации' }).first().getAttribute('href');
  const edit = await page.getByRole('link', { name: 'Изменить' }).first().getAttribute('href');
  const id = roster!.split('/')[3];
  for (const path of ['/admin/events/new?kind=meetup', '/admin/events/new?kind=session', edit!, roster!, `/admin/events/${id}/check-in`, `/admin/events/${id}/notifications`, '/admin/series/new']) {
    await check(page, path);
  }
});
