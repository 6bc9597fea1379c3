import { badInputCases } from './selftest/bad-input.ts';
for (const r of await badInputCases()) console.log(r.ok ? 'OK ' : 'BAD', r.name, '—', r.detail.slice(0, 400));
