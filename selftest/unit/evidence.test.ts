import { beforeEach, describe, expect, it } from 'vitest';
import { markAttachmentsShown, recordAttachment, recordEvidence, replayEvidence, takeEvidence, withEvidence } from '../../support/evidence.ts';

/** A fixture made once, inside the first check that uses it (as target.ts sharedFixture does). */
async function makeFixture() {
  const screenshot = { name: 'consent screen', contentType: 'image/png', body: Buffer.from('png') };
  const { evidence } = await withEvidence(async () => {
    recordEvidence({ title: 'browser: authorization request → code', text: 'GET /authorize' });
    recordAttachment(screenshot);
  });
  return { evidence, screenshot };
}

/** What a check's report gets: its evidence, then noted as written (as writeEvidence does). */
function endCheck(id: string) {
  const taken = takeEvidence();
  markAttachmentsShown(taken.attachments, id);
  return taken;
}

beforeEach(() => void takeEvidence());

describe('replayEvidence', () => {
  it('attaches a shared fixture\'s screenshot to the first check only; later checks get a pointer and the text', async () => {
    const { evidence, screenshot } = await makeFixture();
    replayEvidence(evidence);
    const first = endCheck('AZ-01');
    expect(first.attachments).toEqual([screenshot]);
    expect(first.items.map((i) => i.title)).toEqual(['browser: authorization request → code']);

    replayEvidence(evidence);
    replayEvidence(evidence); // a check that uses the fixture twice
    const later = endCheck('TK-01');
    expect(later.attachments).toEqual([]);
    expect(later.items).toEqual([
      { title: 'browser: authorization request → code', text: 'GET /authorize' },
      { title: 'consent screen: see AZ-01', text: 'The shared fixture\'s "consent screen" is attached once, to AZ-01, the first check that used it.' },
    ]);
  });

  it('a fixture made outside any check report attaches its screenshot to the first check that replays it', async () => {
    const { evidence, screenshot } = await makeFixture();
    takeEvidence(); // dropped without being written
    replayEvidence(evidence);
    expect(endCheck('PK-01').attachments).toEqual([screenshot]);
  });
});
