/**
 * `npm run setup` (and before npm test/selftest/bench/login): makes sure a Chromium is there.
 * Order: PLEO_BROWSER_PATH, a system headless shell (headless runs), Playwright's own browser, a
 * system Chromium. Where apt-get can be used (Playwright's download may be blocked there) it
 * installs Debian's `chromium-headless-shell`, which headless runs prefer (support/browser/resolve.ts),
 * and `chromium` if no browser is found; elsewhere, Playwright's own download.
 * `--headed` (before npm run login): a browser that can show a window is needed, not a headless shell.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BrowserNotFoundError, resolveBrowser, SYSTEM_HEADLESS_SHELLS, type ResolvedBrowser } from '../support/browser/resolve.ts';

const quiet = process.argv.includes('--quiet');
const headless = !process.argv.includes('--headed');
const explicit = process.env.PLEO_BROWSER_PATH?.trim() || undefined;

function tryResolve(): ResolvedBrowser | undefined {
  try {
    return resolveBrowser(explicit, { headless });
  } catch (error) {
    if (!(error instanceof BrowserNotFoundError)) throw error;
    if (explicit) {
      // An explicit choice that is wrong is the user's to fix: installing another would hide it.
      console.error(error.message);
      process.exit(2);
    }
    return undefined;
  }
}

function run(command: string, args: string[]): boolean {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

const canApt = process.platform === 'linux' && existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;

function aptInstall(packages: string[]): boolean {
  const install = ['install', '-y', '--no-install-recommends', ...packages];
  return run('apt-get', install) || (run('apt-get', ['update']) && run('apt-get', install));
}

let found = tryResolve();
if (!found) {
  if (canApt) {
    console.log('No Chromium found: installing Debian\'s chromium and chromium-headless-shell packages.');
    aptInstall(['chromium', 'chromium-headless-shell']);
  } else {
    console.log('No Chromium found: installing Playwright\'s Chromium.');
    run('npx', ['playwright', 'install', 'chromium']);
  }
  found = tryResolve();
} else if (canApt && headless && found.source === 'system' && !SYSTEM_HEADLESS_SHELLS.some((path) => existsSync(path))) {
  // Optional: a full browser works, the headless shell only makes each run lighter.
  console.log('Installing Debian\'s chromium-headless-shell: headless runs take about a quarter of the CPU with it.');
  if (aptInstall(['chromium-headless-shell'])) found = tryResolve();
  else console.log(`It could not be installed; runs use ${found.executablePath}.`);
}
if (!found) {
  console.error('No Chromium could be installed. Install Chromium or Chrome, or set PLEO_BROWSER_PATH to one.');
  process.exit(2);
}
if (!quiet) console.log(`Browser: ${found.executablePath} (${found.source})`);
