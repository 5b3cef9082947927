/**
 * What the browser specs do the same way: switch language and theme as a learner does, skip engine
 * time from the clock bar, and take screenshots of a steady view (optionally the README's copy).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { REPO_ROOT } from './workbench-server';

export type Look = 'en-light' | 'ko-dark' | 'en-dark' | 'ko-light';

export async function setLook(page: Page, look: Look): Promise<void> {
  const [language, theme] = look.split('-') as ['en' | 'ko', 'light' | 'dark'];
  await page.getByTestId('language-switch').getByText(language === 'ko' ? '한국어' : 'English').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  const themeLabel = { en: { light: 'Light', dark: 'Dark' }, ko: { light: '라이트', dark: '다크' } }[language][theme];
  await page.getByTestId('theme-switch').getByText(themeLabel).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** Clicks "+10 s" on the clock bar (in either language). */
export async function skip10s(page: Page): Promise<void> {
  const label = (await page.locator('html').getAttribute('lang')) === 'ko' ? '+10초' : '+10 s';
  await page.getByTestId('clock-bar').getByRole('button', { name: label }).click();
}

/**
 * Screenshots the page scrolled to the top, after the streams settle (so it shows a steady state),
 * into `dir`; with `readmeName` and KAFKA_LAB_README_SHOTS=1 also into docs/screenshots/.
 */
export async function screenshotTo(dir: string, page: Page, name: string, readmeName?: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.locator('#main-content').evaluate((main) => main.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(dir, name) });
  if (readmeName !== undefined && process.env.KAFKA_LAB_README_SHOTS === '1') {
    mkdirSync(join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(join(dir, name), join(REPO_ROOT, 'docs', 'screenshots', readmeName));
  }
}
