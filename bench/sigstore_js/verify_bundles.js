// sigstore-js (npm `sigstore` 4.x: @sigstore/bundle + @sigstore/verify) over the same cases as
// //bench:verify_bundles, in-process and offline: trust material from the same trusted_root.json,
// each bundle verified ITERATIONS times. Prints "<id>\t<pass|fail>\t<us per verification>\t<why>".
//   NODE_PATH=<dir>/node_modules node verify_bundles.js cases.json 50
'use strict';
const fs = require('fs');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { toSignedEntity, toTrustMaterial, Verifier } = require('@sigstore/verify');

const [casesPath, iterationsText] = process.argv.slice(2);
const iterations = Number(iterationsText || 20);
for (const c of JSON.parse(fs.readFileSync(casesPath, 'utf8'))) {
  let status = 'pass';
  let why = '';
  let micros = 0;
  let cpuMicros = 0;
  try {
    let rootJson = JSON.parse(fs.readFileSync(c.trusted_root, 'utf8'));
    if (rootJson.trustedRoot) rootJson = rootJson.trustedRoot;  // ClientTrustConfig
    const bundleJson = JSON.parse(fs.readFileSync(c.bundle, 'utf8'));
    const material = bundleJson.verificationMaterial || {};
    const keys = {};
    if (c.key && material.publicKey) {
      // @sigstore/verify's key map takes the key as a PEM or DER SubjectPublicKeyInfo.
      keys[material.publicKey.hint] = { rawBytes: fs.readFileSync(c.key, 'utf8') };
    }
    const trust = toTrustMaterial(TrustedRoot.fromJSON(rootJson), keys);
    let artifact = c.artifact ? fs.readFileSync(c.artifact) : undefined;
    if (c.artifact_text !== undefined) artifact = Buffer.from(c.artifact_text);
    // Thresholds as the bundle allows: a log entry when it has any, a TSA stamp when it has one.
    const stamps = (material.timestampVerificationData || {}).rfc3161Timestamps || [];
    const verifier = new Verifier(trust, {
      tlogThreshold: (material.tlogEntries || []).length > 0 ? 1 : 0,
      ctlogThreshold: material.publicKey ? 0 : 1,
      tsaThreshold: stamps.length > 0 && !(material.tlogEntries || []).length ? 1 : 0,
    });
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      try {
        verifier.verify(toSignedEntity(bundleFromJSON(bundleJson), artifact));
        status = 'pass';
      } catch (e) {
        status = 'fail';
        why = String(e.message || e);
      }
    }
    micros = Number(process.hrtime.bigint() - start) / 1000 / iterations;
    const cpuUsed = process.cpuUsage(cpuStart);
    cpuMicros = (cpuUsed.user + cpuUsed.system) / iterations;
  } catch (e) {
    status = 'fail';
    why = String(e.message || e);
  }
  console.log(`${c.id}\t${status}\t${micros.toFixed(1)}\t${why.replace(/[\t\n]/g, ' ')}\t${cpuMicros.toFixed(1)}`);
}
