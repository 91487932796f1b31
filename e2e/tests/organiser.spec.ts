import { test, expect } from '@playwright/test';
import { hydrated, publishMeetup, signIn } from './helpers';

const title = `OK Tech Talk: Recsys ${Date.now()}`;

test('an organiser creates a meetup with a programme, publishes it, and a visitor sees it', async ({ page, browser }) => {
  await signIn(page);
  await hydrated(page);
  await page.getByRole('link', { name: 'Новый митап' }).click();
  await expect(page.getByRole('heading', { name: 'Новый митап' })).toBeVisible();
  await page.getByLabel('Серия').selectOption({ label: 'OK Tech Talk (Europe/Moscow)' });
  await page.getByLabel('Название').fill(title);
  await page.getByLabel('Дата').fill('2027-03-19');
  await page.getByLabel('Начало').fill('18:00');
  await page.getByLabel('Окончание').fill('21:00');
  await page.getByLabel('Формат').selectOption('in_person');
  await page.getByLabel('Место', { exact: true }).fill('Оранжерея Таврического сада');
  await page.getByLabel('Адрес').fill('Санкт-Петербург, Шпалерная ул., 43');
  await page.getByLabel('Регистрация', { exact: true }).selectOption('required');
  await page.getByLabel('Программа').fill([
    '18:00-18:30 | gathering | Сбор участников',
    '18:30-19:10 | talk | Ранжирование в ленте | Анна Петрова, ML Engineer, Одноклассники',
    '19:10-19:20 | break | Перерыв',
    '19:20-21:00 | networking | Фуршет',
  ].join('\n'));
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Сохранено.')).toBeVisible();

  await page.goto('/admin');
  const row = page.getByRole('row', { name: new RegExp(title) });
  await expect(row).toContainText('Черновик');
  await row.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(row).toContainText('Запланировано');

  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto('/');
  const upcoming = visitorPage.locator('section', { has: visitorPage.getByRole('heading', { name: 'Скоро' }) });
  await upcoming.getByRole('link', { name: title }).click();
  await expect(visitorPage.getByText('19 марта 2027, 18:00–21:00 МСК')).toBeVisible();
  await expect(visitorPage.getByRole('table')).toContainText('Ранжирование в ленте');
  await expect(visitorPage.getByRole('table')).toContainText('Анна Петрова');
  await expect(visitorPage.getByText('Участие бесплатное, регистрация обязательна')).toBeVisible();
  await visitor.close();
});

test('a form with a mistake says what is wrong next to the field and saves nothing', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin/events/new?kind=session');
  await hydrated(page);
  await page.getByLabel('Название').fill('Broken session');
  await page.getByLabel('Дата').fill('2027-03-20');
  await page.getByLabel('Начало').fill('18:00');
  await page.getByLabel('Окончание').fill('17:00');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Окончание должно быть позже начала.')).toBeVisible();
  await expect(page.getByText('Исправьте отмеченные поля — ничего не сохранено.')).toBeVisible();
  await page.goto('/admin');
  await expect(page.getByRole('row', { name: /Broken session/ })).toHaveCount(0);
});

test.describe('an organiser without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('signs in and sees a rejected form again with the problem and the typed values', async ({ page }) => {
    await signIn(page);
    await page.goto('/admin/events/new?kind=session');
    await page.getByLabel('Название').fill('Kept while fixing');
    await page.getByLabel('Дата').fill('2027-03-21');
    await page.getByLabel('Начало').fill('18:00');
    await page.getByLabel('Окончание').fill('19:00');
    await page.getByLabel('Ссылка (Zoom и т. п.)').fill('ftp://zoom.us/j/1');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByText('Нужна ссылка, начинающаяся с https://')).toBeVisible();
    await expect(page.getByLabel('Название')).toHaveValue('Kept while fixing');
  });
});

test('the roster shows each action at once, and a stale button says what the registration is now', async ({ page, browser }) => {
  const meetup = `Approval meetup ${Date.now()}`;
  const path = await publishMeetup(page, { title: meetup, capacity: '5', registrationMode: 'approval' });
  const email = `approve-${Date.now()}@example.org`;
  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto(path);
  await hydrated(visitorPage);
  await visitorPage.getByLabel('Имя и фамилия').fill('Ана');
  await visitorPage.getByLabel('Эл. почта').fill(email);
  await visitorPage.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(visitorPage.getByTestId('registration-result')).toContainText('Заявка отправлена');
  await visitor.close();

  const roster = `/admin/events/${path.split('/').pop()}/registrations`;
  // A second tab opened before the action: its buttons go stale.
  const stale = await page.context().newPage();
  await stale.goto(roster);
  await hydrated(stale);
  await page.goto(roster);
  await hydrated(page);
  const row = page.locator(`tr[data-registration="${email}"]`);
  await expect(row).toContainText('Ждёт одобрения');
  await row.getByRole('button', { name: 'Одобрить', exact: true }).click();
  await expect(row).toContainText('Вы зарегистрированы');
  await expect(row.getByRole('button', { name: 'Одобрить', exact: true })).toHaveCount(0);

  const staleRow = stale.locator(`tr[data-registration="${email}"]`);
  await staleRow.getByRole('button', { name: 'Одобрить', exact: true }).click();
  await expect(stale.getByRole('alert')).toContainText('уже изменилась');
  await expect(staleRow).toContainText('Вы зарегистрированы');
});
