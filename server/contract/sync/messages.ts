/**
 * The `messages` collection: the user's inbox (messages addressed to them, and announcements
 * for the district, their schools and their sections while they run, those naming grades only
 * when a child of theirs is in one, or a school of theirs teaches one) and the messages they
 * sent. A recipient pushes one change only: marking a message read (or unread).
 *
 * Titles and bodies are translation maps: `en` holds the text as written (announcements are
 * written in English first and translated; a message keeps its sender's own words there),
 * the other languages hold translations or null. The client shows `title[lang] ?? title.en`.
 */
import type { SyncRefusal } from './refusals.ts';
import type { DocumentOf, FromSchema } from './document.ts';

export { type PushRow, SYNC_REFUSALS, type SyncRefusal } from './refusals.ts';

export const MESSAGES_SCHEMA_VERSION = 2;

export const MESSAGE_KINDS = ['message', 'announcement'] as const;
/** `inbox`: addressed to the user (announcements included); `sent`: written by the user. */
export const MESSAGE_FOLDERS = ['inbox', 'sent'] as const;
export const TITLE_MAX = 200;
/** Grade levels as students and enrollments carry them: -1 pre-kindergarten, 0 kindergarten, 1 to 12. */
export const GRADE_LOWEST = -1;
export const GRADE_HIGHEST = 12;
export const BODY_MAX = 20000;

const translated = (maxLength: number) =>
  ({
    type: 'object',
    properties: {
      en: { type: 'string', maxLength },
      es: { type: ['string', 'null'], maxLength },
      so: { type: ['string', 'null'], maxLength },
      vi: { type: ['string', 'null'], maxLength },
    },
    required: ['en', 'es', 'so', 'vi'],
    additionalProperties: false,
  }) as const;

export const messageSchema = {
  title: 'messages',
  version: MESSAGES_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    kind: { type: 'string', enum: [...MESSAGE_KINDS] },
    folder: { type: 'string', enum: [...MESSAGE_FOLDERS] },
    /** The sender of a message, the author of an announcement ('' when the district posted it). */
    senderName: { type: 'string', maxLength: 200 },
    title: translated(TITLE_MAX),
    body: translated(BODY_MAX),
    sectionId: { type: ['string', 'null'], maxLength: 36 },
    /**
     * Announcements (version 1): the school it is for, its own or its section's (null: the whole
     * district), and that school's name, so a family sees each child's school's posts only and
     * knows whose they are. Messages: null and ''.
     */
    schoolId: { type: ['string', 'null'], maxLength: 36 },
    schoolName: { type: 'string', maxLength: 200 },
    /**
     * Announcements (version 2): the grade levels it is meant for, lowest first (empty: every
     * grade). A family receives a post once for all its children; each child shows it only when
     * her grade is among these. Messages: empty.
     */
    grades: { type: 'array', maxItems: 14, items: { type: 'integer', minimum: GRADE_LOWEST, maximum: GRADE_HIGHEST } },
    aboutStudentId: { type: ['string', 'null'], maxLength: 36 },
    /** Messages: when it was sent (ISO instant). Null for announcements. */
    sentAt: { type: ['string', 'null'], maxLength: 30 },
    /** Announcements: the days it shows (ISO dates). Null for messages. */
    startsOn: { type: ['string', 'null'], maxLength: 10 },
    endsOn: { type: ['string', 'null'], maxLength: 10 },
    /** When the user read it (ISO instant); only on messages in the inbox. */
    readAt: { type: ['string', 'null'], maxLength: 30 },
    /** Set only on documents the server sends back to refuse a write. */
    syncError: { type: ['string', 'null'], maxLength: 40 },
  },
  required: ['id', 'kind', 'folder', 'senderName', 'title', 'body', 'sectionId', 'schoolId', 'schoolName', 'grades', 'aboutStudentId', 'sentAt', 'startsOn', 'endsOn', 'readAt', 'syncError'],
  additionalProperties: false,
} as const;

export type Translated = MessageDocument['title'];

export type MessageDocument = DocumentOf<FromSchema<typeof messageSchema>>;
