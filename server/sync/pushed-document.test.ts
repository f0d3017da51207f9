import { describe, expect, it } from 'vitest';
import { attendanceSchema, type AttendanceDocument } from '../contract/sync/attendance.ts';
import { messageSchema, type MessageDocument } from '../contract/sync/messages.ts';
import { profileSchema, type ProfileDocument } from '../contract/sync/profile.ts';
import { requestSchema, type RequestDocument } from '../contract/sync/requests.ts';
import { pushedDocumentCheck } from './pushed-document.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const mark: AttendanceDocument & { _deleted: boolean } = {
  id: id(1), studentId: id(2), schoolId: id(3), date: '2026-11-24', sectionId: id(4), periodId: null,
  status: 'absent', excuse: 'unknown', reasonCode: null, minutes: null, comment: '', syncError: null, _deleted: false,
};
const isMark = pushedDocumentCheck<AttendanceDocument>(attendanceSchema);

describe('a pushed document, checked by its collection’s schema and its field names', () => {
  it('takes a document the device would hold', () => {
    expect(isMark(mark)).toBe(true);
    expect(isMark({ ...mark, _deleted: true })).toBe(true);
  });

  it('refuses what the schema refuses: wrong types, unknown fields, missing ones, long text', () => {
    expect(isMark({ ...mark, status: 'gone' })).toBe(false);
    expect(isMark({ ...mark, minutes: '7' })).toBe(false);
    expect(isMark({ ...mark, minutes: 601 })).toBe(false);
    expect(isMark({ ...mark, extra: 1 })).toBe(false);
    const { comment, ...withoutComment } = mark;
    void comment;
    expect(isMark(withoutComment)).toBe(false);
    expect(isMark({ ...mark, comment: 'x'.repeat(2001) })).toBe(false);
    expect(isMark({ ...mark, syncError: 'x'.repeat(41) })).toBe(false);
  });

  it('refuses what is not a document: null, a list, text, a missing or non-boolean _deleted', () => {
    for (const value of [null, undefined, [], 'x', 7, { ...mark, _deleted: 'no' }]) expect(isMark(value)).toBe(false);
    const { _deleted, ...withoutDeleted } = mark;
    void _deleted;
    expect(isMark(withoutDeleted)).toBe(false);
  });

  it('holds ids to UUIDs, days to real calendar days, and text free of NUL', () => {
    expect(isMark({ ...mark, id: 'not-a-uuid' })).toBe(false);
    expect(isMark({ ...mark, sectionId: 'x'.repeat(36) })).toBe(false);
    expect(isMark({ ...mark, date: '2026-02-30' })).toBe(false);
    expect(isMark({ ...mark, date: 'yesterday' })).toBe(false);
    expect(isMark({ ...mark, comment: 'a\u0000b' })).toBe(false);
  });

  it('holds instants to UTC times, nested ids too, and every item of an id list', () => {
    const isMessage = pushedDocumentCheck<MessageDocument>(messageSchema);
    const message: MessageDocument & { _deleted: boolean } = {
      id: id(5), kind: 'message', folder: 'inbox', senderName: 'Ms. Ramírez', title: { en: 'Hello', es: null, so: null, vi: null }, body: { en: 'Text', es: 'Texto', so: null, vi: null },
      sectionId: null, schoolId: null, schoolName: '', grades: [], aboutStudentId: null, sentAt: '2026-11-24T15:00:00.000Z', startsOn: null, endsOn: null, readAt: null, syncError: null, _deleted: false,
    };
    expect(isMessage(message)).toBe(true);
    expect(isMessage({ ...message, readAt: '2026-11-24T15:00:00Z' })).toBe(true);
    expect(isMessage({ ...message, readAt: 'soon' })).toBe(false);
    expect(isMessage({ ...message, readAt: '2026-11-24 15:00' })).toBe(false);
    expect(isMessage({ ...message, startsOn: '2026-13-01' })).toBe(false);
    expect(isMessage({ ...message, title: { ...message.title, fr: 'Bonjour' } })).toBe(false);

    const isProfile = pushedDocumentCheck<ProfileDocument>(profileSchema);
    const household: ProfileDocument & { _deleted: boolean } = {
      id: id(6), name: 'Household', primaryLanguage: 'es', members: [], addresses: [], phones: [{ id: id(7), personId: null, kind: 'home', number: '+16125550100', smsOk: false }],
      contactPreferences: [], syncError: null, _deleted: false,
    } as unknown as ProfileDocument & { _deleted: boolean };
    expect(isProfile(household)).toBe(true);
    expect(isProfile({ ...household, phones: [{ ...household.phones[0]!, id: 'phone-1' }] })).toBe(false);

    const isRequest = pushedDocumentCheck<RequestDocument>(requestSchema);
    const note = {
      id: id(8), kind: 'absence_note', householdId: null, studentId: id(2), schoolId: id(3),
      payload: { date: '2026-11-24', endDate: null, reason: 'ILL', note: '', sectionIds: [id(4)] },
      status: 'pending', submittedAt: null, decidedAt: null, decisionNote: '', requestedByName: '', syncError: null, _deleted: false,
    };
    expect(isRequest(note)).toBe(true);
    expect(isRequest({ ...note, payload: { ...note.payload, sectionIds: [id(4), 'period-2'] } })).toBe(false);
    expect(isRequest({ ...note, submittedAt: 'Tuesday' })).toBe(false);
  });

  it('adds the rules a collection gives beyond its schema', () => {
    const coded = pushedDocumentCheck<AttendanceDocument>(attendanceSchema, (d) => d.reasonCode === null || /^[A-Z]{2,6}$/.test(d.reasonCode));
    expect(coded({ ...mark, reasonCode: 'ILL' })).toBe(true);
    expect(coded({ ...mark, reasonCode: 'ill' })).toBe(false);
  });
});
