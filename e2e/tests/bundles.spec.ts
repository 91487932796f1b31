import { test, expect, Page } from '@playwright/test';
import { hydrated } from './helpers';

/** The WebAssembly files a page fetched while loading. */
async function wasmLoadedBy(page: Page, path: string): Promise<string[]> {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname);
  });
  await page.goto(path);
  await hydrated(page);
  return wasm;
}

test.describe('each page loads only the code it needs', () => {
  test('a page with nothing interactive loads no WebAssembly at all', async ({ page }) => {
    expect(await wasmLoadedBy(page, '/demos')).toEqual([]);
  });

  test('a public page with local times loads the small public bundle, kept for a year', async ({ page }) => {
    const responses: Record<string, string | null> = {};
    page.on('response', (response) => {
      if (response.url().endsWith('.wasm')) responses[new URL(response.url()).pathname] = response.headers()['cache-control'];
    });
    const wasm = await wasmLoadedBy(page, '/series/reading-group');
    expect(wasm).toHaveLength(1);
    expect(wasm[0]).toMatch(/^\/pkg\/paperclub\.[0-9a-f]{16}_bg\.wasm$/);
    expect(responses[wasm[0]]).toBe('public, max-age=31536000, immutable');
  });

  test("the organiser's pages load the organiser's bundle", async ({ page }) => {
    const wasm = await wasmLoadedBy(page, '/admin/sign-in');
    expect(wasm).toHaveLength(1);
    expect(wasm[0]).toMatch(/\.organiser_bg\.wasm$/);
  });

  test('an event page and a demo page each cost a phone at most 150 KiB of WebAssembly and JavaScript, gzip', async ({ page }) => {
    for (const path of ['/events/3', '/demos/ga-satf']) {
      const code: string[] = [];
      const listen = (request: { url(): string }) => {
        if (/\.(wasm|js)$/.test(request.url())) code.push(request.url());
      };
      page.on('request', listen);
      await page.goto(path);
      await hydrated(page);
      page.off('request', listen);
      expect(code.length, `${path} loads its bundle`).toBeGreaterThan(0);
      let bytes = 0;
      for (const url of code) {
        const response = await page.request.get(url, { headers: { 'accept-encoding': 'gzip' } });
        expect(response.headers()['content-encoding'], url).toBe('gzip');
        bytes += Number(response.headers()['content-length']);
      }
      expect(bytes, `${path}: ${code.join(', ')}`).toBeLessThanOrEqual(150 * 1024);
    }
  });
});
