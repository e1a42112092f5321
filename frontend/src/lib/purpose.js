/**
 * The HL7 purpose-of-use codes the server writes into the audit trail, in
 * words. An unknown code is shown as sent.
 */
const PURPOSES = {
  TREAT: 'Treatment',
  ETREAT: 'Emergency treatment',
  HOPERAT: 'Operations',
  HPAYMT: 'Payment',
  PATRQT: 'Patient request',
  PUBHLTH: 'Public health',
  HLEGAL: 'Legal',
  HRESCH: 'Research',
};

export function purposeLabel(code) {
  if (!code) return '—';
  return PURPOSES[code] ?? code;
}
