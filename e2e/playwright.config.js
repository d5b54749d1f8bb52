// Browser journeys run against a real cairn with its demo data, in Debian's Chromium
// (never a downloaded browser: this machine has no internet beyond package registries).
const { defineConfig, devices } = require('@playwright/test');

const port = process.env.CAIRN_E2E_PORT || '18080';
const bin = process.env.CAIRN_BIN || '../target/debug/cairn';

module.exports = defineConfig({
  testDir: './tests',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'phone', use: { ...devices['Pixel 5'], browserName: 'chromium' } },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 }, browserName: 'chromium' } },
  ],
  webServer: {
    command: `rm -rf .e2e-data && ${bin} --data-dir .e2e-data serve --demo --listen 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
  },
});
