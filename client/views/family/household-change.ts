/**
 * A family's household change as the office receives it: the `household_change` request a
 * guardian's device writes for a new address or phone (server/contract/sync/requests.ts),
 * and the checks the server makes, so a typing slip is caught before it waits to be sent.
 */
import {
  PHONE_NUMBER_PATTERN,
  POSTAL_CODE_PATTERN,
  REGION_PATTERN,
  type AddressChangePayload,
  type PhoneChangePayload,
  type RequestDocument,
} from '../../../server/contract/sync/requests.ts';

export type AddressField = 'line1' | 'line2' | 'city' | 'region' | 'postalCode';
export type PhoneField = 'number';
export type FieldProblem = 'required' | 'region' | 'postalCode' | 'number';

export interface AddressForm {
  kind: AddressChangePayload['kind'];
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
}

export interface PhoneForm {
  kind: PhoneChangePayload['kind'];
  /** Null: the household's line; else the guardian's own phone. */
  personId: string | null;
  number: string;
  smsOk: boolean;
}

/** What is wrong with each field, if anything (the contract's own patterns). */
export function checkAddress(form: AddressForm): Partial<Record<AddressField, FieldProblem>> {
  const problems: Partial<Record<AddressField, FieldProblem>> = {};
  if (!form.line1.trim()) problems.line1 = 'required';
  if (!form.city.trim()) problems.city = 'required';
  if (!new RegExp(REGION_PATTERN).test(form.region.trim().toUpperCase())) problems.region = form.region.trim() ? 'region' : 'required';
  if (!new RegExp(POSTAL_CODE_PATTERN).test(form.postalCode.trim())) problems.postalCode = form.postalCode.trim() ? 'postalCode' : 'required';
  return problems;
}

export function checkPhone(form: PhoneForm): Partial<Record<PhoneField, FieldProblem>> {
  const number = form.number.trim();
  if (!number) return { number: 'required' };
  return new RegExp(PHONE_NUMBER_PATTERN).test(number) ? {} : { number: 'number' };
}

/** A new request, as the device inserts it: the server fills in who, when and the old value. */
function newRequest(householdId: string, payload: AddressChangePayload | PhoneChangePayload, id: string): RequestDocument {
  return {
    id,
    kind: 'household_change',
    householdId,
    studentId: null,
    schoolId: null,
    payload,
    status: 'pending',
    submittedAt: null,
    decidedAt: null,
    decisionNote: '',
    requestedByName: '',
    syncError: null,
  };
}

export function addressRequest(householdId: string, form: AddressForm, id: string = crypto.randomUUID()): RequestDocument {
  const line2 = form.line2.trim();
  return newRequest(
    householdId,
    {
      change: 'address',
      kind: form.kind,
      address: { line1: form.line1.trim(), line2: line2 || null, city: form.city.trim(), region: form.region.trim().toUpperCase(), postalCode: form.postalCode.trim() },
      old: null,
    },
    id,
  );
}

export function phoneRequest(householdId: string, form: PhoneForm, id: string = crypto.randomUUID()): RequestDocument {
  return newRequest(householdId, { change: 'phone', kind: form.kind, personId: form.personId, phone: { number: form.number.trim(), smsOk: form.smsOk }, old: null }, id);
}

/**
 * Where a request stands for the family: not yet at the school, its withdrawal not yet sent,
 * the office's answer, or (a new request the server turned down) refused.
 */
export type RequestStanding = 'waiting' | 'withdrawing' | 'refused' | RequestDocument['status'];

export function standingOf(request: RequestDocument, pendingIds: readonly string[]): RequestStanding {
  // Until the server has taken the device's latest write (the family tab lists a write in the
  // outbox before making it, so a new request never reads as at the school before it is).
  if (pendingIds.includes(request.id)) return request.status === 'withdrawn' ? 'withdrawing' : 'waiting';
  // A refused withdrawal leaves the office's record as it is: its status is the answer.
  return request.status;
}

/** The family may take back what the office has received and not yet decided. */
export function canWithdraw(standing: RequestStanding): boolean {
  return standing === 'pending';
}
