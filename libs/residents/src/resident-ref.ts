/**
 * How a waitlist entry or an admission names its resident: `residentId` for a resident the caller already sees, or
 * `idNumber` (all 18 characters, from the elder's ID card) for one beyond the caller's facilities. Exactly one.
 */
export interface ResidentRef {
  residentId?: string;
  idNumber?: string;
}
