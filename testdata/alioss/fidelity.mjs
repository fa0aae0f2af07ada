// Fidelity check of osslocal against the official ali-oss client.
//
// Environment:
//   OSS_ENDPOINT           http://127.0.0.1:PORT (an IP endpoint)
//   OSS_BUCKET             bucket to use; it must hold FIDELITY_SEED_COUNT
//                          objects seed/000.txt, seed/001.txt, ...
//   OSS_ACCESS_KEY_ID      key pair accepted by the server
//   OSS_ACCESS_KEY_SECRET
//   OSS_REGION             ali-oss region, default oss-cn-hangzhou
//   FIDELITY_SEED_COUNT    number of seeded objects, default 0
//
// Every check runs with signature V1 (ali-oss default) and V4
// (authorizationV4: true). The script prints one JSON report on stdout and
// exits 1 when any check failed, 2 on bad usage.
//
// ali-oss with an IP endpoint sends "/key" with Host
// "<bucket>.<region>.aliyuncs.com" (virtual-hosted style through the Host
// header), which osslocal recognises.
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import OSS from 'ali-oss';

const require = createRequire(import.meta.url);
const aliVersion = require('ali-oss/package.json').version;

const env = process.env;
for (const name of ['OSS_ENDPOINT', 'OSS_BUCKET', 'OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET']) {
  if (!env[name]) {
    console.error(`fidelity: ${name} is required`);
    process.exit(2);
  }
}
const endpoint = env.OSS_ENDPOINT;
const bucket = env.OSS_BUCKET;
const region = env.OSS_REGION || 'oss-cn-hangzhou';
const seedCount = Number(env.FIDELITY_SEED_COUNT || '0');
const virtualHost = `${bucket}.${region}.aliyuncs.com`;

const report = { aliOss: aliVersion, node: process.version, endpoint, bucket, checks: [] };

function client(v4, overrides = {}) {
  return new OSS({
    endpoint,
    bucket,
    region,
    accessKeyId: env.OSS_ACCESS_KEY_ID,
    accessKeySecret: env.OSS_ACCESS_KEY_SECRET,
    authorizationV4: v4,
    secure: false,
    timeout: 30000,
    ...overrides,
  });
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const md5Etag = (buf) => `"${crypto.createHash('md5').update(buf).digest('hex').toUpperCase()}"`;
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

async function check(mode, name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    report.checks.push({ mode, name, ok: true, ms: Date.now() - started, ...(detail ? { detail } : {}) });
  } catch (err) {
    report.checks.push({
      mode,
      name,
      ok: false,
      ms: Date.now() - started,
      error: String((err && err.message) || err),
      code: err && err.code,
      status: err && err.status,
    });
  }
}

// expectError runs fn and checks the OSS error code and HTTP status it fails with.
async function expectError(fn, code, status) {
  try {
    await fn();
  } catch (err) {
    assert(err.code === code, `want code ${code}, got ${err.code} (${err.message})`);
    assert(err.status === status, `want status ${status}, got ${err.status}`);
    return { code: err.code, status: err.status, requestId: err.requestId };
  }
  throw new Error(`want ${code}, got success`);
}

// fetchSigned GETs a presigned URL from the server at OSS_ENDPOINT, sending
// the URL's own host as the Host header, as DNS would route it. URLs made
// for an IP endpoint carry no bucket, so they get the virtual-hosted Host
// that ali-oss itself sends for IP endpoints.
function fetchSigned(signed) {
  const u = new URL(signed);
  const ep = new URL(endpoint);
  const host = /^[0-9.]+$|^\[/.test(u.hostname) ? virtualHost : u.host;
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: ep.hostname, port: ep.port, path: u.pathname + u.search, headers: { Host: host } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
  });
}

const expectedSeed = Array.from({ length: seedCount }, (_, i) => `seed/${String(i).padStart(3, '0')}.txt`);

async function run(mode) {
  const v4 = mode === 'v4';
  const c = client(v4);
  const base = `fidelity/${mode}`;
  const small = Buffer.from(`hello osslocal ${mode}`);
  const smallKey = `${base}/hello.txt`;

  await check(mode, 'listV2 pagination', async () => {
    const seen = [];
    let token;
    let pages = 0;
    do {
      const query = { prefix: 'seed/', 'max-keys': 7 };
      if (token) query['continuation-token'] = token;
      const res = await c.listV2(query);
      pages += 1;
      assert(res.res.status === 200, `status ${res.res.status}`);
      for (const o of res.objects || []) seen.push(o.name);
      token = res.isTruncated ? res.nextContinuationToken : undefined;
      assert(!res.isTruncated || token, 'truncated page without a continuation token');
    } while (token && pages < 1000);
    assert(JSON.stringify(seen) === JSON.stringify(expectedSeed), `listed ${seen.length} keys, want ${expectedSeed.length} in order`);
    return { keys: seen.length, pages };
  });

  await check(mode, 'list v1 pagination', async () => {
    const seen = [];
    let marker;
    let pages = 0;
    do {
      const query = { prefix: 'seed/', 'max-keys': 10 };
      if (marker) query.marker = marker;
      const res = await c.list(query);
      pages += 1;
      for (const o of res.objects || []) seen.push(o.name);
      marker = res.isTruncated ? res.nextMarker : undefined;
    } while (marker && pages < 1000);
    assert(JSON.stringify(seen) === JSON.stringify(expectedSeed), `listed ${seen.length} keys, want ${expectedSeed.length}`);
    return { keys: seen.length, pages };
  });

  await check(mode, 'listV2 delimiter', async () => {
    const res = await c.listV2({ delimiter: '/', 'max-keys': 100 });
    const prefixes = res.prefixes || [];
    assert(seedCount === 0 || prefixes.includes('seed/'), `common prefixes ${JSON.stringify(prefixes)}`);
    return { prefixes };
  });

  await check(mode, 'put', async () => {
    const res = await c.put(smallKey, small);
    assert(res.res.status === 200, `status ${res.res.status}`);
    assert(res.res.headers.etag === md5Etag(small), `etag ${res.res.headers.etag}`);
  });

  await check(mode, 'head', async () => {
    const res = await c.head(smallKey);
    assert(res.status === 200, `status ${res.status}`);
    assert(res.res.headers.etag === md5Etag(small), `etag ${res.res.headers.etag}`);
    assert(Number(res.res.headers['content-length']) === small.length, 'content-length');
    assert(res.res.headers['x-oss-object-type'] === 'Normal', 'object type');
  });

  await check(mode, 'get with range', async () => {
    const res = await c.get(smallKey, { headers: { Range: 'bytes=0-4' } });
    assert(res.res.status === 206, `status ${res.res.status}`);
    assert(res.content.toString() === 'hello', `content ${res.content}`);
    assert(res.res.headers['content-range'] === `bytes 0-4/${small.length}`, res.res.headers['content-range']);
  });

  await check(mode, 'get whole', async () => {
    const res = await c.get(smallKey);
    assert(res.res.status === 200, `status ${res.res.status}`);
    assert(Buffer.compare(res.content, small) === 0, 'content differs');
  });

  await check(mode, 'multipartUpload', async () => {
    const data = crypto.randomBytes(350 * 1024 + 17);
    const key = `${base}/multi part.bin`;
    const res = await c.multipartUpload(key, data, { partSize: 100 * 1024, parallel: 2 });
    assert(res.res.status === 200, `status ${res.res.status}`);
    assert(/^"[0-9A-F]{32}-4"$/.test(res.etag || ''), `etag ${res.etag}`);
    const got = await c.get(key);
    assert(sha256(got.content) === sha256(data), 'downloaded object differs');
    const head = await c.head(key);
    assert(head.res.headers['x-oss-object-type'] === 'Multipart', 'object type');
    return { etag: res.etag, bytes: data.length };
  });

  // x-oss-forbid-overwrite: true refuses an existing key with 409
  // FileAlreadyExists on put, a multipart upload's completion and copy.
  const forbid = () => ({ 'x-oss-forbid-overwrite': 'true' });
  await check(mode, 'put with x-oss-forbid-overwrite', async () => {
    const res = await expectError(() => c.put(smallKey, Buffer.from('other writer'), { headers: forbid() }), 'FileAlreadyExists', 409);
    const got = await c.get(smallKey);
    assert(Buffer.compare(got.content, small) === 0, 'the existing object was replaced');
    const fresh = await c.put(`${base}/forbid-new.txt`, small, { headers: forbid() });
    assert(fresh.res.status === 200, `a new key: status ${fresh.res.status}`);
    return res;
  });

  await check(mode, 'multipartUpload with x-oss-forbid-overwrite', async () => {
    const data = crypto.randomBytes(250 * 1024);
    const res = await expectError(
      () => c.multipartUpload(smallKey, data, { partSize: 100 * 1024, headers: forbid() }),
      'FileAlreadyExists',
      409,
    );
    const got = await c.get(smallKey);
    assert(Buffer.compare(got.content, small) === 0, 'the existing object was replaced');
    return res;
  });

  await check(mode, 'copy', async () => {
    const res = await c.copy(`${base}/copy 1.txt`, smallKey);
    assert(res.res.status === 200, `status ${res.res.status}`);
    assert(res.data.etag === md5Etag(small), `etag ${res.data.etag}`);
    const got = await c.get(`${base}/copy 1.txt`);
    assert(Buffer.compare(got.content, small) === 0, 'content differs');
  });

  await check(mode, 'copy with x-oss-forbid-overwrite', async () => {
    await c.put(`${base}/copy 2.txt`, Buffer.from('other writer'));
    const res = await expectError(() => c.copy(`${base}/copy 2.txt`, smallKey, { headers: forbid() }), 'FileAlreadyExists', 409);
    const got = await c.get(`${base}/copy 2.txt`);
    assert(got.content.toString() === 'other writer', 'the existing object was replaced');
    return res;
  });

  await check(mode, 'signatureUrl', async () => {
    // ali-oss refuses to presign V1 URLs for IP endpoints, so that client
    // names the server "localhost" and gets "<bucket>.localhost" URLs.
    const named = client(v4, { endpoint: endpoint.replace('127.0.0.1', 'localhost') });
    const url = v4 ? await c.signatureUrlV4('GET', 60, {}, smallKey) : named.signatureUrl(smallKey, { expires: 60 });
    const res = await fetchSigned(url);
    assert(res.status === 200, `status ${res.status}: ${res.body}`);
    assert(Buffer.compare(res.body, small) === 0, 'content differs');
  });

  await check(mode, 'missing key is NoSuchKey', () => expectError(() => c.get(`${base}/missing.txt`), 'NoSuchKey', 404));

  await check(mode, 'wrong secret is SignatureDoesNotMatch', () =>
    expectError(() => client(v4, { accessKeySecret: 'not-the-secret' }).get(smallKey), 'SignatureDoesNotMatch', 403));

  await check(mode, 'unknown key id is InvalidAccessKeyId', () =>
    expectError(() => client(v4, { accessKeyId: 'LTAI5tUnknownKey0000000' }).get(smallKey), 'InvalidAccessKeyId', 403));

  await check(mode, 'deleteMulti', async () => {
    const names = [`${base}/m1.txt`, `${base}/m 2.txt`];
    for (const n of names) await c.put(n, Buffer.from(n)); // eslint-disable-line no-await-in-loop
    const res = await c.deleteMulti(names, { quiet: false });
    const deleted = (res.deleted || []).map((d) => d.Key || d).sort();
    assert(JSON.stringify(deleted) === JSON.stringify([...names].sort()), `deleted ${JSON.stringify(deleted)}`);
    await expectError(() => c.head(names[0]), 'NoSuchKey', 404);
  });

  await check(mode, 'delete', async () => {
    const res = await c.delete(smallKey);
    assert(res.res.status === 204, `status ${res.res.status}`);
    await expectError(() => c.head(smallKey), 'NoSuchKey', 404);
  });
}

for (const mode of ['v1', 'v4']) {
  // eslint-disable-next-line no-await-in-loop
  await run(mode);
}

report.passed = report.checks.filter((c) => c.ok).length;
report.failed = report.checks.length - report.passed;
console.log(JSON.stringify(report, null, 2));
process.exit(report.failed === 0 ? 0 : 1);
