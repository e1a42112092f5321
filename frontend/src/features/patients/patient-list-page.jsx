import AddIcon from '@mui/icons-material/Add';
import SearchIcon from '@mui/icons-material/Search';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import TablePagination from '@mui/material/TablePagination';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';

import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { ForRoles } from '../../components/role-guard';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../lib/pagination';
import { ROLES } from '../../lib/roles';
import { useDebouncedCallback } from '../../lib/use-debounced-callback';

import { CreatePatientDialog } from './create-patient-dialog';
import { PatientTable } from './patient-table';
import { usePatientList } from './use-patients';

const SORTS = ['last_name', 'first_name', 'date_of_birth', 'mrn'];

/** The list's state lives in the address, so Back returns to the same view. */
function readQuery(params) {
  const page = Number.parseInt(params.get('page'), 10);
  const pageSize = Number.parseInt(params.get('page_size'), 10);
  const sort = params.get('sort');
  return {
    q: params.get('q') ?? '',
    page: page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    sort: SORTS.includes(sort) ? sort : 'last_name',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

/** MUI pages count from 0 and must stay within the known total. */
function pageIndex(query, data) {
  if (!data) return 0;
  const last = Math.max(0, Math.ceil(data.total / query.pageSize) - 1);
  return Math.min(query.page - 1, last);
}

export function PatientListPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const [term, setTerm] = useState(query.q);
  const [shownQ, setShownQ] = useState(query.q);
  if (query.q !== shownQ) {
    // The address changed without typing (the Patients link, Back): follow it.
    setShownQ(query.q);
    if (query.q !== term.trim()) setTerm(query.q);
  }
  const [creating, setCreating] = useState(false);
  const { data, error, loading, reload } = usePatientList(query);

  const update = (changes) => {
    const next = { ...query, ...changes };
    const entries = {
      page: String(next.page),
      page_size: String(next.pageSize),
      sort: next.sort,
      order: next.order,
    };
    if (next.q) entries.q = next.q;
    setParams(entries, { replace: true });
  };

  const search = useDebouncedCallback((value) => {
    if (value !== query.q) update({ q: value, page: 1 });
  }, 350);

  const onSort = (key) => {
    const order = query.sort === key && query.order === 'asc' ? 'desc' : 'asc';
    update({ sort: key, order, page: 1 });
  };

  const items = data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Patients"
        subtitle="Patients on your care team and under an active emergency grant."
        actions={
          <ForRoles roles={[ROLES.doctor]}>
            <Button
              variant="contained"
              startIcon={<AddIcon />}
              onClick={() => setCreating(true)}
            >
              New patient
            </Button>
          </ForRoles>
        }
      />
      <TextField
        label="Search patients"
        helperText="Search by name or MRN"
        type="search"
        value={term}
        onChange={(event) => {
          setTerm(event.target.value);
          search(event.target.value.trim());
        }}
        sx={{ mb: 2, width: { xs: '100%', sm: 420 } }}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon aria-hidden="true" />
              </InputAdornment>
            ),
          },
        }}
      />
      <ErrorAlert error={error} onRetry={reload} sx={{ mb: 2 }} />
      <Paper variant="outlined">
        {loading ? <LinearProgress aria-label="Loading patients" /> : null}
        <PatientTable
          items={items}
          sort={query.sort}
          order={query.order}
          onSort={onSort}
        />
        {!loading && !error && items.length === 0 ? (
          <Typography sx={{ p: 3 }} color="text.secondary">
            {query.q
              ? 'No patients match this search.'
              : 'No patients to show. Patients appear here once you are on their care team.'}
          </Typography>
        ) : null}
        <TablePagination
          component="div"
          count={data?.total ?? 0}
          page={pageIndex(query, data)}
          rowsPerPage={query.pageSize}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_event, page) => update({ page: page + 1 })}
          onRowsPerPageChange={(event) =>
            update({ pageSize: Number(event.target.value), page: 1 })
          }
        />
      </Paper>
      <CreatePatientDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(patient) => navigate(`/patients/${patient.id}`)}
      />
    </>
  );
}
