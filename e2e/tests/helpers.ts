import { expect, Page } from '@playwright/test';

export const organiser = {
  email: process.env.PAPERCLUB_ORGANISER_EMAIL ?? 'e2e-organiser@example.org',
  password: process.env.PAPERCLUB_ORGANISER_PASSWORD ?? 'e2e organiser password',
};

/** Waits until the page's wasm bundle has hydrated it (the bundle marks <body>). */
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
