/**
 * The `requests` collection: what families ask the school office for. Guardians submit absence
 * notes for their children and changes of their household's address or phone; office staff
 * approve or reject them. Isomorphic: the client builds its RxDB collection from this schema,
 * and the server validates pushed documents with the same schema.
 *
 * Payloads are stored as they are written here (and as the demo generator writes them): an
 * absence note `{ date, endDate, reason, note, sectionIds }`, a household change
 * `{ change: 'address', kind, address, old }` or `{ change: 'phone', kind, personId, phone, old }`.
 * `old` is filled by the server when the request arrives (what the office will replace).
 */
import type { SyncRefusal } from './refusals.ts';
import type { DocumentOf, FromSchema } from './document.ts';

export { type PushRow, SYNC_REFUSALS, type SyncRefusal } from './refusals.ts';

export const REQUESTS_SCHEMA_VERSION = 0;

export const REQUEST_KINDS = ['household_change', 'absence_note'] as const;
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
/** Reasons a family may give for an absence: the excused codes of attendance_reasons a guardian can vouch for. */
export const ABSENCE_NOTE_REASONS = ['ILL', 'MED', 'FAM', 'REL', 'BRV'] as const;
export const ADDRESS_KINDS = ['home', 'mailing'] as const;
export const PHONE_KINDS = ['home', 'mobile', 'work'] as const;

/** The same pattern as the phones table's CHECK. */
export const PHONE_NUMBER_PATTERN = '^\\+?[0-9 ().-]{7,20}$';
/** US ZIP or ZIP+4. */
export const POSTAL_CODE_PATTERN = '^[0-9]{5}(-[0-9]{4})?$';
export const REGION_PATTERN = '^[A-Z]{2}$';
const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

/** An absence note may be written at most this many days after the absence, and this many days ahead. */
export const NOTE_DAYS_BACK = 30;
export const NOTE_DAYS_AHEAD = 14;
export const NOTE_MAX_LENGTH = 1000;
export const DECISION_NOTE_MAX_LENGTH = 1000;

const postalAddressSchema = {
  type: 'object',
  properties: {
    line1: { type: 'string', minLength: 1, maxLength: 200 },
    line2: { type: ['string', 'null'], maxLength: 200 },
    city: { type: 'string', minLength: 1, maxLength: 100 },
    region: { type: 'string', pattern: REGION_PATTERN },
    postalCode: { type: 'string', pattern: POSTAL_CODE_PATTERN },
  },
  required: ['line1', 'line2', 'city', 'region', 'postalCode'],
  additionalProperties: false,
} as const;

const phoneLineSchema = {
  type: 'object',
  properties: {
    number: { type: 'string', pattern: PHONE_NUMBER_PATTERN },
    smsOk: { type: 'boolean' },
  },
  required: ['number', 'smsOk'],
  additionalProperties: false,
} as const;

const absenceNotePayloadSchema = {
  type: 'object',
  properties: {
    /** First day absent. */
    date: { type: 'string', pattern: DATE_PATTERN },
    /** Last day absent, when more than one day. */
    endDate: { type: ['string', 'null'], pattern: DATE_PATTERN },
    reason: { type: 'string', enum: [...ABSENCE_NOTE_REASONS] },
    note: { type: 'string', maxLength: NOTE_MAX_LENGTH },
    /** Only these class periods (e.g. a morning appointment); null means the whole day. */
    sectionIds: { type: ['array', 'null'], minItems: 1, maxItems: 12, items: { type: 'string', maxLength: 36 } },
  },
  required: ['date', 'endDate', 'reason', 'note', 'sectionIds'],
  additionalProperties: false,
} as const;

const addressChangePayloadSchema = {
  type: 'object',
  properties: {
    change: { type: 'string', const: 'address' },
    kind: { type: 'string', enum: [...ADDRESS_KINDS] },
    address: postalAddressSchema,
    old: { oneOf: [{ type: 'null' }, postalAddressSchema] },
  },
  required: ['change', 'kind', 'address', 'old'],
  additionalProperties: false,
} as const;

const phoneChangePayloadSchema = {
  type: 'object',
  properties: {
    change: { type: 'string', const: 'phone' },
    kind: { type: 'string', enum: [...PHONE_KINDS] },
    /** Null: the household's line; else the requesting guardian's own phone. */
    personId: { type: ['string', 'null'], maxLength: 36 },
    phone: phoneLineSchema,
    old: { oneOf: [{ type: 'null' }, phoneLineSchema] },
  },
  required: ['change', 'kind', 'personId', 'phone', 'old'],
  additionalProperties: false,
} as const;

export const requestSchema = {
  title: 'requests',
  version: REQUESTS_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    kind: { type: 'string', enum: [...REQUEST_KINDS] },
    /** Set on household changes only. */
    householdId: { type: ['string', 'null'], maxLength: 36 },
    /** Set on absence notes only. */
    studentId: { type: ['string', 'null'], maxLength: 36 },
    /** The school deciding an absence note (set by the server from the enrollment). */
    schoolId: { type: ['string', 'null'], maxLength: 36 },
    /** Null only on tombstones. */
    payload: { type: ['object', 'null'], oneOf: [{ type: 'null' }, absenceNotePayloadSchema, addressChangePayloadSchema, phoneChangePayloadSchema] },
    status: { type: 'string', enum: [...REQUEST_STATUSES] },
    /** Set by the server when the request arrives. */
    submittedAt: { type: ['string', 'null'], maxLength: 40 },
    decidedAt: { type: ['string', 'null'], maxLength: 40 },
    decisionNote: { type: 'string', maxLength: DECISION_NOTE_MAX_LENGTH },
    /** Who asked (set by the server). */
    requestedByName: { type: 'string', maxLength: 200 },
    /** Set only on documents the server sends back to refuse a write. */
    syncError: { type: ['string', 'null'], maxLength: 40 },
  },
  required: ['id', 'kind', 'householdId', 'studentId', 'schoolId', 'payload', 'status', 'submittedAt', 'decidedAt', 'decisionNote', 'requestedByName', 'syncError'],
  additionalProperties: false,
} as const;

export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type AbsenceNoteReason = (typeof ABSENCE_NOTE_REASONS)[number];

export type PostalAddress = AddressChangePayload['address'];

export type PhoneLine = PhoneChangePayload['phone'];

export type AbsenceNotePayload = Extract<NonNullable<RequestDocument['payload']>, { date: string }>;

export type AddressChangePayload = Extract<NonNullable<RequestDocument['payload']>, { change: 'address' }>;

export type PhoneChangePayload = Extract<NonNullable<RequestDocument['payload']>, { change: 'phone' }>;

export type HouseholdChangePayload = AddressChangePayload | PhoneChangePayload;

export type RequestDocument = DocumentOf<FromSchema<typeof requestSchema>>;
