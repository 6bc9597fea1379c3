import AdmZip from 'adm-zip';
import { beforeEach, expect, it } from 'vitest';
import { redactTraceZip } from '../../support/browser/trace-zip.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';

const SECRET = 'a-client-secret-of-some-length';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

beforeEach(() => clearSecretsForTesting());

function traceZip(entries: Record<string, string | Buffer>): Buffer {
  const zip = new AdmZip();
  for (const [name, data] of Object.entries(entries)) zip.addFile(name, Buffer.from(data));
  return zip.toBuffer();
}

const entriesOf = (zip: Buffer) => Object.fromEntries(new AdmZip(zip).getEntries().map((e) => [e.entryName, e.getData().toString('utf8')]));

it('masks registered secrets in text entries and drops binary ones', () => {
  registerSecret(SECRET, 'client_secret');
  const raw = traceZip({
    'trace.trace': `{"type":"before","callId":"1","params":{"value":"${SECRET}"}}\n`,
    'resources/page.html': `<input value="${encodeURIComponent(SECRET)}">`,
    'resources/shot.png': PNG,
  });
  const trace = redactTraceZip(raw);
  const entries = entriesOf(trace.zip);
  expect(Object.keys(entries).sort()).toEqual(['resources/page.html', 'trace.trace']);
  expect(JSON.stringify(entries)).not.toContain(SECRET);
  expect(JSON.stringify(entries)).not.toContain(encodeURIComponent(SECRET));
  expect(entries['trace.trace']).toContain('[REDACTED:client_secret]');
  expect(trace).toMatchObject({ kept: 2, dropped: 1, actions: 1 });
});

it('masks cookie and credential header values in the network log, registered or not', () => {
  const network = JSON.stringify({
    type: 'resource-snapshot',
    snapshot: {
      request: { headers: [{ name: 'Cookie', value: '_session=sess-id-123' }, { name: 'Accept', value: 'text/html' }], cookies: [{ name: '_session', value: 'sess-id-123' }] },
      response: { headers: [{ name: 'set-cookie', value: '_session=sess-id-456; path=/' }] },
    },
  });
  const entries = entriesOf(redactTraceZip(traceZip({ 'trace.network': `${network}\n` })).zip);
  expect(entries['trace.network']).not.toMatch(/sess-id/);
  expect(entries['trace.network']).toContain('text/html');
});
