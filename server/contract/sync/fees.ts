/**
 * The `fees` collection: one document per fee assessed to a student the user may see fees
 * for, with its payments and what is still owed. Pull only: the office records payments.
 */
import type { DocumentOf, FromSchema } from './document.ts';
export const FEES_SCHEMA_VERSION = 0;

export const FEE_CATEGORIES = ['meals', 'course', 'activity', 'device', 'transport', 'library', 'other'] as const;
export const PAYMENT_METHODS = ['cash', 'check', 'card', 'online', 'adjustment'] as const;

export const feeSchema = {
  title: 'fees',
  version: FEES_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    studentId: { type: 'string', maxLength: 36 },
    schoolId: { type: 'string', maxLength: 36 },
    schoolName: { type: 'string', maxLength: 200 },
    category: { type: 'string', enum: [...FEE_CATEGORIES] },
    description: { type: 'string', maxLength: 500 },
    amountCents: { type: 'integer', minimum: 0 },
    assessedOn: { type: 'string', maxLength: 10 },
    dueOn: { type: 'string', maxLength: 10 },
    waived: { type: 'boolean' },
    paidCents: { type: 'integer', minimum: 0 },
    /** Still owed: nothing when waived; negative when overpaid (a refund is due). */
    balanceCents: { type: 'integer' },
    payments: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        properties: {
          paidOn: { type: 'string', maxLength: 10 },
          amountCents: { type: 'integer', minimum: 1 },
          method: { type: 'string', enum: [...PAYMENT_METHODS] },
        },
        required: ['paidOn', 'amountCents', 'method'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'studentId', 'schoolId', 'schoolName', 'category', 'description', 'amountCents', 'assessedOn', 'dueOn', 'waived', 'paidCents', 'balanceCents', 'payments'],
  additionalProperties: false,
} as const;

export type FeePayment = FeeDocument['payments'][number];

export type FeeDocument = DocumentOf<FromSchema<typeof feeSchema>>;
