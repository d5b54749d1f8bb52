// A newly qualified social worker declares her year's learning; her supervisor returns it
// with a comment, then verifies it. Runs once (the phone project): it changes the demo's state.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

test('a declaration is returned with a comment, then verified', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'changes shared demo data; once is enough');
  const eilidh = await (await browser.newContext(testInfo.project.use)).newPage();
  await signIn(eilidh, 'eilidh@demo.cairn.test');
  const policy = eilidh.getByRole('region', { name: 'Where you stand' }).locator('li', { hasText: 'continuous professional learning (2024): social workers' });
  await expect(policy.getByLabel(/Who verifies it/)).toHaveValue(/.+/);
  await expect(policy.getByLabel(/Who verifies it/).locator('option:checked')).toHaveText('Morag Campbell');
  await expectAccessible(eilidh);
  await policy.getByRole('button', { name: 'Declare this period complete' }).click();
  await expect(eilidh.getByRole('status')).toContainText('Your declaration was sent');

  const morag = await (await browser.newContext(testInfo.project.use)).newPage();
  await signIn(morag, 'morag@demo.cairn.test');
  const waiting = morag.getByRole('region', { name: 'Waiting for you to verify' });
  await expect(waiting).toContainText('Eilidh Munro');
  await expectAccessible(morag);
  await waiting.getByLabel('Or return it, saying what is missing').fill('Add your trauma-informed practice learning first.');
  await waiting.getByRole('button', { name: /Return/ }).click();
  await expect(morag.getByRole('status')).toContainText('returned with your comment');

  await eilidh.reload();
  await expect(policy).toContainText('Returned: Add your trauma-informed practice learning first.');
  await policy.getByRole('button', { name: 'Declare this period complete' }).click();

  await morag.reload();
  await morag.getByRole('region', { name: 'Waiting for you to verify' }).getByRole('button', { name: /Verify/ }).click();
  await expect(morag.getByRole('status')).toContainText('The declaration is verified');

  await eilidh.reload();
  await expect(policy).toContainText('Declared and verified.');
});
