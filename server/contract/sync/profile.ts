/**
 * The `profile` collection: the households the signed-in person belongs to, one document per
 * household, with its members, addresses, phones and how each guardian wants to be reached.
 *
 * Guardians see everything of their household, including the other guardians' e-mails, own
 * phones and contact preferences. Students see a minimal view: the household's name, language,
 * members (names, roles, relationships), addresses and household phones, and only their own
 * e-mail and phone; other members' e-mails, own phones and contact preferences are left out.
 * Staff see no documents here (office tools read households through server routes).
 *
 * Guardians push only their own contact preferences; addresses and phones change through a
 * `household_change` request the office approves (refusal `needs_request`).
 */
import type { SyncRefusal } from './refusals.ts';
import type { DocumentOf, FromSchema } from './document.ts';

export { type PushRow, SYNC_REFUSALS, type SyncRefusal } from './refusals.ts';

export const PROFILE_SCHEMA_VERSION = 0;

export const CONTACT_PURPOSES = ['emergency', 'attendance', 'general', 'teacher'] as const;
export const MEMBER_ROLES = ['guardian', 'student', 'other'] as const;

export const profileSchema = {
  title: 'profile',
  version: PROFILE_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    /** The household's id. */
    id: { type: 'string', maxLength: 36 },
    name: { type: 'string', maxLength: 200 },
    primaryLanguage: { type: 'string', enum: ['en', 'es', 'so', 'vi'] },
    members: {
      type: 'array',
      maxItems: 30,
      items: {
        type: 'object',
        properties: {
          personId: { type: 'string', maxLength: 36 },
          /** Set when the member is a student of the district. */
          studentId: { type: ['string', 'null'], maxLength: 36 },
          firstName: { type: 'string', maxLength: 100 },
          lastName: { type: 'string', maxLength: 100 },
          preferredName: { type: ['string', 'null'], maxLength: 100 },
          role: { type: 'string', enum: [...MEMBER_ROLES] },
          /** A guardian's relationship to the household's students (mother, grandfather, …). */
          relationship: { type: ['string', 'null'], maxLength: 20 },
          email: { type: ['string', 'null'], maxLength: 320 },
        },
        required: ['personId', 'studentId', 'firstName', 'lastName', 'preferredName', 'role', 'relationship', 'email'],
        additionalProperties: false,
      },
    },
    addresses: {
      type: 'array',
      maxItems: 4,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          kind: { type: 'string', enum: ['home', 'mailing'] },
          line1: { type: 'string', maxLength: 200 },
          line2: { type: ['string', 'null'], maxLength: 200 },
          city: { type: 'string', maxLength: 100 },
          region: { type: 'string', maxLength: 50 },
          postalCode: { type: 'string', maxLength: 20 },
        },
        required: ['id', 'kind', 'line1', 'line2', 'city', 'region', 'postalCode'],
        additionalProperties: false,
      },
    },
    phones: {
      type: 'array',
      maxItems: 60,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          /** Null: the household's line; else a member's own phone. */
          personId: { type: ['string', 'null'], maxLength: 36 },
          kind: { type: 'string', enum: ['home', 'mobile', 'work'] },
          number: { type: 'string', maxLength: 20 },
          smsOk: { type: 'boolean' },
        },
        required: ['id', 'personId', 'kind', 'number', 'smsOk'],
        additionalProperties: false,
      },
    },
    /** Per guardian member and purpose: which channels to use. Empty in students' documents. */
    contactPreferences: {
      type: 'array',
      maxItems: 120,
      items: {
        type: 'object',
        properties: {
          personId: { type: 'string', maxLength: 36 },
          purpose: { type: 'string', enum: [...CONTACT_PURPOSES] },
          voice: { type: 'boolean' },
          sms: { type: 'boolean' },
          email: { type: 'boolean' },
        },
        required: ['personId', 'purpose', 'voice', 'sms', 'email'],
        additionalProperties: false,
      },
    },
    /** Set only on documents the server sends back to refuse a write. */
    syncError: { type: ['string', 'null'], maxLength: 40 },
  },
  required: ['id', 'name', 'primaryLanguage', 'members', 'addresses', 'phones', 'contactPreferences', 'syncError'],
  additionalProperties: false,
} as const;

export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

export type HouseholdMember = ProfileDocument['members'][number];

export type HouseholdAddress = ProfileDocument['addresses'][number];

export type HouseholdPhone = ProfileDocument['phones'][number];

export type ContactPreference = ProfileDocument['contactPreferences'][number];

export type ProfileDocument = DocumentOf<FromSchema<typeof profileSchema>>;
