import { test, expect } from '@playwright/test';
import { hydrated } from './helpers';

/** A seed no earlier run used, so the run is computed rather than served from the store. */
const freshSeed = () => String(Date.now() % 1_000_000);

test('from the 100th meeting a visitor follows its demo, runs GA-SATF small, and the run has a shareable address', async ({ page }) => {
  await page.goto('/series/reading-group');
  await page.locator('article', { hasText: 'Встреча №100' }).getByRole('link').first().click();
  const demos = page.getByTestId('event-demos');
  await expect(demos).toBeVisible();
  await demos.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/demos\/ga-satf$/);
  await hydrated(page);
  // The authors' table sits beside the form, labelled as theirs.
  await expect(page.getByRole('table').first()).toContainText('MovieLens-1M');
  const small: Record<string, string> = {
    seed: freshSeed(), users: '300', items: '60', clusters: '6', positions: '12',
    rank_users: '8', rank_items: '8', rank_positions: '3', svd_rank: '8',
  };
  for (const [name, value] of Object.entries(small)) {
    await page.locator(`#demo-${name}`).fill(value);
  }
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  const runUrl = page.url();
  // With JavaScript no refresh is in force: an island follows the run, and the page loads once more at the end.
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  // Queued or running: a progress bar; the page follows the run until the claim is in.
  await expect(page.locator('progress, [data-testid="claim"]').first()).toBeVisible();
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toContainText('готово');
  const results = page.locator('table.results').first();
  for (const model of ['Популярное', 'PureSVD', 'GA-SATF', 'Марков-1']) {
    await expect(results).toContainText(model);
  }
  const plot = page.locator('figure.plot svg');
  await expect(plot).toBeVisible();
  await expect(plot.locator('desc')).toContainText('GA-SATF');
  const claim = await page.getByTestId('claim').textContent();
  await page.goto(runUrl);
  await expect(page.getByTestId('claim')).toHaveText(claim!);
});

test('the calibration demo with a two-layer perceptron shows its claim, tables and both plots', async ({ page }) => {
  await page.goto('/demos');
  await page.locator('article[data-demo="calibrated-ranking"]').getByRole('link').first().click();
  await hydrated(page);
  await page.locator('#demo-seed').fill(freshSeed());
  await page.locator('#demo-days').fill('3');
  await page.locator('#demo-lists_per_day').fill('60');
  await page.locator('#demo-hidden').fill('4');
  await page.locator('#demo-steps').fill('300');
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('table.results').first()).toContainText('Калиброванный softmax');
  await expect(page.locator('figure.plot svg')).toHaveCount(2);
  await expect(page.locator('figure.plot').nth(1)).toContainText('перцентили');
});

test('an out-of-range parameter gets a message on its field and nothing runs', async ({ page }) => {
  await page.goto('/demos/ga-satf');
  await hydrated(page);
  await page.locator('#demo-positions').fill('500');
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page.getByText('Допустимо от 2 до 200.')).toBeVisible();
  await expect(page).toHaveURL(/\/demos\/ga-satf$/);
});

test('a visitor uploads their own CSV and the run learns from it', async ({ page }) => {
  const seed = Number(freshSeed());
  let csv = 'user,item,timestamp\n';
  for (let user = 0; user < 40; user++) {
    for (let step = 0; step < 10; step++) csv += `${user},${(user * 7 + step + seed) % 25},${step}\n`;
  }
  await page.goto('/demos/ga-satf');
  await page.locator('#upload-data').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  for (const [name, value] of Object.entries({ positions: '6', rank_users: '4', rank_items: '4', rank_positions: '2', svd_rank: '4' })) {
    await page.locator(`#upload-${name}`).fill(value);
  }
  await page.getByRole('button', { name: 'Загрузить и запустить' }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('table.results').nth(1)).toContainText('загруженный CSV');

  // A malformed file comes back to the form with the line that is wrong.
  await page.goto('/demos/ga-satf');
  await page.locator('#upload-data').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2,3\n1,2\n') });
  await page.getByRole('button', { name: 'Загрузить и запустить' }).click();
  await expect(page.getByTestId('upload-problem')).toContainText('Строка 2');
});

test('from the DLRM session a visitor runs the continual-learning demo small and sees its four plots', async ({ page }) => {
  await page.goto('/series/reading-group');
  await page.locator('article', { hasText: 'DLRM' }).getByRole('link').first().click();
  await page.getByTestId('event-demos').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/demos\/dlrm$/);
  await hydrated(page);
  await expect(page.getByRole('table').first()).toContainText('0.8030');
  for (const [name, value] of Object.entries({ seed: freshSeed(), days: '3', samples_per_day: '1500', ids_per_field: '200', table_rows: '300' })) {
    await page.locator(`#demo-${name}`).fill(value);
  }
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('table.results').first()).toContainText('Дообучение');
  await expect(page.locator('figure.plot svg')).toHaveCount(4);
});

test('the GQA calculator shows Llama 2 70B cache per token beside the authors ablation', async ({ page }) => {
  await page.goto('/demos/gqa-cache');
  await hydrated(page);
  await expect(page.getByRole('table').first()).toContainText('44.3');
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  await expect(page.getByTestId('claim')).toContainText('320 KiB', { timeout: 30_000 });
  await expect(page.getByTestId('claim')).toContainText('2.5 MiB');
  await expect(page.locator('figure.plot svg')).toHaveCount(1);
});

/** Fills a demo's form, runs it and waits for the claim line on the run page. */
async function runSmall(page: import('@playwright/test').Page, demo: string, params: Record<string, string>) {
  await page.goto(`/demos/${demo}`);
  await hydrated(page);
  for (const [name, value] of Object.entries({ seed: freshSeed(), ...params })) {
    await page.locator(`#demo-${name}`).fill(value);
  }
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page).toHaveURL(/\/demos\/runs\/\d+$/);
  await expect(page.getByTestId('claim')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('claim')).toContainText(/подтвердилось|не подтвердилось/);
}

test('the performative-recommendation demo shows diversity by round and the items on the circle round by round', async ({ page }) => {
  await runSmall(page, 'performative', { users: '30', items: '12', list: '4', seeds: '2', rounds: '2', steps: '10' });
  await expect(page.locator('table.results').first()).toContainText('λ = 0.15');
  // Diversity and NDCG by round, the start, then one picture of the circle per round.
  await expect(page.locator('figure.plot svg')).toHaveCount(5);
  const circle = page.locator('figure.plot').nth(3);
  await expect(circle).toContainText('раунд 1');
  // Positions on the plane: points, no lines.
  await expect(circle.locator('polyline')).toHaveCount(0);
  await expect(circle.locator('circle')).toHaveCount(24);
});

test('the trained GQA demo compares MHA, GQA and MQA and shows their curves, speed and cache', async ({ page }) => {
  await runSmall(page, 'gqa-training', {
    pairs: '3', questions: '2', keys: '6', values: '6', model: '16', heads: '4', layers: '1',
    steps: '20', batch: '8', uptrain_steps: '5', decode_context: '64', decode_tokens: '4',
  });
  const models = page.locator('table.results').first();
  for (const name of ['MHA', 'GQA', 'MQA', 'MHA → GQA']) await expect(models).toContainText(name);
  await expect(page.locator('figure.plot svg')).toHaveCount(3);
  // The Llama 2 ablation stands beside the run, labelled as the authors'.
  await page.goto('/demos/gqa-training');
  await expect(page.getByRole('table').first()).toContainText('44.3');
});

test('the trained LiDB demo teaches a subject three ways and counts trainable bytes', async ({ page }) => {
  await runSmall(page, 'lidb-training', {
    entities: '6', attributes: '6', model: '16', heads: '2', layers: '1',
    pretrain_steps: '20', batch: '8', tune_steps: '5', a: '4', b: '2',
  });
  const methods = page.locator('table.results').first();
  await expect(methods).toContainText('Полное дообучение');
  await expect(methods).toContainText('LoRA');
  // 4 bytes x rank 1 x (a + b) per matrix, 6 matrices in the one layer.
  await expect(methods.locator('tr', { hasText: 'LiDB' })).toContainText('144 B');
  await expect(page.locator('figure.plot svg')).toHaveCount(1);
});

test('a GQA form with heads that do not split into four groups is refused on its field', async ({ page }) => {
  await page.goto('/demos/gqa-training');
  await hydrated(page);
  await page.locator('#demo-heads').fill('6');
  await page.getByRole('button', { name: 'Запустить', exact: true }).click();
  await expect(page.getByText('Должно делиться на 4.')).toBeVisible();
  await expect(page).toHaveURL(/\/demos\/gqa-training$/);
});
