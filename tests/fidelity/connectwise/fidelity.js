// Fidelity check with code Cairn did not write: the public npm client `connectwise-rest`,
// unmodified, against Cairn's ConnectWise emulator. It only speaks HTTPS, so the emulator is
// served with a test certificate whose CA is trusted through NODE_EXTRA_CA_CERTS.
//
// Usage: node fidelity.js '<the emulator ready line (JSON)>'
// Prints one JSON line with what it saw; exits non-zero on the first mismatch.
'use strict'
const assert = require('node:assert/strict')
const { ManageAPI } = require('connectwise-rest')

async function main() {
  const ready = JSON.parse(process.argv[2])
  const cwm = new ManageAPI({
    companyId: ready.company_id,
    companyUrl: ready.site, // host:port; the client builds https://{companyUrl}/{entryPoint}/apis/3.0
    publicKey: ready.public_key,
    privateKey: ready.private_key,
    clientId: ready.client_id,
    entryPoint: ready.codebase.replace(/\/$/, ''),
    apiVersion: '2025.1',
    logger: () => {},
  })

  // Page through every company with the client's own paginator (stops on a short page).
  const all = await cwm.paginate(cwm.CompanyAPI.getCompanyCompanies, { startPage: 1, pageSize: 4 }, {})
  assert.ok(Array.isArray(all), 'paginate returns an array')
  const ids = all.map((c) => c.id)
  assert.equal(new Set(ids).size, ids.length, 'no company twice')
  const count = await cwm.request({ path: '/company/companies/count', method: 'get' })
  assert.equal(all.length, count.count, 'paging saw every company')

  // Get one.
  const one = await cwm.CompanyAPI.getCompanyCompaniesById(all[0].id)
  assert.equal(one.id, all[0].id)
  assert.equal(one.name, all[0].name)
  assert.ok(one._info && one._info.lastUpdated, '_info.lastUpdated present')

  // Create one.
  const created = await cwm.CompanyAPI.postCompanyCompanies({
    identifier: 'FIDELITY1',
    name: 'Fidelity Test Co',
    addressLine1: '1 Test Way',
    city: 'Springfield',
    status: { id: 1 },
    types: [{ id: 1 }],
  })
  assert.ok(created.id > 0, 'created company has an id')
  assert.equal(created.name, 'Fidelity Test Co')

  // Update it with a PATCH operation array, then read it back.
  const patched = await cwm.CompanyAPI.patchCompanyCompaniesById(created.id, [
    { op: 'replace', path: 'name', value: 'Fidelity Renamed Co' },
  ])
  assert.equal(patched.name, 'Fidelity Renamed Co')
  const again = await cwm.CompanyAPI.getCompanyCompaniesById(created.id)
  assert.equal(again.name, 'Fidelity Renamed Co')

  // An error answer reaches the client as ConnectWise's body.
  let notFound = null
  try {
    await cwm.CompanyAPI.getCompanyCompaniesById(99999999)
  } catch (e) {
    notFound = e
  }
  assert.ok(notFound, 'a missing company is an error')
  assert.equal(notFound.status, 404)
  assert.equal(notFound.data.code, 'NotFound')

  console.log(JSON.stringify({ paged: all.length, got: one.id, created: created.id, renamed: again.name }))
}

main().catch((e) => {
  console.error('fidelity check failed:', e && e.stack ? e.stack : JSON.stringify(e))
  process.exit(1)
})
