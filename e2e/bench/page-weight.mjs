// What a visitor downloads for each page given on the command line: loads it
// in Debian's Chromium (a phone-sized window, nothing cached) and sums the
// bytes that came over the wire (compressed) by kind. Run by scripts/bench.sh.
//
//   node e2e/bench/page-weight.mjs http://127.0.0.1:3000/events/3 ...
import { chromium } from '@playwright/test';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
for (const url of process.argv.slice(2)) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const kinds = new Map();
  const bytes = { html: 0, css: 0, js: 0, wasm: 0, other: 0 };
  cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, e.response.mimeType));
  cdp.on('Network.loadingFinished', (e) => {
    const mime = kinds.get(e.requestId) ?? '';
    const kind = mime.includes('html') ? 'html' : mime.includes('css') ? 'css'
      : mime.includes('javascript') ? 'js' : mime.includes('wasm') ? 'wasm' : 'other';
    bytes[kind] += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-hydrated]', { timeout: 30000 });
  await page.waitForLoadState('networkidle');
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  const kib = (n) => (n / 1024).toFixed(1);
  console.log(`${new URL(url).pathname}: ${kib(total)} KiB in all; html ${kib(bytes.html)}, css ${kib(bytes.css)}, `
    + `js ${kib(bytes.js)}, wasm ${kib(bytes.wasm)}, other ${kib(bytes.other)} (KiB over the wire)`);
  await context.close();
}
await browser.close();
