// Quick capture: the first thing a practitioner sees; a piece of learning with a reflection
// in one screen, mistakes explained with what was typed kept.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('a practitioner records learning with a reflection from the home page', async ({ page }, testInfo) => {
  const title = `Read the new adult protection guidance (${testInfo.project.name})`;
  await signIn(page, 'ailsa@demo.cairn.test');
  const capture = page.getByRole('region', { name: 'Record learning' });
  await expect(capture.getByLabel('Date')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);

  await capture.getByLabel('Hours').fill('an hour');
  await capture.getByRole('button', { name: 'Save' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Enter what the learning was');
  await expect(summary).toContainText('Hours must be a number');
  await expect(page.getByLabel('Hours')).toHaveValue('an hour');
  await expectAccessible(page);

  await page.getByLabel('What was it?').fill(title);
  await page.getByLabel('Hours').fill('0.5');
  await page.getByText('Add details: kind, topics, framework elements, reflection').click();
  await page.getByLabel('Kind of learning').selectOption('reading');
  await page.getByLabel('Topics').fill('Adult support and protection');
  await page.getByLabel('What happened?').fill('Read the revised guidance on large-scale investigations.');
  await page.getByLabel('So what? What did it mean for your practice?').fill('Our referral threshold is lower than I assumed.');
  await page.getByLabel('Now what? What will you do differently?').fill('Raise it at the next team meeting.');
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByRole('status').first()).toContainText(`Saved: ${title}`);
  await expect(page.getByLabel('What was it?')).toHaveValue('');
  await expect(page.locator('.entry-list li').first()).toContainText(title);
  await expect(page.locator('.entry-list li').first()).toContainText('with reflection');
  await expectAccessible(page);

  // Found again by a word from the reflection.
  await page.getByRole('link', { name: 'My record' }).click();
  await page.getByLabel('Search titles and reflections').fill('referral threshold');
  await page.getByLabel('Kind').selectOption('reading');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.locator('.entry-list li').first()).toContainText(title);
  await expect(page.getByText(/entr(y|ies), [\d.]+ hours?\./)).toBeVisible();
  await expectAccessible(page);
});

test('a practitioner downloads part of their record as a PDF to hand over', async ({ page }, testInfo) => {
  await signIn(page, 'ailsa@demo.cairn.test');
  await page.getByRole('link', { name: 'My record' }).click();
  await page.getByLabel('Kind').selectOption('conference');
  await page.getByRole('button', { name: 'Find' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download these entries as a PDF' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^my-learning-\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = testInfo.outputPath('record.pdf');
  await download.saveAs(file);
  const fs = require('fs');
  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  // Rendered to an image, as a reader would see it on paper.
  const { execFileSync } = require('child_process');
  const image = testInfo.outputPath('record-page');
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', file, image]);
  expect(fs.statSync(`${image}.png`).size).toBeGreaterThan(5000);
  const text = execFileSync('pdftotext', ['-l', '1', file, '-']).toString();
  expect(text).toContain('Learning record: Ailsa MacLeod');
  expect(text).toContain('Part of the record: entries of the kind Conference.');
  await testInfo.attach('record page 1', { path: `${image}.png`, contentType: 'image/png' });
});

test('what was typed survives the session ending in another tab', async ({ page }, testInfo) => {
  const title = `Written as my session ended (${testInfo.project.name})`;
  await signIn(page, 'ailsa@demo.cairn.test');
  await page.getByLabel('What was it?').fill(title);
  await page.getByLabel('Hours').fill('0.25');
  // The session ends elsewhere (signed out from another tab) before this form is sent. The
  // request shares this browser's cookies, as another tab would; a second page is not used
  // because headless Chromium pauses a background tab and makes the journey flaky.
  const csrf = await page.locator('form[action="/sign-out"] input[name="csrf"]').inputValue();
  const signedOut = await page.request.post('/sign-out', { form: { csrf }, maxRedirects: 0 });
  expect(signedOut.status()).toBe(303);

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Your session had ended, so nothing was saved yet');
  await expectAccessible(page);
  await page.getByLabel('Email address').fill('ailsa@demo.cairn.test');
  await page.getByLabel('Password').fill('learning-for-life');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are signed in again');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save what you typed' }).click();
  await expect(page.getByRole('status').first()).toContainText(`Saved: ${title}`);
});
