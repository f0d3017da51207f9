/**
 * The `health` collection: one document per student whose health record the user may read,
 * holding the immunization doses on record and the compliance with the district's
 * requirements for the student's grade. Pull only: health records are entered by the nurse.
 */
import type { DocumentOf, FromSchema } from './document.ts';
export const HEALTH_SCHEMA_VERSION = 0;

export const VACCINES = ['DTaP', 'Tdap', 'Polio', 'MMR', 'HepB', 'Varicella', 'MenACWY', 'HepA'] as const;
export const EXEMPTIONS = ['none', 'medical', 'religious', 'personal'] as const;
export const DOSE_SOURCES = ['record', 'registry', 'guardian'] as const;

export type Vaccine = (typeof VACCINES)[number];

export const healthSchema = {
  title: 'health',
  version: HEALTH_SCHEMA_VERSION,
  primaryKey: 'id',
  type: 'object',
  properties: {
    /** The student's id: one health document per student. */
    id: { type: 'string', maxLength: 36 },
    studentId: { type: 'string', maxLength: 36 },
    gradeLevel: { type: 'integer', minimum: -1, maximum: 12 },
    doses: {
      type: 'array',
      maxItems: 48,
      items: {
        type: 'object',
        properties: {
          vaccine: { type: 'string', enum: [...VACCINES] },
          doseNumber: { type: 'integer', minimum: 1, maximum: 6 },
          /** Null when the row records an exemption instead of a dose. */
          administeredOn: { type: ['string', 'null'], maxLength: 10 },
          exemption: { type: 'string', enum: [...EXEMPTIONS] },
          source: { type: 'string', enum: [...DOSE_SOURCES] },
        },
        required: ['vaccine', 'doseNumber', 'administeredOn', 'exemption', 'source'],
        additionalProperties: false,
      },
    },
    /** One entry per vaccine required for the student's grade level. */
    requirements: {
      type: 'array',
      maxItems: 8,
      items: {
        type: 'object',
        properties: {
          vaccine: { type: 'string', enum: [...VACCINES] },
          dosesRequired: { type: 'integer', minimum: 1, maximum: 6 },
          dosesOnRecord: { type: 'integer', minimum: 0, maximum: 6 },
          exempt: { type: 'boolean' },
          compliant: { type: 'boolean' },
        },
        required: ['vaccine', 'dosesRequired', 'dosesOnRecord', 'exempt', 'compliant'],
        additionalProperties: false,
      },
    },
    /** Every requirement met (by doses or an exemption). */
    compliant: { type: 'boolean' },
  },
  required: ['id', 'studentId', 'gradeLevel', 'doses', 'requirements', 'compliant'],
  additionalProperties: false,
} as const;

export type ImmunizationDose = HealthDocument['doses'][number];

export type ImmunizationCompliance = HealthDocument['requirements'][number];

export type HealthDocument = DocumentOf<FromSchema<typeof healthSchema>>;
