/**
 * The test scenario: real Synthea patients when the shared bundles are
 * beside the checkout (otherwise the demo patients, said out loud), one
 * staff account per role made with the CLI, and care teams assigned
 * through the administrators' API.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { ApiSession } from './api.js';

const DOCTOR_PATIENTS = 8;

export const STAFF = {
  doctor: {
    email: 'dana.doctor@e2e.test',
    name: 'Dana Doctor',
    role: 'doctor',
  },
  nurse: { email: 'nico.nurse@e2e.test', name: 'Nico Nurse', role: 'nurse' },
  admin: { email: 'avery.admin@e2e.test', name: 'Avery Admin', role: 'admin' },
};

function password() {
  return `E2e-${randomBytes(12).toString('base64url')}`;
}

function bundleFiles(dir) {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The MRN the importer gives a bundle's patient: its MR identifier. */
function mrnOf(file) {
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  const patient = (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .find((resource) => resource?.resourceType === 'Patient');
  if (!patient) return null;
  const mr = (patient.identifier ?? []).find((identifier) =>
    (identifier.type?.coding ?? []).some((coding) => coding.code === 'MR'),
  );
  return mr?.value ?? patient.id ?? null;
}

async function loadPatients(server, dataDir, log) {
  const files = bundleFiles(dataDir);
  if (files.length > 0) {
    log(`importing ${files.length} Synthea bundles from ${dataDir}`);
    await server.cli(['import-fhir', dataDir]);
    const mrns = [];
    for (const file of files) {
      if (mrns.length >= DOCTOR_PATIENTS + 4) break;
      const mrn = mrnOf(file);
      if (mrn) mrns.push(mrn);
    }
    return { source: 'synthea', mrns };
  }
  log(
    `SKIPPED real data: ${dataDir} is absent; the flows run on the demo patients of \`healthsecure demo\` (SSNs in the 900 range)`,
  );
  await server.cli(['demo']);
  const mrns = Array.from(
    { length: DOCTOR_PATIENTS + 4 },
    (_, index) => `DEMO-${String(index + 1).padStart(6, '0')}`,
  );
  return { source: 'demo', mrns };
}

async function createStaff(server) {
  const staff = {};
  for (const [key, person] of Object.entries(STAFF)) {
    const secretWord = password();
    await server.cli(
      [
        'user',
        'create',
        '--email',
        person.email,
        '--name',
        person.name,
        '--role',
        person.role,
        '--password-stdin',
      ],
      secretWord,
    );
    staff[key] = { ...person, password: secretWord };
  }
  return staff;
}

/** The first patient whose records, as the doctor sees them, hold a sensitive one. */
async function findSensitivePatient(doctor, patients) {
  let fallback = null;
  for (const patient of patients) {
    for (let page = 1; page <= 5; page += 1) {
      const records = await doctor.ok(
        'GET',
        `/patients/${patient.id}/records?page=${page}&page_size=100`,
      );
      const sensitive = records.items.filter((record) => record.sensitive);
      const hiv = sensitive.find((record) =>
        /hiv/i.test(record.diagnosis ?? ''),
      );
      if (hiv) return { ...patient, sensitiveRecord: hiv };
      if (!fallback && sensitive.length > 0) {
        fallback = { ...patient, sensitiveRecord: sensitive[0] };
      }
      if (page * 100 >= records.total) break;
    }
  }
  if (!fallback)
    throw new Error('no patient of the doctor has a sensitive record');
  return fallback;
}

/** Fills the database with the CLI, before the server starts. */
export async function prepareData(server, { dataDir, log }) {
  const data = await loadPatients(server, dataDir, log);
  const staff = await createStaff(server);
  return { ...data, staff };
}

/**
 * Arranges care teams on the started server and returns who is who: the
 * staff, the patient of the doctor's day and the nurse's view (with a
 * sensitive record), a patient outside the nurse's care team, and spare
 * patients on nobody's team.
 */
export async function arrangeScenario(server, data) {
  const { staff } = data;
  const origin = server.origin;
  // Administrators need a second factor: this first sign-in sets it up.
  const admin = await ApiSession.signIn(
    origin,
    staff.admin.email,
    staff.admin.password,
    staff.admin,
  );
  const doctor = await ApiSession.signIn(
    origin,
    staff.doctor.email,
    staff.doctor.password,
  );
  const nurse = await ApiSession.signIn(
    origin,
    staff.nurse.email,
    staff.nurse.password,
  );
  staff.doctor.id = doctor.user.id;
  staff.nurse.id = nurse.user.id;

  const patients = [];
  for (const mrn of data.mrns) {
    const query = new URLSearchParams({ mrn });
    const found = await admin.ok('GET', `/admin/patients/lookup?${query}`);
    patients.push({ id: found.id, mrn });
  }
  const doctorPatients = patients.slice(0, DOCTOR_PATIENTS);
  for (const patient of doctorPatients) {
    await admin.ok('POST', '/admin/care-team', {
      user_id: doctor.user.id,
      patient_id: patient.id,
    });
  }

  const chart = await findSensitivePatient(doctor, doctorPatients);
  const details = await doctor.ok('GET', `/patients/${chart.id}`);
  Object.assign(chart, {
    firstName: details.first_name,
    lastName: details.last_name,
  });
  await admin.ok('POST', '/admin/care-team', {
    user_id: nurse.user.id,
    patient_id: chart.id,
  });

  // On the doctor's team but not the nurse's: the patient the nurse breaks the glass for.
  const outside = doctorPatients.find((patient) => patient.id !== chart.id);
  const outsideDetails = await doctor.ok('GET', `/patients/${outside.id}`);
  outside.ssn = outsideDetails.ssn ?? null;

  // On nobody's team: for the administrator's assignment and a second grant.
  const spare = patients.slice(DOCTOR_PATIENTS);
  return {
    source: data.source,
    staff,
    chart,
    outside,
    spare,
    api: { admin, doctor, nurse },
  };
}
