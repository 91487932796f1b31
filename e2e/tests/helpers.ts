import { expect, Page } from '@playwright/test';

export const organiser = {
  email: process.env.PAPERCLUB_ORGANISER_EMAIL ?? 'e2e-organiser@example.org',
  password: process.env.PAPERCLUB_ORGANISER_PASSWORD ?? 'e2e organiser password',
};

/** Waits until the islands loader is done with the page (it marks <body>, islands or not). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export async function signIn(page: Page) {
  await page.goto('/admin/sign-in');
  await page.getByLabel('Эл. почта').fill(organiser.email);
  await page.getByLabel('Пароль').fill(organiser.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('heading', { name: 'Панель организатора' })).toBeVisible();
}

const maildev = process.env.MAILDEV_URL ?? 'http://127.0.0.1:1080';

export interface Email { subject: string; text: string; to: { address: string }[] }

/** The e-mails maildev received for `address` (the server's worker delivers them). */
export async function emailsTo(address: string): Promise<Email[]> {
  const response = await fetch(`${maildev}/api/email`);
  const all = (await response.json()) as Email[];
  return all.filter((email) => email.to.some((to) => to.address === address));
}

/** Waits until an e-mail whose subject starts with `subject` reaches `address`, and returns it. */
export async function waitForEmail(address: string, subject: string): Promise<Email> {
  let found: Email | undefined;
  await expect
    .poll(async () => {
      found = (await emailsTo(address)).find((email) => email.subject.startsWith(subject));
      return found !== undefined;
    }, { message: `an e-mail "${subject}" to ${address}`, timeout: 20_000 })
    .toBe(true);
  return found!;
}

/** Creates and publishes a meetup as the organiser; returns its page path. */
export async function publishMeetup(page: Page, fields: { title: string; capacity?: string; format?: string; onlineUrl?: string; linkVisibility?: string; registrationMode?: string }) {
  await signIn(page);
  await page.goto('/admin/events/new?kind=meetup');
  await hydrated(page);
  await page.getByLabel('Серия').selectOption({ label: 'OK Tech Talk (Europe/Moscow)' });
  await page.getByLabel('Название').fill(fields.title);
  await page.getByLabel('Дата').fill('2027-04-16');
  await page.getByLabel('Начало').fill('18:00');
  await page.getByLabel('Окончание').fill('21:00');
  await page.getByLabel('Формат').selectOption(fields.format ?? 'in_person');
  await page.getByLabel('Место', { exact: true }).fill('Оранжерея Таврического сада');
  if (fields.onlineUrl) await page.getByLabel('Ссылка (Zoom и т. п.)').fill(fields.onlineUrl);
  if (fields.linkVisibility) await page.getByLabel('Кому видна ссылка').selectOption(fields.linkVisibility);
  await page.getByLabel('Регистрация', { exact: true }).selectOption(fields.registrationMode ?? 'required');
  if (fields.capacity) await page.getByLabel('Мест', { exact: true }).fill(fields.capacity);
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Сохранено.')).toBeVisible();
  const path = await page.getByRole('link', { name: 'Открыть страницу' }).getAttribute('href');
  await page.goto('/admin');
  const row = page.getByRole('row', { name: new RegExp(fields.title) });
  await row.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(row).toContainText('Запланировано');
  return path!;
}
