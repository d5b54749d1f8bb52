// Learning opportunities: an L&D lead offers a course with two sessions; practitioners find it
// by topic, book, join the waiting list, and are promoted when someone cancels.
const { test, expect } = require('@playwright/test');
const { expectAccessible, signIn } = require('./a11y');

function inDays(days) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toISOString().slice(0, 10);
}

test('a course is offered, booked, waited for, and a cancelled place moves on', async ({ browser }, testInfo) => {
  const title = `Court skills refresher (${testInfo.project.name})`;
  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, 'iain@demo.cairn.test');
  await lead.getByRole('link', { name: 'Find learning' }).click();
  await lead.getByRole('link', { name: 'Offer learning' }).click();
  await expectAccessible(lead);
  // Mistakes come back explained, with what was typed.
  await lead.getByLabel('Title').fill(title);
  await lead.getByLabel('Hours of learning').fill('3');
  await lead.getByLabel('Date').first().fill(inDays(20));
  await lead.getByLabel('Starts at (24-hour clock)').first().fill('13:00');
  await lead.getByLabel('Ends at').first().fill('10:00');
  await lead.getByLabel('Places').first().fill('-1');
  await lead.getByLabel('Online link (optional)').nth(1).fill('http://meet.example/court');
  await lead.getByRole('button', { name: 'Offer it' }).click();
  const problems = lead.getByRole('alert');
  await expect(problems).toContainText('Enter who provides it');
  await expect(problems).toContainText('Session 1: must be after it starts');
  await expect(problems).toContainText('Session 1: must be a whole number of places');
  await expect(problems).toContainText('Session 2: must be an https:// address');
  await expect(lead.getByLabel('Title')).toHaveValue(title);
  await expectAccessible(lead);
  await lead.getByLabel('Provided by').fill('Highland Council');
  await lead.getByLabel('Topics').fill('Court skills');
  await lead.getByLabel('Framework elements').fill('Knowledge for your role');
  await lead.getByLabel('Online link (optional)').nth(1).fill('https://meet.example/court');
  await lead.getByLabel('Ends at').first().fill('16:00');
  await lead.getByLabel('Places').first().fill('1');
  await lead.getByLabel('Date').nth(1).fill(inDays(40));
  await lead.getByLabel('Starts at (24-hour clock)').nth(1).fill('09:30');
  await lead.getByLabel('Ends at').nth(1).fill('12:30');
  await lead.getByLabel('Places').nth(1).fill('8');
  await lead.getByRole('button', { name: 'Offer it' }).click();
  await expect(lead.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(lead.getByText('1 of 1 places left')).toBeVisible();
  await expect(lead.getByText('Framework elements: Knowledge for your role')).toBeVisible();
  await expectAccessible(lead);

  // Ailsa finds it by a topic and takes the only place of the first session.
  const ailsa = await (await browser.newContext()).newPage();
  await signIn(ailsa, 'ailsa@demo.cairn.test');
  await ailsa.getByRole('link', { name: 'Find learning' }).click();
  await ailsa.getByLabel('Topic').selectOption('court-skills');
  await ailsa.getByRole('button', { name: 'Find' }).click();
  await expectAccessible(ailsa);
  await ailsa.getByRole('link', { name: title }).click();
  await ailsa.getByRole('button', { name: /^Book a place/ }).first().click();
  await expect(ailsa.getByRole('status')).toContainText('You have a place');
  await expectAccessible(ailsa);

  // Eilidh finds it full and joins the waiting list.
  const eilidh = await (await browser.newContext()).newPage();
  await signIn(eilidh, 'eilidh@demo.cairn.test');
  await eilidh.goto(ailsa.url().split('?')[0]);
  await expect(eilidh.getByText('Full: 0 waiting')).toBeVisible();
  await eilidh.getByRole('button', { name: /^Join the waiting list/ }).click();
  await expect(eilidh.getByRole('status')).toContainText('you are on the waiting list');
  await expect(eilidh.getByText('You are number 1 on the waiting list')).toBeVisible();

  // Ailsa cancels: Eilidh has the place and is told.
  await ailsa.getByRole('button', { name: /^Cancel/ }).first().click();
  await expect(ailsa.getByRole('status')).toContainText('Your booking was cancelled');
  await eilidh.goto('/');
  const news = eilidh.getByRole('region', { name: 'New for you' });
  await expect(news).toContainText(`A place came free and is now yours: ${title}`);
  await expectAccessible(eilidh);
  await news.getByRole('link', { name: 'See all notifications' }).click();
  // The inbox keeps it once read, marked new only the first time.
  const told = eilidh.locator('.entry-list li').filter({ hasText: `A place came free and is now yours: ${title}` });
  await expect(told).toContainText('new');
  await expectAccessible(eilidh);
  await eilidh.reload();
  await expect(told).toBeVisible();
  await expect(told).not.toContainText('new');
  await eilidh.goto('/bookings');
  await expect(eilidh.locator('.entry-list li').filter({ hasText: title })).toContainText('You have a place');
  await expectAccessible(eilidh);
});

test('a care worker is suggested the mandatory training they still need', async ({ page }) => {
  await signIn(page, 'chidi@demo.cairn.test');
  await page.getByRole('link', { name: 'Find learning' }).click();
  const suggested = page.getByRole('region', { name: 'Suggested for you' });
  await expect(suggested).toContainText('Fire safety for care at home');
  await expect(suggested).toContainText('For Fire safety');
  await expectAccessible(page);
});

test('a summer session typed at 09:30 is invited at 09:30 British Summer Time', async ({ browser }, testInfo) => {
  const title = `Summer court skills (${testInfo.project.name})`;
  // 15 June next year: British Summer Time, an hour ahead of UTC.
  const year = new Date().getUTCFullYear() + 1;
  const day = `${year}-06-15`;
  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, 'iain@demo.cairn.test');
  await lead.getByRole('link', { name: 'Find learning' }).click();
  await lead.getByRole('link', { name: 'Offer learning' }).click();
  await lead.getByLabel('Title').fill(title);
  await lead.getByLabel('Provided by').fill('Highland Council');
  await lead.getByLabel('Hours of learning').fill('3');
  await lead.getByLabel('Date').first().fill(day);
  await lead.getByLabel('Starts at (24-hour clock)').first().fill('09:30');
  await lead.getByLabel('Ends at').first().fill('12:30');
  await lead.getByLabel('Places').first().fill('10');
  await lead.getByRole('button', { name: 'Offer it' }).click();
  await expect(lead.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(lead.getByRole('heading', { level: 3, name: new RegExp(`15 June ${year}, 09:30 to 12:30$`) })).toBeVisible();

  const ailsa = await (await browser.newContext()).newPage();
  await signIn(ailsa, 'ailsa@demo.cairn.test');
  await ailsa.goto(lead.url().split('?')[0]);
  await expect(ailsa.getByRole('heading', { level: 3, name: /, 09:30 to 12:30$/ })).toBeVisible();
  await ailsa.getByRole('button', { name: /^Book a place/ }).first().click();
  await expect(ailsa.getByRole('status')).toContainText('You have a place');
  await ailsa.goto('/bookings');
  await ailsa.locator('.entry-list li').filter({ hasText: title }).getByRole('link').first().click();
  const href = await ailsa.getByRole('link', { name: 'Add it to my calendar (.ics)' }).getAttribute('href');
  const invitation = await (await ailsa.request.get(href)).text();
  // 09:30 in London in June is 08:30 UTC, whatever zone the calendar shows it in.
  expect(invitation).toContain(`DTSTART:${year}0615T083000Z`);
  expect(invitation).toContain(`DTEND:${year}0615T113000Z`);
  await expectAccessible(ailsa);
});
