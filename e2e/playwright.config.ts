// Playwright drives Debian's Chromium (Playwright's own browser download
// cannot work on our machines). scripts/test.sh starts the real binary on a
// fresh database and passes its address in PAPERCLUB_URL.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  // One worker: the tests share one server and database, and the machine has 2 cores.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.PAPERCLUB_URL ?? 'http://127.0.0.1:3000',
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run',
      ],
    },
  },
});
