/** Names and labels of the break-glass categories, states and outcomes. */

export const REASON_CATEGORIES = [
  { value: 'emergency_treatment', label: 'Emergency treatment' },
  { value: 'patient_unable_to_consent', label: 'Patient unable to consent' },
  {
    value: 'urgent_medication_reconciliation',
    label: 'Urgent medication reconciliation',
  },
  { value: 'other', label: 'Other' },
];

export const REVIEW_OUTCOMES = [
  {
    value: 'justified',
    label: 'Justified',
    help: 'The access was needed for the patient’s care.',
  },
  {
    value: 'unjustified',
    label: 'Unjustified',
    help: 'The access was not needed; follow your privacy procedure.',
  },
  {
    value: 'needs_follow_up',
    label: 'Needs follow-up',
    help: 'Ask the clinician or the privacy officer before deciding.',
  },
];

export const GRANT_STATUSES = {
  pending: { label: 'Not yet activated', color: 'default' },
  active: { label: 'Active', color: 'error' },
  expired: { label: 'Expired', color: 'default' },
  revoked: { label: 'Revoked', color: 'warning' },
};

export function labelFor(options, value) {
  return options.find((option) => option.value === value)?.label ?? value;
}

/** A grant is live while active and before its end. */
export function isLive(grant, now = Date.now()) {
  return grant.status === 'active' && Date.parse(grant.expires_at) > now;
}
