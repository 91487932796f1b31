import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { hydrated } from './helpers';

test.describe('a visitor with JavaScript', () => {
  test('browses the seed events and opens the meetup programme', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    await expect(page.getByRole('heading', { name: 'Прошедшие' })).toBeVisible();
    await page.getByRole('link', { name: 'ML в production' }).first().click();
    await expect(page).toHaveURL(/\/events\/\d+$/);
    await expect(page.getByRole('heading', { level: 1, name: 'ML в production' })).toBeVisible();
    const programme = page.getByRole('table');
    await expect(programme.getByRole('row')).toHaveCount(7); // header + six slots
    await expect(programme).toContainText('17:30–18:10');
    await expect(programme).toContainText('Дарья Никанорова');
    await expect(page.getByText('Оранжерея Таврического сада').first()).toBeVisible();
    await expect(page).toHaveTitle('ML в production · paperclub');
  });

  test('opens the 100th meeting from the series page and sees its paper and presenter', async ({ page }) => {
    await page.goto('/series/reading-group');
    await page.getByRole('link', { name: /Tensor-based Sequential Learning/ }).click();
    await expect(page.getByText('Встреча №100')).toBeVisible();
    await expect(page.getByText('17 июля 2023, 15:00–16:30 МСК')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Сергей Ермилов' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Открыть статью' })).toHaveAttribute('href', 'https://arxiv.org/abs/2212.05720');
  });

  test('sees the time in their own zone as well when it differs', async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto('/series/reading-group');
    await hydrated(page);
    const card = page.locator('article', { hasText: 'Встреча №100' });
    await expect(card.getByTestId('local-time')).toContainText('по вашему времени');
    await expect(card.getByTestId('local-time')).toContainText('21:00');
    await context.close();
  });

  test('in Moscow sees no second time', async ({ page }) => {
    await page.goto('/series/reading-group');
    await hydrated(page);
    await expect(page.getByTestId('local-time').first()).toHaveText('');
  });

  test('switches to English and the choice persists', async ({ page }) => {
    await page.goto('/series/reading-group');
    await hydrated(page);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByText('17 July 2023, 15:00 MSK')).toBeVisible();
    await expect(page).toHaveURL(/\/series\/reading-group$/);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Past' })).toBeVisible();
    await page.getByRole('button', { name: 'Русский' }).click();
    await expect(page.getByRole('heading', { name: 'Прошедшие' })).toBeVisible();
  });

  test('downloads an event calendar file with its IANA zone', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'ML в production' }).first().click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('main').getByRole('link', { name: 'Скачать .ics' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^event-\d+\.ics$/);
    const text = await readFile(await download.path(), 'utf8');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('DTSTART;TZID=Europe/Moscow:20230818T170000');
    expect(text).toContain('SUMMARY:OK Tech Talk #1: ML в production');
    await expect(page.getByRole('link', { name: 'Добавить в календарь' })).toHaveAttribute('href', /^webcal:\/\/.*\/events\/\d+\/calendar\.ics$/);
  });

  test('gets a proper 404 for an unknown event', async ({ page }) => {
    const response = await page.goto('/events/987654');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Страница не найдена' })).toBeVisible();
  });
});

test.describe('a visitor without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('reads the home page and a meetup, and switches language with the form', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Прошедшие' })).toBeVisible();
    await page.getByRole('link', { name: 'ML в production' }).first().click();
    await expect(page.getByRole('table')).toContainText('Item2item схема в Дзене');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByText('18 August 2023, 17:00–20:30 MSK')).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Time' })).toBeVisible();
    await page.getByRole('button', { name: 'Русский' }).click();
    await expect(page.getByRole('columnheader', { name: 'Время' })).toBeVisible();
  });
});
