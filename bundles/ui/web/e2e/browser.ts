import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; never a browser downloaded by Playwright. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Upper bound of every wait: only a guard against a hang, never a budget (a busy machine is slow, not broken). */
export const HANG_GUARD_MS = 300_000;

export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../target/screenshots');

export function baseUrl(): string {
  const url = process.env.NEUTRON_URL;
  if (!url) throw new Error('NEUTRON_URL is not set');
  return url.endsWith('/') ? url : `${url}/`;
}

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** A fresh headless Chromium with its own throw-away profile. */
export async function launch(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'neutron-e2e-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
    baseURL: baseUrl(),
  });
  context.setDefaultTimeout(HANG_GUARD_MS);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
