// Every page a journey visits is checked with axe-core against WCAG 2.2 AA; serious and
// critical violations fail the test.
const { expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

async function expectAccessible(page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(report, `accessibility violations on ${page.url()}`).toEqual([]);
  // Reflow (WCAG 1.4.10): nothing makes the page scroll sideways; wide tables scroll inside.
  const [pageWidth, viewportWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(pageWidth, `${page.url()} is wider than the window`).toBeLessThanOrEqual(viewportWidth);
}

const DEMO_PASSWORD = 'learning-for-life';

async function signIn(page, email) {
  await page.goto('/sign-in');
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My learning record');
}

module.exports = { expectAccessible, signIn, DEMO_PASSWORD };
