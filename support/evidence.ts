/**
 * Evidence of one check: every HTTP exchange and browser hop it made, kept in order and
 * written (redacted) to the report when the check ends.
 */
import { redactedExcerpt } from './secrets.ts';

/** An evidence item longer than this is cut (after redaction) to keep reports readable. */
const MAX_ITEM_CHARS = 8000;

export interface EvidenceItem {
  title: string;
  /** Plain text, not yet redacted nor cut: both happen, in that order, when the evidence is written. */
  text: string;
}

export interface Attachment {
  name: string;
  contentType: string;
  body: Buffer;
}

let items: EvidenceItem[] = [];
let attachments: Attachment[] = [];

export function recordEvidence(item: EvidenceItem): void {
  items.push(item);
}

/** Binary evidence such as a screenshot; the caller guarantees it shows no secret. */
export function recordAttachment(attachment: Attachment): void {
  attachments.push(attachment);
}

export interface Recorded {
  items: EvidenceItem[];
  attachments: Attachment[];
}

/** Runs `work` and returns, besides its value, the evidence it recorded (for shared fixtures). */
export async function withEvidence<T>(work: () => Promise<T>): Promise<{ value: T; evidence: Recorded }> {
  const start = { items: items.length, attachments: attachments.length };
  const value = await work();
  return { value, evidence: { items: items.slice(start.items), attachments: attachments.slice(start.attachments) } };
}

/** The check whose report holds each attachment, so that a shared fixture's screenshot is attached once. */
const shownIn = new WeakMap<Attachment, string>();
const pointers = new WeakMap<Attachment, EvidenceItem>();

/** Notes that `written` attachments are in the report of check `checkId` (the first one that has them). */
export function markAttachmentsShown(written: Attachment[], checkId: string): void {
  for (const attachment of written) if (!shownIn.has(attachment)) shownIn.set(attachment, checkId);
}

/**
 * Adds a shared fixture's evidence to the current check (once). Text is repeated in every check
 * that uses the fixture; a binary attachment only in the first, and later ones get a pointer to it.
 */
export function replayEvidence(recorded: Recorded): void {
  for (const item of recorded.items) if (!items.includes(item)) items.push(item);
  for (const attachment of recorded.attachments) {
    if (attachments.includes(attachment)) continue;
    const first = shownIn.get(attachment);
    if (!first) {
      attachments.push(attachment);
      continue;
    }
    let pointer = pointers.get(attachment);
    if (!pointer) {
      pointer = { title: `${attachment.name}: see ${first}`, text: `The shared fixture's "${attachment.name}" is attached once, to ${first}, the first check that used it.` };
      pointers.set(attachment, pointer);
    }
    if (!items.includes(pointer)) items.push(pointer);
  }
}

/** Takes what the current check recorded, redacted with every secret known by now. */
export function takeEvidence(): Recorded {
  const taken = {
    items: items.map((i) => ({ title: redactedExcerpt(i.title, 200), text: redactedExcerpt(i.text, MAX_ITEM_CHARS) })),
    attachments,
  };
  items = [];
  attachments = [];
  return taken;
}
