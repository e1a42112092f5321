import { yupResolver } from '@hookform/resolvers/yup';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import * as yup from 'yup';

import { DetailList } from '../../components/detail-list';
import { FormDialog } from '../../components/form-dialog';
import { FormRadioGroup, FormTextField } from '../../components/form-fields';
import { formatDateTime } from '../../lib/format';

import { reviewGrant } from './emergency-api';
import {
  GRANT_STATUSES,
  labelFor,
  REASON_CATEGORIES,
  REVIEW_OUTCOMES,
} from './emergency-fields';

const NOTE_MAX = 2000;

const schema = yup.object({
  outcome: yup
    .string()
    .required('Choose the outcome of the review.')
    .oneOf(
      REVIEW_OUTCOMES.map((option) => option.value),
      'Choose the outcome of the review.',
    ),
  note: yup
    .string()
    .trim()
    .max(NOTE_MAX, `A note has at most ${NOTE_MAX} characters.`),
});

const EMPTY = { outcome: '', note: '' };

function grantRows(grant, clinician) {
  return [
    { key: 'who', label: 'Clinician', value: clinician },
    {
      key: 'patient',
      label: 'Patient number',
      value: String(grant.patient_id),
    },
    {
      key: 'category',
      label: 'Reason',
      value: labelFor(REASON_CATEGORIES, grant.reason_category),
    },
    { key: 'reason', label: 'Justification', value: grant.reason || '—' },
    {
      key: 'requested',
      label: 'Requested',
      value: formatDateTime(grant.requested_at),
    },
    {
      key: 'status',
      label: 'Status',
      value: GRANT_STATUSES[grant.status]?.label ?? grant.status,
    },
    {
      key: 'ends',
      label: grant.revoked_at ? 'Revoked' : 'Ends',
      value: formatDateTime(grant.revoked_at ?? grant.expires_at),
    },
  ];
}

/** Records the after-the-fact review of one emergency grant. */
export function ReviewDialog({ grant, clinician, onClose, onReviewed }) {
  const [error, setError] = useState(null);
  const { control, handleSubmit, reset, formState } = useForm({
    resolver: yupResolver(schema),
    defaultValues: EMPTY,
  });
  const rows = useMemo(
    () => (grant ? grantRows(grant, clinician) : []),
    [grant, clinician],
  );

  const close = () => {
    reset(EMPTY);
    setError(null);
    onClose();
  };

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    try {
      const reviewed = await reviewGrant(grant.id, values);
      reset(EMPTY);
      onReviewed(reviewed);
    } catch (caught) {
      setError(caught);
    }
  });

  return (
    <FormDialog
      open={Boolean(grant)}
      title="Review emergency access"
      onClose={close}
      onSubmit={onSubmit}
      submitting={formState.isSubmitting}
      submitLabel="Save review"
      error={error}
      maxWidth="md"
    >
      <DetailList items={rows} dense />
      <FormRadioGroup
        control={control}
        name="outcome"
        label="Outcome"
        options={REVIEW_OUTCOMES}
      />
      <FormTextField
        control={control}
        name="note"
        label="Note (optional)"
        multiline
        minRows={3}
        helperText="What you checked and with whom; kept with the review."
      />
    </FormDialog>
  );
}
