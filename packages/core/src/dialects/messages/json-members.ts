// Edits of a JSON object's top-level members that leave every other byte as it was: the native
// pass-through edits a client's body this way (a vendor's own body form, a max_tokens lowered to a
// limit).
import { skipSpace, stringEnd, valueEnd } from '../../spec/json-scan.ts';

interface Member {
  name: string;
  start: number;
  valueStart: number;
  end: number;
}

export function hasMember(body: string, name: string): boolean {
  return topLevelMembers(body).some((member) => member.name === name);
}

/** The body without its top-level member `name` (and the comma that separated it). */
export function withoutMember(body: string, name: string): string {
  const members = topLevelMembers(body);
  const index = members.findIndex((member) => member.name === name);
  const member = members[index];
  if (!member) return body;
  const next = members[index + 1];
  const previous = members[index - 1];
  if (next) return body.slice(0, member.start) + body.slice(next.start);
  if (previous) return body.slice(0, previous.end) + body.slice(member.end);
  return body.slice(0, member.start) + body.slice(member.end);
}

/** The body with the top-level member `name` set to the JSON text `value` (added first if absent). */
export function withMember(body: string, name: string, value: string): string {
  const member = topLevelMembers(body).find((candidate) => candidate.name === name);
  if (member) return body.slice(0, member.valueStart) + value + body.slice(member.end);
  const open = body.indexOf('{');
  const empty = /^\s*}/.test(body.slice(open + 1));
  const text = `${JSON.stringify(name)}:${value}${empty ? '' : ','}`;
  return body.slice(0, open + 1) + text + body.slice(open + 1);
}

/** The top-level members of a JSON object text, with where each starts (its key) and ends. */
function topLevelMembers(text: string): Member[] {
  const members: Member[] = [];
  let at = skipSpace(text, text.indexOf('{') + 1);
  while (at < text.length && text[at] === '"') {
    const keyEnd = stringEnd(text, at);
    const name = JSON.parse(text.slice(at, keyEnd)) as string;
    const valueStart = skipSpace(text, text.indexOf(':', keyEnd) + 1);
    const end = valueEnd(text, valueStart);
    members.push({ name, start: at, valueStart, end });
    at = skipSpace(text, end);
    if (text[at] !== ',') break;
    at = skipSpace(text, at + 1);
  }
  return members;
}
