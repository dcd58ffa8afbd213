// Drives Cairn's Autotask emulator with the public @apigrate/autotask-restapi client, unmodified:
// zone lookup from base_url, pages of companies following pageDetails.nextPageUrl (POSTed with
// the same query, as Autotask requires for POST-started queries), get one, create one, update it.
// Usage: node fidelity.js '<the emulator ready line JSON>'; prints one JSON result line.
'use strict';
const { AutotaskRestApi } = require('@apigrate/autotask-restapi');

async function main() {
  const ready = JSON.parse(process.argv[2]);
  // The client is given the discovery host only; it finds the zone URL itself.
  const api = new AutotaskRestApi(ready.username, ready.secret, ready.integration_code, {
    base_url: `${ready.base_url}/atservicesrest/`,
  });

  const search = { MaxRecords: 4, filter: [{ op: 'exist', field: 'id' }] };
  let page = await api.Companies.query(search);
  const ids = page.items.map((c) => c.id);
  let pages = 1;
  while (page.pageDetails.nextPageUrl) {
    // nextPageUrl is absolute; the client takes an endpoint under its zone URL + "V1.0".
    const url = page.pageDetails.nextPageUrl;
    const root = `${api.zoneInfo.url}v1.0`;
    if (!url.toLowerCase().startsWith(root.toLowerCase())) throw new Error(`unexpected nextPageUrl ${url}`);
    page = await api._post(url.substring(root.length), search);
    ids.push(...page.items.map((c) => c.id));
    pages += 1;
  }
  for (let k = 1; k < ids.length; ++k) if (ids[k] <= ids[k - 1]) throw new Error(`ids out of order: ${ids}`);

  const one = await api.Companies.get(ids[0]);
  const missing = await api.Companies.get(99999999);
  if (missing.item !== null) throw new Error('a missing company must answer {"item":null}');

  const created = await api.Companies.create({
    companyName: 'Fidelity Co',
    companyType: 1,
    phone: '555-0199',
    ownerResourceID: 1,
  });
  await api.Companies.update({ id: created.itemId, companyName: 'Fidelity Renamed Co' });
  const renamed = await api.Companies.get(created.itemId);

  let refused = null;
  try {
    await api.Companies.create({ companyName: 'No type' });
  } catch (e) {
    refused = { status: e.status, errors: e.details && e.details.errors };
  }

  console.log(JSON.stringify({
    zone: api.zoneInfo.url,
    paged: ids.length,
    pages,
    got: one.item.companyName,
    created: created.itemId,
    renamed: renamed.item.companyName,
    refused,
  }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
