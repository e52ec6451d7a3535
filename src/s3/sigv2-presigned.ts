// Presigned URLs signed the old way (Signature Version 2 query auth): what boto3's generate_presigned_url makes by
// default. Only this query form is accepted; every other request is SigV4. https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { S3Error } from './s3-errors.js';

/** The sub-resources and response overrides that SigV2 signs, as botocore lists them. */
const signedParams = new Set([
  'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment', 'restore', 'tagging', 'torrent',
  'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website', 'response-cache-control', 'response-content-disposition',
  'response-content-encoding', 'response-content-language', 'response-content-type', 'response-expires',
]);

export function isSigV2Presigned(query: ReadonlyArray<readonly [string, string]>): boolean {
  return query.some(([name]) => name === 'AWSAccessKeyId') && query.some(([name]) => name === 'Signature');
}

/** Throws InvalidAccessKeyId, AccessDenied (expired) or SignatureDoesNotMatch. */
export function verifySigV2Presigned(input: {
  readonly req: IncomingMessage;
  readonly rawPath: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly accessKeyId: string;
  readonly secret: string;
  readonly now: number;
}): void {
  const get = (name: string) => input.query.find(([n]) => n === name)?.[1] ?? '';
  if (get('AWSAccessKeyId') !== input.accessKeyId) throw new S3Error('InvalidAccessKeyId', `the access key id "${get('AWSAccessKeyId')}" is not this host's ("${input.accessKeyId}")`);
  const expires = get('Expires');
  if (!/^\d+$/.test(expires)) throw new S3Error('AccessDenied', 'a presigned URL needs Expires (epoch seconds)');
  if (input.now > Number(expires) * 1000) throw new S3Error('AccessDenied', 'Request has expired');
  const header = (name: string) => {
    const value = input.req.headers[name];
    return (Array.isArray(value) ? value.join(',') : value ?? '').trim();
  };
  const amzHeaders = Object.keys(input.req.headers)
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => `${name}:${header(name)}\n`)
    .join('');
  const subresources = input.query
    .filter(([name]) => signedParams.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  const resource = input.rawPath + (subresources.length > 0 ? `?${subresources.join('&')}` : '');
  const stringToSign = [input.req.method ?? 'GET', header('content-md5'), header('content-type'), expires, amzHeaders + resource].join('\n');
  const expected = Buffer.from(createHmac('sha1', input.secret).update(stringToSign).digest('base64'));
  const given = Buffer.from(get('Signature'));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new S3Error('SignatureDoesNotMatch', undefined, { AWSAccessKeyId: get('AWSAccessKeyId'), StringToSign: stringToSign });
  }
}
