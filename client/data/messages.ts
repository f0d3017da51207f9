/**
 * The `messages` collection: the user's inbox (messages and the announcements that reach
 * them) and the messages they sent. The one change a device sends: marking a message of the
 * inbox read or unread.
 */
import type { Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { messageSchema, type MessageDocument } from '../../server/contract/sync/messages.ts';
import { pushedCollection } from './collection.ts';
import { deviceEditsWin } from './conflict-handler.ts';
import type { HomeroomDatabase } from './database.ts';

export type { MessageDocument } from '../../server/contract/sync/messages.ts';

/** Reading is the only thing a user changes; the server refuses anything else with a reason. */
export const messagesConflictHandler = deviceEditsWin<MessageDocument>({
  identity: ['kind', 'folder'],
  edited: ['readAt'],
});

export const messagesCollection = pushedCollection<MessageDocument>(messageSchema, messagesConflictHandler, {
  // Version 1 names an announcement's school. Migrated documents wait for it: the new version's
  // replication pulls the collection again, and the server answers the device's first push of
  // each document it held with the server's state (server/sync/messages.ts).
  // (A version 1 document: strategy 2 adds the grades, so the type RxDB asks of each strategy is claimed here.)
  1: (document: Omit<MessageDocument, 'schoolId' | 'schoolName' | 'grades'>): MessageDocument => ({ ...document, schoolId: null, schoolName: '' }) as MessageDocument,
  // Version 2 names the grades an announcement is meant for. Until the new replication brings
  // them, a migrated post keeps what version 1 meant: every grade of its school.
  2: (document: Omit<MessageDocument, 'grades'>): MessageDocument => ({ ...document, grades: [] }),
});

/** The inbox, newest first (announcements by their first day). */
export function observeInbox(db: HomeroomDatabase): Observable<Array<RxDocument<MessageDocument>>> {
  return db.messages.find({ selector: { folder: 'inbox' }, sort: [{ sentAt: 'desc' }, { startsOn: 'desc' }, { id: 'asc' }] }).$;
}

/** Marks one message of the inbox read (now) or unread; sent with the next push. */
export async function markMessageRead(db: HomeroomDatabase, id: string, read: boolean, now: Date = new Date()): Promise<void> {
  const message = await db.messages.findOne(id).exec();
  if (!message || message.folder !== 'inbox' || message.kind !== 'message') return;
  await message.incrementalPatch({ readAt: read ? (message.readAt ?? now.toISOString()) : null, syncError: null });
}
