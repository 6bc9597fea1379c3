/**
 * The run's header: what is tested, with what, and how strictly. It names no secret and not the
 * test user's email.
 */
import { configuredFeatures, FEATURE_VARIABLES, type Feature, type Profile, type SuiteConfig } from '../config.ts';

export function profileLine(profile: Profile): string {
  const rotation = profile.rotation.policy === 'grace' ? `grace ${profile.rotation.seconds} s` : profile.rotation.policy;
  return [
    `PKCE ${profile.pkce}`,
    `rotation ${rotation}`,
    `reuse detection ${profile.reuseDetection ? 'on' : 'off'}`,
    `refresh ${profile.refreshRevokesAccessToken ? 'revokes' : 'keeps'} the previous access token`,
    `Pragma ${profile.pragma}`,
    `token redirect_uri ${profile.tokenRedirectUri}`,
    `codes ≤ ${profile.codeLifetimeMaxS} s`,
    `access tokens ≤ ${profile.accessTokenLifetimeMaxS} s`,
  ].join(', ');
}

export function runHeader(config: SuiteConfig, unknownVariables: string[] = []): string[] {
  const configured = configuredFeatures(config);
  const missing = (Object.keys(FEATURE_VARIABLES) as Feature[]).filter((f) => !configured.includes(f));
  const optional = [
    config.runSlow ? 'slow checks on' : 'slow checks off (--slow)',
    config.runDestructive ? 'destructive checks on' : 'destructive checks off (--destructive)',
  ];
  return [
    `Target ${config.target.label}: authorization server ${config.authUrl}, API ${config.apiUrl}`,
    `  client    ${config.clientId}`,
    `  browser   ${config.browser.executablePath} (${config.browser.headed ? 'headed' : 'headless'})`,
    `  profile   ${profileLine(config.profile)}`,
    `  verdicts  ${config.strict ? 'strict: warnings fail the run' : 'warnings do not fail the run (--strict makes them)'}; ${optional.join(', ')}`,
    `  features  ${configured.length ? configured.join(', ') : 'none'}`,
    ...(missing.length ? [`  not configured: ${missing.map((f) => `${f} (set ${FEATURE_VARIABLES[f]})`).join(', ')}`] : []),
    ...unknownVariables.map((name) => `  notice: ${name} is not a setting of the suite; it is ignored (a typo?)`),
  ];
}
