// Finding free time on an instrument page's week calendar, as the browser tests need it.
import { expect } from "chai";
import type { Page } from "playwright-core";

const HOUR = 3600_000;

/** The starts of `count` free one-hour slots in a row this week (skipping the first free one: it may be about to begin). */
async function inARow(page: Page, count: number): Promise<string[] | null> {
  const starts = (await page.locator('[data-testid="slot"][data-state="free"]').evaluateAll((cells) => cells.map((c) => c.getAttribute("data-start")!)))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  const i = starts.findIndex((s, k) => k > 0 && starts[k + count - 1] !== undefined && Date.parse(starts[k + count - 1]!) - Date.parse(s) === (count - 1) * HOUR);
  return i < 0 ? null : starts.slice(i, i + count);
}

/** `count` free hours in a row, this week or (late on a Sunday) the next one, whose page it then shows. */
export async function freeHoursInARow(page: Page, count: number): Promise<string[]> {
  await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
  let found = await inARow(page, count);
  if (!found) {
    await page.getByTestId("week-next").click();
    await page.locator('[data-testid="calendar-wrap"][data-loading="false"]').waitFor();
    found = await inARow(page, count);
  }
  expect(found, `${count} free hours in a row`).to.not.equal(null);
  return found!;
}
