import { test, expect } from '@playwright/test';
import { hydrated } from './helpers';

test('a visitor runs the calibration demo with small parameters and sees the claim, the table and the plot', async ({ page }) => {
  await page.goto('/demos');
  await hydrated(page);
  await page.getByLabel('seed').fill(String(Date.now() % 100000));
  await page.getByLabel('lists_per_day').fill('60');
  await page.getByLabel('steps', { exact: true }).fill('400');
  await page.getByRole('button', { name: 'Запустить' }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  const runUrl = page.url();
  // The run page follows the run (it refreshes itself until it is done).
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('table')).toContainText('Calibrated softmax');
  await expect(page.locator('figure.plot svg')).toBeVisible();
  await expect(page.getByTestId('run-status')).toContainText('готово');
  // The run's address is shareable: opening it again shows the same result.
  const claim = await page.getByTestId('claim').textContent();
  await page.goto(runUrl);
  await expect(page.getByTestId('claim')).toHaveText(claim!);
});
