/**
 * What a check writes to Allure while it runs: its labels, links and evidence. The verdict is
 * added at the end of the run (allure-results.ts), once expected failures are applied.
 */
import * as allure from 'allure-js-commons';
import type { CheckRecord, Level } from '../check.ts';
import { markAttachmentsShown, takeEvidence } from '../evidence.ts';
import { citation, clauseUrl } from '../refs.ts';
import { areaName } from './areas.ts';

/** Severity before the verdict is known: a PROFILE check that fails is raised to critical afterwards. */
const SEVERITY: Record<Level, string> = { MUST: 'critical', PROFILE: 'normal', SHOULD: 'normal', INFO: 'trivial' };

export async function writeAllureLabels(record: CheckRecord): Promise<void> {
  await allure.displayName(`${record.id} ${record.title}`);
  await allure.label('checkId', record.id);
  await allure.label('level', record.level);
  await allure.severity(SEVERITY[record.level]);
  await allure.epic('OAuth 2.0 client registration');
  await allure.feature(areaName(record.id));
  await allure.tags(record.level, ...record.refs);
  for (const ref of record.refs) {
    const url = clauseUrl(ref);
    if (url) await allure.link(url, citation(ref), 'spec');
  }
}

/** Writes the evidence the check recorded (redacted by takeEvidence) as attachments. */
export async function writeEvidence(record: CheckRecord): Promise<void> {
  const { items, attachments } = takeEvidence();
  for (const item of items) await allure.attachment(item.title, item.text, 'text/plain');
  for (const a of attachments) await allure.attachment(a.name, a.body, a.contentType);
  markAttachmentsShown(attachments, record.id);
}
