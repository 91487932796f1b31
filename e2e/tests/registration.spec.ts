import { test, expect } from '@playwright/test';
import { hydrated, publishMeetup, waitForEmail } from './helpers';

const stamp = Date.now();

test('a visitor registers, gets the ticket by e-mail, cancels, and the first waitlisted person is promoted and told', async ({ page, browser }) => {
  const title = `Registration rush ${stamp}`;
  const eventPath = await publishMeetup(page, { title, capacity: '1' });
  const ana = `ana.${stamp}@example.org`;
  const boris = `boris.${stamp}@example.org`;

  const visitor = await browser.newContext();
  const anaPage = await visitor.newPage();
  await anaPage.goto(eventPath);
  await hydrated(anaPage);
  await expect(anaPage.getByText('Свободных мест:')).toBeVisible();
  await anaPage.getByLabel('Имя и фамилия').fill('Анна Петрова');
  await anaPage.getByLabel('Эл. почта').fill(ana);
  await anaPage.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(anaPage.getByTestId('registration-result')).toContainText('вы зарегистрированы');

  // The second person finds the seat taken and joins the waitlist (without JavaScript this time).
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const borisPage = await noScript.newPage();
  await borisPage.goto(eventPath);
  await borisPage.getByLabel('Имя и фамилия').fill('Борис');
  await borisPage.getByLabel('Эл. почта').fill(boris);
  await borisPage.getByRole('button', { name: 'Встать в лист ожидания' }).click();
  await expect(borisPage.getByTestId('registration-result')).toContainText('Ваш номер в очереди: 1');
  await waitForEmail(boris, 'Вы в листе ожидания');

  const confirmation = await waitForEmail(ana, 'Вы зарегистрированы');
  expect(confirmation.text).toContain('16 апреля 2027, 18:00–21:00 МСК');
  const ticketUrl = confirmation.text.match(/https?:\/\/\S+\/tickets\/[0-9a-f]{64}/)![0];

  await anaPage.goto(ticketUrl);
  await expect(anaPage.getByTestId('ticket-status')).toHaveText('Вы зарегистрированы');
  await anaPage.getByRole('button', { name: 'Отменить регистрацию' }).click();
  await expect(anaPage.getByTestId('ticket-status')).toHaveText('Отменена');
  await waitForEmail(ana, 'Регистрация отменена');

  const promoted = await waitForEmail(boris, 'Место освободилось');
  expect(promoted.text).toContain(title);
  await visitor.close();
  await noScript.close();
});

test('the online link is hidden from visitors and opens for a registered person through their join address', async ({ page, browser }) => {
  const title = `Online only ${stamp}`;
  const eventPath = await publishMeetup(page, {
    title, format: 'online', onlineUrl: 'https://zoom.us/j/555000', linkVisibility: 'registered',
  });
  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto(eventPath);
  await expect(visitorPage.getByText('Ссылка доступна зарегистрированным участникам.')).toBeVisible();
  await expect(visitorPage.locator('a[href*="zoom.us"]')).toHaveCount(0);

  const email = `online.${stamp}@example.org`;
  await hydrated(visitorPage);
  await visitorPage.getByLabel('Имя и фамилия').fill('Вера');
  await visitorPage.getByLabel('Эл. почта').fill(email);
  await visitorPage.getByRole('button', { name: 'Зарегистрироваться' }).click();
  const confirmation = await waitForEmail(email, 'Вы зарегистрированы');
  const joinUrl = confirmation.text.match(/https?:\/\/\S+\/join\/[0-9a-f]{64}/)![0];
  const response = await visitorPage.request.get(joinUrl, { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(response.headers()['location']).toBe('https://zoom.us/j/555000');
  const ticketUrl = confirmation.text.match(/https?:\/\/\S+\/tickets\/[0-9a-f]{64}/)![0];
  await visitorPage.goto(ticketUrl);
  await expect(visitorPage.getByRole('link', { name: 'Подключиться к встрече' })).toHaveAttribute('href', /\/join\/[0-9a-f]{64}$/);
  await visitor.close();
});

test('an organiser sees the registration and checks the ticket in at the door, once', async ({ page, browser }) => {
  const title = `Door check ${stamp}`;
  const eventPath = await publishMeetup(page, { title, capacity: '10' });
  const email = `door.${stamp}@example.org`;

  const visitor = await browser.newContext();
  const guest = await visitor.newPage();
  await guest.goto(eventPath);
  await hydrated(guest);
  await guest.getByLabel('Имя и фамилия').fill('Гость Дверной');
  await guest.getByLabel('Эл. почта').fill(email);
  await guest.getByRole('button', { name: 'Зарегистрироваться' }).click();
  const confirmation = await waitForEmail(email, 'Вы зарегистрированы');
  await guest.goto(confirmation.text.match(/https?:\/\/\S+\/tickets\/[0-9a-f]{64}/)![0]);
  await expect(guest.locator('.ticket-qr svg')).toBeVisible();
  const code = (await guest.getByTestId('ticket-code').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
  await visitor.close();

  const id = eventPath.split('/').pop();
  await page.goto(`/admin/events/${id}/registrations`);
  await expect(page.getByRole('row', { name: /Гость Дверной/ })).toContainText('Вы зарегистрированы');
  await page.getByRole('link', { name: 'Вход' }).click();
  await hydrated(page);
  await page.getByLabel('Код билета (QR или 8 символов)').fill(code);
  await page.getByRole('button', { name: 'Отметить' }).click();
  await expect(page.getByTestId('door-answer')).toHaveText('Добро пожаловать: Гость Дверной');
  await page.getByLabel('Код билета (QR или 8 символов)').fill(code);
  await page.getByRole('button', { name: 'Отметить' }).click();
  await expect(page.getByTestId('door-answer')).toContainText('Билет уже использован: Гость Дверной');
});

test('with JavaScript a registration is answered in place: a refused one keeps what was typed and puts the focus on the field to fix', async ({ page, browser }) => {
  const eventPath = await publishMeetup(page, { title: `Answered in place ${stamp}` });
  const visitor = await browser.newContext();
  const ana = await visitor.newPage();
  await ana.goto(eventPath);
  await hydrated(ana);
  const name = ana.getByLabel('Имя и фамилия');
  const email = ana.getByLabel('Эл. почта');
  const tooLong = 'Анна'.repeat(51);
  await name.fill(tooLong);
  await email.fill(`in.place.${stamp}@example.org`);
  await ana.getByRole('button', { name: 'Зарегистрироваться' }).click();

  await expect(ana.getByText('Слишком длинно: не больше 200 символов.')).toBeVisible();
  // The page did not go anywhere: the answer came into it.
  expect(new URL(ana.url()).pathname + new URL(ana.url()).search).toBe(eventPath);
  await expect(name).toBeFocused();
  await expect(name).toHaveValue(tooLong);
  await expect(email).toHaveValue(`in.place.${stamp}@example.org`);

  await name.fill('Анна Петрова');
  await ana.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(ana.getByTestId('registration-result')).toContainText('вы зарегистрированы');
  await expect(ana.getByTestId('registration-result')).toBeFocused();
  expect(new URL(ana.url()).search).toBe('');
  await visitor.close();
});
