import { ValidationFailed } from './errors.js';
import type { TaskOwner } from './events.js';

export const MAX_COMMENT_CHARACTERS = 4000;
export const MAX_OWNER_NAME_CHARACTERS = 200;
const MAX_EMAIL_CHARACTERS = 254;

/** Whether `text` holds a C0 or C1 control character other than tab and newline. */
function hasForbiddenControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/u;

/**
 * A comment's text as it is recorded: NFC (so the same words typed on two systems compare equal),
 * CRLF as LF, trimmed. Null when it is not acceptable: empty, too long, or with control characters.
 */
export function commentText(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFC').replace(/\r\n/g, '\n').trim();
  if (text.length === 0 || hasForbiddenControl(text) || [...text].length > MAX_COMMENT_CHARACTERS) return null;
  return text;
}

export const COMMENT_TEXT_RULE = `1 to ${MAX_COMMENT_CHARACTERS} characters after trimming, no control characters but newline and tab`;

export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_EMAIL_CHARACTERS && EMAIL.test(value);
}

/** The owner as recorded (name trimmed), or the refusal naming the fields at fault. */
export function validOwner(owner: TaskOwner): TaskOwner {
  const name = typeof owner.name === 'string' ? owner.name.trim() : '';
  const errors = [];
  if (name.length === 0 || name.length > MAX_OWNER_NAME_CHARACTERS || hasForbiddenControl(name)) {
    errors.push({ field: 'owner.name', message: `must be 1 to ${MAX_OWNER_NAME_CHARACTERS} characters` });
  }
  if (!isEmailAddress(owner.email)) errors.push({ field: 'owner.email', message: 'must be an e-mail address' });
  if (errors.length > 0) throw new ValidationFailed('the owner is not valid', errors);
  return { name, email: owner.email };
}

/** The same person: same name, and the same address whatever its case. */
export function sameOwner(a: TaskOwner | null | undefined, b: TaskOwner | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.name === b.name && a.email.toLowerCase() === b.email.toLowerCase();
}
