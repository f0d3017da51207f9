import { expect } from 'chai';
import type { WithDeleted } from 'rxdb';
import { describe, it } from '../test/mocha.ts';
import { attendanceConflictHandler, type AttendanceDocument } from './attendance.ts';

const original: WithDeleted<AttendanceDocument> = {
  id: '00000000-0000-4000-8000-00000000000a',
  studentId: '00000000-0000-4000-8000-000000000001',
  schoolId: '00000000-0000-4000-8000-000000000002',
  date: '2026-11-20',
  sectionId: '00000000-0000-4000-8000-000000000003',
  periodId: '00000000-0000-4000-8000-000000000004',
  status: 'absent',
  excuse: 'unknown',
  reasonCode: null,
  minutes: null,
  comment: '',
  syncError: null,
  _deleted: false,
};

const { isEqual, resolve } = attendanceConflictHandler;

describe('attendance conflict handler', () => {
  it('compares every field a teacher or the office can change, and the record’s identity', () => {
    for (const change of [{ status: 'present' }, { excuse: 'excused' }, { reasonCode: 'ILL' }, { minutes: 5 }, { comment: 'Called home' }, { _deleted: true }, { date: '2026-11-21' }, { studentId: original.schoolId }] as const) {
      expect(isEqual(original, { ...original, ...change }, 'test'), JSON.stringify(change)).to.equal(false);
    }
  });

  it('treats the server’s refusal note and the fields it fills in as no change to send', () => {
    expect(isEqual(original, { ...original, syncError: 'not_allowed' }, 'test')).to.equal(true);
    expect(isEqual(original, { ...original, periodId: null }, 'test')).to.equal(true);
  });

  it('keeps the device’s edited fields over a server version changed meanwhile, and the server’s other fields', async () => {
    const resolved = await resolve(
      { assumedMasterState: original, newDocumentState: { ...original, status: 'tardy', minutes: 10 }, realMasterState: { ...original, comment: 'Mother called', excuse: 'excused' } },
      'test',
    );
    expect(resolved).to.deep.equal({ ...original, status: 'tardy', minutes: 10, comment: 'Mother called', excuse: 'excused' });
  });

  it('lets the server win when it refused the write, so the refusal shows', async () => {
    const refused = { ...original, syncError: 'excuse_needs_office' as const };
    const resolved = await resolve({ assumedMasterState: original, newDocumentState: { ...original, excuse: 'excused' }, realMasterState: refused }, 'test');
    expect(resolved).to.deep.equal(refused);
  });

  it('takes every field of a new device document when the server already had one', async () => {
    const device = { ...original, status: 'present' as const, comment: 'Arrived' };
    expect(await resolve({ newDocumentState: device, realMasterState: { ...original, comment: 'Other' } }, 'test')).to.deep.equal(device);
  });

  it('brings back a record removed elsewhere that the device edited, and removes one the device removed', async () => {
    const editedHere = await resolve({ assumedMasterState: original, newDocumentState: { ...original, minutes: 3 }, realMasterState: { ...original, _deleted: true } }, 'test');
    expect(editedHere).to.include({ minutes: 3, _deleted: false });
    const removedHere = await resolve({ assumedMasterState: original, newDocumentState: { ...original, _deleted: true }, realMasterState: { ...original, comment: 'x' } }, 'test');
    expect(removedHere).to.include({ comment: 'x', _deleted: true });
  });
});
