// Signing in, being told clearly when something is wrong, changing a password, signing out.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('a practitioner signs in and sees their latest learning', async ({ page }) => {
  await signIn(page, 'ailsa@demo.cairn.test');
  await expectAccessible(page);
  await expect(page.locator('.entry-list li').first()).toBeVisible();
  await expect(page.getByText(/entries and [\d.]+ hours of learning so far/)).toBeVisible();
  // Where she stands against her regulator's rule, in words, not colour alone.
  const standing = page.getByRole('region', { name: 'Where you stand' });
  await expect(standing).toContainText('SSSC continuous professional learning (2024)');
  await expect(standing.locator('.status-tag').first()).toHaveText(/Met|On track|At risk|Overdue/);
});

test('a wrong password is explained, linked to its field, and the email is kept', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('ailsa@demo.cairn.test');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('There is a problem');
  await expect(page.getByLabel('Email address')).toHaveValue('ailsa@demo.cairn.test');
  await expectAccessible(page);
  await summary.getByRole('link').click();
  await expect(page.getByLabel('Password')).toBeFocused();
});

test('the skip link and keyboard reach the main content', async ({ page }) => {
  await signIn(page, 'morag@demo.cairn.test');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('a password change refuses a short password, then signs out cleanly', async ({ page }) => {
  await signIn(page, 'priya@demo.cairn.test');
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My profile');
  await expect(page.getByText('Social Work England: Social worker')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Change your password' }).click();
  await expectAccessible(page);
  await page.getByLabel('Current password').fill('learning-for-life');
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 10 characters');
  await expectAccessible(page);
  await page.getByRole('button', { name: /Sign out/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});
