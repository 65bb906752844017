// The AWS SDK for JavaScript v3 (from npm) against a kumod spawned by this file.
// Run: KUMO_BIN=build/kumod node --test tests/integration/js/sdk.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KUMO_BIN = process.env.KUMO_BIN || path.resolve(HERE, '../../../build/kumod');
const ACCESS_KEY = 'KUMOTESTACCESSKEY001';
const SECRET_KEY = 'kumo/test+Secret0123456789abcdefghijKLMN';
const HEALTH_TIMEOUT_MS = 20000;
const MiB = 1024 * 1024;

let proc;
let workdir;
let logPath;
let endpoint;
let s3;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function logTail() {
  try {
    return fs.readFileSync(logPath, 'utf8').slice(-8000);
  } catch {
    return '<no log>';
  }
}

async function startKumo() {
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const log = fs.openSync(logPath, 'a');
    const child = spawn(
      KUMO_BIN,
      ['--data-dir', path.join(workdir, 'data'), '--listen', `127.0.0.1:${port}`],
      {
        env: { ...process.env, KUMO_ROOT_ACCESS_KEY: ACCESS_KEY, KUMO_ROOT_SECRET_KEY: SECRET_KEY },
        stdio: ['ignore', log, log],
      },
    );
    fs.closeSync(log);
    let exited = false;
    child.on('exit', () => { exited = true; });
    const url = `http://127.0.0.1:${port}/_kumo/health`;
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (Date.now() < deadline && !exited) {
      try {
        const r = await fetch(url);
        if (r.status === 200) return { child, port };
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    if (!exited) {
      child.kill('SIGKILL');
      throw new Error(`kumod did not answer 200 on /_kumo/health; log:\n${logTail()}`);
    }
    // exited: maybe the port was taken meanwhile; try another one
  }
  throw new Error(`kumod exited before becoming healthy; log:\n${logTail()}`);
}

function client(extra = {}) {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    maxAttempts: 1,
    ...extra,
  });
}

before(async () => {
  assert.ok(fs.existsSync(KUMO_BIN), `kumod not found at ${KUMO_BIN} (set KUMO_BIN)`);
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumo-js-'));
  logPath = path.join(workdir, 'kumod.log');
  const { child, port } = await startKumo();
  proc = child;
  endpoint = `http://127.0.0.1:${port}`;
  s3 = client();
});

after(async () => {
  if (s3) s3.destroy();
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20000);
    await done;
    clearTimeout(timer);
  } else if (proc) {
    assert.fail(`kumod died during the tests; log:\n${logTail()}`);
  }
  if (workdir && !process.env.KUMO_KEEP_DATA) fs.rmSync(workdir, { recursive: true, force: true });
});

const md5 = (buf) => crypto.createHash('md5').update(buf).digest('hex');

function bucketName(prefix = 'js') {
  return `${prefix}-${crypto.randomBytes(8).toString('hex')}`;
}

async function newBucket(prefix) {
  const Bucket = bucketName(prefix);
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

async function readBody(resp) {
  return Buffer.from(await resp.Body.transformToByteArray());
}

// A Readable that yields `size` pseudo-random bytes in 64 KiB pieces, and the same bytes
// as one Buffer for checking.
function randomStream(size) {
  const data = crypto.randomBytes(size);
  const pieces = [];
  for (let off = 0; off < size; off += 64 * 1024) pieces.push(data.subarray(off, off + 64 * 1024));
  return { data, stream: Readable.from(pieces) };
}

test('put, get, head, list, delete', async () => {
  const Bucket = await newBucket();
  const buckets = await s3.send(new ListBucketsCommand({}));
  assert.ok(buckets.Buckets.some((b) => b.Name === Bucket));
  await s3.send(new HeadBucketCommand({ Bucket }));

  const body = 'hello from the JavaScript SDK';
  const put = await s3.send(new PutObjectCommand({
    Bucket, Key: 'dir/hello.txt', Body: body, ContentType: 'text/plain',
    Metadata: { origin: 'js-sdk' }, CacheControl: 'max-age=60',
  }));
  assert.equal(put.ETag, `"${md5(Buffer.from(body))}"`);

  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
  assert.equal((await readBody(got)).toString(), body);
  assert.equal(got.ContentType, 'text/plain');
  assert.deepEqual(got.Metadata, { origin: 'js-sdk' });
  assert.equal(got.CacheControl, 'max-age=60');

  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
  assert.equal(head.ContentLength, body.length);
  assert.equal(head.ETag, put.ETag);
  assert.ok(head.LastModified instanceof Date);

  await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/sub/x', Body: 'x' }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'top', Body: 'y' }));
  const list = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/', Delimiter: '/' }));
  assert.deepEqual(list.Contents.map((o) => o.Key), ['dir/hello.txt']);
  assert.deepEqual(list.CommonPrefixes.map((p) => p.Prefix), ['dir/sub/']);
  assert.equal(list.KeyCount, 2);

  const copy = await s3.send(new CopyObjectCommand({
    Bucket, Key: 'copied', CopySource: `${Bucket}/dir/hello.txt`,
  }));
  assert.equal(copy.CopyObjectResult.ETag, put.ETag);

  const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await assert.rejects(
    s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/hello.txt' })),
    (e) => e.name === 'NotFound' && e.$metadata.httpStatusCode === 404,
  );
  await assert.rejects(
    s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' })),
    (e) => e.name === 'NoSuchKey' && e.$metadata.httpStatusCode === 404,
  );

  const multi = await s3.send(new DeleteObjectsCommand({
    Bucket, Delete: { Objects: [{ Key: 'dir/sub/x' }, { Key: 'top' }, { Key: 'copied' }] },
  }));
  assert.equal(multi.Deleted.length, 3);
  const empty = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.equal(empty.KeyCount, 0);
  await s3.send(new DeleteBucketCommand({ Bucket }));
  await assert.rejects(
    s3.send(new HeadBucketCommand({ Bucket })),
    (e) => e.$metadata.httpStatusCode === 404,
  );
});

test('ranged GET of an object uploaded by the SDK (response checksums validated)', async () => {
  // The SDK uploads with a CRC32 checksum and validates response checksums by default:
  // a 206 must not carry the whole object's x-amz-checksum-* header.
  const Bucket = await newBucket();
  const body = 'hello from the JavaScript SDK';
  await s3.send(new PutObjectCommand({ Bucket, Key: 'r.txt', Body: body }));
  const n = body.length; // 29
  for (const [Range, want, contentRange] of [
    ['bytes=-3', 'SDK', `bytes ${n - 3}-${n - 1}/${n}`],
    ['bytes=0-4', 'hello', `bytes 0-4/${n}`],
    ['bytes=26-', 'SDK', `bytes 26-${n - 1}/${n}`],
  ]) {
    const ranged = await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', Range }));
    assert.equal(ranged.$metadata.httpStatusCode, 206);
    assert.equal(ranged.ContentRange, contentRange);
    assert.equal((await readBody(ranged)).toString(), want);
  }
  const full = await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt' }));
  assert.equal((await readBody(full)).toString(), body);
});

test('errors are S3 errors', async () => {
  const Bucket = await newBucket();
  await assert.rejects(
    s3.send(new CreateBucketCommand({ Bucket })),
    (e) => e.name === 'BucketAlreadyOwnedByYou' && e.$metadata.httpStatusCode === 409,
  );
  await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
  await assert.rejects(
    s3.send(new DeleteBucketCommand({ Bucket })),
    (e) => e.name === 'BucketNotEmpty' && e.$metadata.httpStatusCode === 409,
  );
  const bad = client({ credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'wrong-secret' } });
  await assert.rejects(
    bad.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'nope' })),
    (e) => e.name === 'SignatureDoesNotMatch' && e.$metadata.httpStatusCode === 403,
  );
  bad.destroy();
  const list = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(list.Contents.map((o) => o.Key), ['k']);
});

async function checkObject(Bucket, Key, data) {
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
  assert.equal(head.ContentLength, data.length);
  const got = await readBody(await s3.send(new GetObjectCommand({ Bucket, Key })));
  assert.equal(got.length, data.length);
  assert.equal(md5(got), md5(data));
}

test('streaming PutObject with a Readable body (SDK defaults)', async () => {
  const Bucket = await newBucket('stream');
  const size = 6 * MiB + 123;
  const { data, stream } = randomStream(size);
  const put = await s3.send(new PutObjectCommand({
    Bucket, Key: 'stream.bin', Body: stream, ContentLength: size,
    ContentType: 'application/octet-stream',
  }));
  assert.equal(put.ETag, `"${md5(data)}"`);
  await checkObject(Bucket, 'stream.bin', data);
});

test('streaming PutObject with a Readable body (checksums only when required)', async () => {
  const c = client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  const Bucket = await newBucket('stream');
  const size = 3 * MiB + 7;
  const { data, stream } = randomStream(size);
  const put = await c.send(new PutObjectCommand({
    Bucket, Key: 'stream.bin', Body: stream, ContentLength: size,
  }));
  c.destroy();
  assert.equal(put.ETag, `"${md5(data)}"`);
  await checkObject(Bucket, 'stream.bin', data);
});

test('lib-storage Upload of a stream below the part size (one PutObject)', async () => {
  const Bucket = await newBucket('upload');
  const size = 4 * MiB + 1;
  const { data, stream } = randomStream(size);
  const upload = new Upload({
    client: s3,
    params: { Bucket, Key: 'up/small.bin', Body: stream, ContentType: 'application/x-test' },
  });
  const res = await upload.done();
  assert.equal(res.Key, 'up/small.bin');
  await checkObject(Bucket, 'up/small.bin', data);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'up/small.bin' }));
  assert.equal(head.ContentType, 'application/x-test');
});

test('lib-storage Upload of a stream above the part size (multipart)', async () => {
  const Bucket = await newBucket('upload');
  const size = 50 * MiB + 5;
  const { data, stream } = randomStream(size);
  const upload = new Upload({
    client: s3,
    params: { Bucket, Key: 'up/big.bin', Body: stream },
    partSize: 5 * MiB,
    queueSize: 4,
  });
  const res = await upload.done();
  assert.match(res.ETag, /-11"$/);
  await checkObject(Bucket, 'up/big.bin', data);
});

test('paginate ListObjectsV2', async () => {
  const Bucket = await newBucket('page');
  const keys = Array.from({ length: 25 }, (_, i) => `k/${String(i).padStart(3, '0')}`);
  await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
  const seen = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 10 }, { Bucket })) {
    pages += 1;
    seen.push(...(page.Contents || []).map((o) => o.Key));
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, keys);
});
