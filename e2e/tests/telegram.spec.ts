import { test, expect } from '@playwright/test';
import { emailsTo, hydrated, signIn } from './helpers';

const fake = process.env.FAKE_TELEGRAM_URL ?? 'http://127.0.0.1:8081';

interface Post { message_id: number; text: string; pinned: boolean; edit_date: number | null; from_user: boolean; reply_markup: any }

async function channelPosts(): Promise<Post[]> {
  return (await (await fetch(`${fake}/control/messages?chat=@ml_is_ok`)).json()) as Post[];
}

async function chatWith(userId: number): Promise<Post[]> {
  return (await (await fetch(`${fake}/control/messages?chat=${userId}`)).json()) as Post[];
}

async function userWrites(userId: number, text: string) {
  await fetch(`${fake}/control/users/${userId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ first_name: 'Ана', username: 'ana_e2e', text }),
  });
}

async function userPresses(userId: number, messageId: number, data: string) {
  await fetch(`${fake}/control/users/${userId}/press`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ first_name: 'Ана', message_id: messageId, data }),
  });
}

/** Opens a t.me deep link as a Telegram client would (the fake passes its start parameter only when Telegram would). */
async function userOpens(userId: number, url: string) {
  const answer = await fetch(`${fake}/control/users/${userId}/opens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ first_name: 'Ана', username: 'ana_e2e', url }),
  });
  expect(answer.ok, await answer.text()).toBe(true);
}

/** The pop-up texts the bot answered button presses with. */
async function popups(): Promise<string[]> {
  const calls = (await (await fetch(`${fake}/control/calls`)).json()) as { method: string; params: any }[];
  return calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.text).map((c) => c.params.text as string);
}

/** Moves the server's clock forward (a test-only control). */
async function advanceClock(baseURL: string, seconds: number) {
  await fetch(`${baseURL}/test/clock?seconds=${seconds}`, { method: 'POST' });
}

test('publishing a session posts and pins its announcement, moving it edits the post, reminders come at their time, and a deep-link registration shows on the web', async ({ page, browser, baseURL }) => {
  const title = `Hankel reading ${Date.now()}`;
  await signIn(page);
  await hydrated(page);
  await page.getByRole('link', { name: 'Новая встреча ридинг-группы' }).first().click();
  await page.getByLabel('Серия').selectOption({ label: 'Ридинг-группа Одноклассников (Europe/Moscow)' });
  await page.getByLabel('Название').fill(title);
  // Two days ahead in Moscow, whatever today is.
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Дата').fill(day);
  await page.getByLabel('Начало').fill('15:00');
  await page.getByLabel('Окончание').fill('16:30');
  await page.getByLabel('Регистрация', { exact: true }).selectOption('open');
  await page.getByLabel('Закрепить анонс в канале').check();
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Сохранено.')).toBeVisible();
  await page.goto('/admin');
  const row = page.getByRole('row', { name: new RegExp(title) });
  const eventId = Number(await row.getAttribute('data-event-id'));
  await row.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(row).toContainText('Запланировано');

  // The fake channel shows the announcement, pinned.
  await expect.poll(async () => (await channelPosts()).find((p) => p.text.includes(title))?.pinned ?? false).toBe(true);
  const announcement = (await channelPosts()).find((p) => p.text.includes(title))!;
  expect(announcement.text).toContain('15:00');

  // Moving it edits the same post.
  await page.goto(`/admin/events/${eventId}/edit`);
  await hydrated(page);
  await page.getByLabel('Начало').fill('18:00');
  await page.getByLabel('Окончание').fill('19:30');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Сохранено.')).toBeVisible();
  await expect.poll(async () => (await channelPosts()).find((p) => p.message_id === announcement.message_id)?.text ?? '').toContain('18:00');

  // The organiser's notifications page lists the posts and previews them.
  await page.goto(`/admin/events/${eventId}/notifications`);
  await expect(page.locator('tr[data-kind="tg_announcement"]')).toContainText('sent');
  await expect(page.locator('figure.tg-post[data-kind="reminder:15"]')).toContainText(title);

  // An hour before the start (the clock moved by the test control), the day-before reminder is in the channel.
  const start = Date.parse(`${day}T15:00:00Z`);
  await advanceClock(baseURL!, Math.floor((start - 3_600_000 - Date.now()) / 1000));
  await expect.poll(async () => (await channelPosts()).filter((p) => p.text.includes(title) && p.text.includes('Напоминаем')).length).toBe(1);

  // A member links Telegram from the site and registers through the bot's deep link.
  const email = `ana.${Date.now()}@example.org`;
  const member = await (await browser.newContext()).newPage();
  await member.goto('/me');
  await hydrated(member);
  await member.getByLabel('Эл. почта').fill(email);
  await member.getByRole('button', { name: 'Прислать ссылку' }).click();
  await expect.poll(async () => (await emailsTo(email)).length).toBeGreaterThan(0);
  const signInLink = (await emailsTo(email))[0].text.match(/https?:\/\/\S+\/sign-in\/\S+/)![0];
  // The link asks first (mail scanners open links too); the button signs in.
  await member.goto(signInLink);
  await expect(member.getByText(email)).toBeVisible();
  await member.getByRole('button', { name: 'Войти' }).click();
  await hydrated(member);
  await member.getByRole('button', { name: 'Связать Telegram' }).click();
  const deepLink = await member.getByTestId('telegram-link').getByRole('link').getAttribute('href');
  const userId = 700_000 + (Date.now() % 100_000);
  await userOpens(userId, deepLink!);
  await expect.poll(async () => (await chatWith(userId)).some((m) => !m.from_user && m.text.includes(email))).toBe(true);
  await userWrites(userId, `/start event_${eventId}`);
  await expect.poll(async () => (await chatWith(userId)).some((m) => !m.from_user && m.text.includes(title))).toBe(true);
  const card = (await chatWith(userId)).filter((m) => !m.from_user).pop()!;
  await userPresses(userId, card.message_id, `reg:${eventId}`);
  await expect.poll(async () => (await popups()).some((text) => text.includes('Вы записаны'))).toBe(true);
  await member.goto('/me');
  await expect(member.getByRole('link', { name: title })).toBeVisible();
});
